import { existsSync } from 'node:fs';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig, type TestProjectConfiguration } from 'vitest/config';
import { runtimeMissing } from './test/runtimes/require-runtime.ts';
import { browserSources } from './scripts/browser-sources.ts';

// Debian's Chromium, launched by Playwright. `playwright install` cannot download here.
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // QUIC would try UDP to the real network, which is unreachable here.
  '--disable-quic',
];

const node: TestProjectConfiguration = {
  test: {
    name: 'node',
    include: ['test/**/*.test.ts'],
    exclude: ['test/browser/**', 'test/runtimes/deno/**', 'test/runtimes/bun/**'],
    environment: 'node',
    testTimeout: 20_000,
  },
};

const browser: TestProjectConfiguration = {
  // msw's worker (`npx msw init public --save`) is served from here as /mockServiceWorker.js.
  publicDir: 'public',
  // The page runs what the package's browser build ships: each `<name>.browser.ts` in place of `<name>.ts`.
  plugins: [browserSources()],
  test: {
    name: 'browser',
    include: ['test/browser/**/*.test.ts'],
    // The real servers the page fetches cross-origin: started in Node, addresses passed by provide/inject.
    globalSetup: ['test/browser/global-setup.ts'],
    testTimeout: 20_000,
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      provider: playwright({ launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_ARGS } }),
      instances: [{ browser: 'chromium' }],
    },
  },
};

function browserProjects(): TestProjectConfiguration[] {
  if (existsSync(CHROMIUM)) return [browser];
  // Throws in CI; on a developer's machine, says loudly that the browser suite does not run.
  runtimeMissing('Chromium', `${CHROMIUM} does not exist`, 'apt-get install -y --no-install-recommends chromium');
  return [];
}

export default defineConfig({
  test: {
    projects: [node, ...browserProjects()],
  },
});
