// The package as an app installs it: built by tsdown with the package's own config into
// bench/.app/node_modules/fetchpipe/ (ignored by git), beside a copy of package.json,
// so that `import 'fetchpipe'` from that folder resolves through the `exports` map (conditions
// included, as a bundler or Node would) and zod resolves from the project, as from an app.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/**
 * Where an app that installed fetchpipe would stand: `import 'fetchpipe'` resolves from here.
 * One folder per process, so that a benchmark and the size test running at once do not build
 * over each other.
 */
export const APP_DIR = fileURLToPath(new URL(`./.app/${process.pid}/`, import.meta.url));
const PACKAGE_DIR = `${APP_DIR}node_modules/fetchpipe/`;

let built = false;

/** Removes this process's app folder. */
export function removePackage(): void {
  rmSync(APP_DIR, { recursive: true, force: true });
  built = false;
}

/** Builds the package's JavaScript (no declarations) once per process; returns the app folder. */
export function buildPackage(): string {
  if (built) return APP_DIR;
  rmSync(PACKAGE_DIR, { recursive: true, force: true });
  mkdirSync(PACKAGE_DIR, { recursive: true });
  copyFileSync(`${ROOT}package.json`, `${PACKAGE_DIR}package.json`);
  // The app's own package.json: without it, 'fetchpipe' would resolve as the project's self-reference.
  writeFileSync(`${APP_DIR}package.json`, `${JSON.stringify({ name: 'fetchpipe-bench-app', private: true, type: 'module' })}\n`);
  // The package's own build configs (neutral, and browser into dist/browser/), each moved under
  // the app's node_modules: `--out-dir` would send every config to the same folder.
  const config = `${APP_DIR}tsdown.config.ts`;
  writeFileSync(
    config,
    [
      `import configs from ${JSON.stringify(`${ROOT}tsdown.config.ts`)};`,
      `const all = Array.isArray(configs) ? configs : [configs];`,
      `export default all.map((c) => ({ ...c, cwd: ${JSON.stringify(ROOT)}, dts: false, outDir: String(c.outDir ?? 'dist').replace(/^dist/, ${JSON.stringify(`${PACKAGE_DIR}dist`)}) }));`,
      '',
    ].join('\n'),
  );
  const tsdown = fileURLToPath(new URL('../node_modules/tsdown/dist/run.mjs', import.meta.url));
  execFileSync(process.execPath, [tsdown, '-c', config, '-l', 'error'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  built = true;
  return APP_DIR;
}
