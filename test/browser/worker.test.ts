// The shared cases marked `inWorker`, run in a Chromium module Worker (issue #14 §5): a context
// with no document, where redirects are hidden all the same.
import { describe, expect, inject, it } from 'vitest';
import { cases } from '../runtimes/shared/cases.ts';
import type { WorkerResult } from './cases-worker.ts';

describe('fetchpipe shared suite in a chromium module worker', () => {
  const backend = inject('backend');
  const expected = cases.filter((testCase) => testCase.inWorker).map((testCase) => testCase.name);

  it('runs every case marked inWorker, in a context without a document, and each passes', async () => {
    const worker = new Worker(new URL('./cases-worker.ts', import.meta.url), { type: 'module' });
    try {
      const reply = await new Promise<{ hasDocument: boolean; results: WorkerResult[] }>((resolve, reject) => {
        worker.onmessage = (event) => resolve(event.data);
        worker.onerror = (event) => reject(new Error(`the worker failed: ${event.message}`));
        worker.postMessage({ backend });
      });
      expect(reply.hasDocument).toBe(false);
      expect(reply.results.map((result) => result.name)).toEqual(expected);
      expect(reply.results.filter((result) => result.error !== undefined)).toEqual([]);
    } finally {
      worker.terminate();
    }
  });

  it('has cases to run there', () => {
    expect(expected.length).toBeGreaterThanOrEqual(3);
  });
});
