// Registers the shared suite with `node:test`, which both `deno test` and `bun test` run,
// so the Deno and Bun suites are one line each and assert with `node:assert/strict`.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { inspect } from 'node:util';
import { startBackend, type Backend } from './backend.ts';
import { cases, type Runtime, type SuiteEnv } from './cases.ts';
import { interception } from './intercept.ts';

export function registerSharedSuite(runtime: Runtime): void {
  describe(`fetchpipe shared suite on ${runtime}`, () => {
    const network = interception();
    let backend: (Backend & { close(): Promise<void> }) | undefined;

    before(async () => {
      backend = await startBackend();
    });
    after(async () => {
      await backend?.close();
    });
    afterEach(async () => {
      await network.reset();
    });

    for (const { name, run } of cases) {
      it(name, async () => {
        const env: SuiteEnv = { runtime, assert, use: network.use, backend: backend!, seesRedirects: true, inspect };
        await run(env);
      });
    }
  });
}
