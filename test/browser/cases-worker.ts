// Runs the shared cases marked `inWorker` inside a module Worker, where there is no document
// and `redirect: 'manual'` gives an opaque redirect: the platform that hides redirects without
// the global that redirect() used to look for. Posts one result per case back to the page.
import type { Assert, SuiteEnv } from '../runtimes/shared/cases.ts';
import { redirectCases as cases } from '../runtimes/shared/redirect-cases.ts';
import type { Backend } from '../runtimes/shared/backend.ts';

const fail = (message: string | undefined, detail: string): never => {
  throw new Error(message === undefined ? detail : `${message} (${detail})`);
};
const show = (value: unknown) => JSON.stringify(value) ?? String(value);

// vitest's expect does not run in a worker: a plain assert with the same words as node:assert.
const assert: Assert = {
  equal: (actual, expected, message) => void (Object.is(actual, expected) || fail(message, `${show(actual)} !== ${show(expected)}`)),
  deepEqual: (actual, expected, message) => void (show(actual) === show(expected) || fail(message, `${show(actual)} differs from ${show(expected)}`)),
  ok: (value, message) => void (value || fail(message, `${show(value)} is not truthy`)),
  match: (value, pattern, message) => void (pattern.test(value) || fail(message, `${show(value)} does not match ${pattern}`)),
  doesNotMatch: (value, pattern, message) => void (!pattern.test(value) || fail(message, `${show(value)} matches ${pattern}`)),
};

export interface WorkerResult {
  readonly name: string;
  readonly error?: string;
}

self.onmessage = async (event: MessageEvent<{ backend: Backend }>) => {
  const results: WorkerResult[] = [];
  for (const { name, run, inWorker } of cases) {
    if (!inWorker) continue;
    const env: SuiteEnv = {
      runtime: 'chromium',
      assert,
      use: () => Promise.reject(new Error('msw does not run in this worker: mark only real-server cases inWorker')),
      backend: event.data.backend,
      seesRedirects: false,
    };
    try {
      await run(env);
      results.push({ name });
    } catch (error) {
      results.push({ name, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    }
  }
  self.postMessage({ hasDocument: typeof (globalThis as { document?: unknown }).document !== 'undefined', results });
};
