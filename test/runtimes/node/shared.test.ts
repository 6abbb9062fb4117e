// The shared behavioural suite on Node 24, under vitest.
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, it } from 'vitest';
import { startBackend, type Backend } from '../shared/backend.ts';
import { cases, type SuiteEnv } from '../shared/cases.ts';
import { expectAssert } from '../shared/expect-assert.ts';
import { interception } from '../shared/intercept.ts';

describe('fetchpipe shared suite on node', () => {
  const network = interception();
  let backend: Backend & { close(): Promise<void> };

  beforeAll(async () => {
    backend = await startBackend();
  });
  afterAll(async () => {
    await backend.close();
  });
  afterEach(async () => {
    await network.reset();
  });

  for (const { name, run } of cases) {
    it(name, async () => {
      const env: SuiteEnv = { runtime: 'node', assert: expectAssert, use: network.use, backend, seesRedirects: true, inspect };
      await run(env);
    });
  }
});
