// The shared behavioural suite in Chromium (vitest browser mode). Mocked cases go through
// msw's service worker; the real ones fetch the local servers cross-origin.
import type { RequestHandler } from 'msw';
import { setupWorker } from 'msw/browser';
import { afterEach, describe, inject, it } from 'vitest';
import { cases, type SuiteEnv } from '../runtimes/shared/cases.ts';
import { expectAssert } from '../runtimes/shared/expect-assert.ts';

describe('fetchpipe shared suite on chromium', () => {
  const backend = inject('backend');
  const worker = setupWorker();
  let started = false;

  // The worker runs only while a case has handlers, so real fetches meet Chromium's own
  // network stack: with no active client, msw's worker leaves requests alone.
  async function use(...handlers: RequestHandler[]): Promise<void> {
    if (!started) {
      await worker.start({ quiet: true, onUnhandledFrame: 'error' });
      started = true;
    }
    worker.use(...handlers);
  }

  afterEach(async () => {
    worker.resetHandlers();
    if (started) await worker.stop();
    started = false;
  });

  // In a page, the platform follows redirects and hides them (see SuiteEnv.seesRedirects).
  for (const { name, run } of cases.filter((testCase) => !testCase.needsRedirects)) {
    it(name, async () => {
      const env: SuiteEnv = { runtime: 'chromium', assert: expectAssert, use, backend, seesRedirects: false };
      await run(env);
    });
  }
});
