// What Node prints for a fetchpipe error (console.log, an uncaught rejection): its stack once,
// then its masked JSON, whatever the length of the history, never the cause chain per attempt.
import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { authHeaders, ConfigError, createClient, isMaxRetryError, MaxRetryError, retry } from '../../src/index.ts';
import { sequence } from '../../src/testing/index.ts';

const SECRET = 'sk-live-5ecr3t-value';
const frames = (text: string) => text.split('\n').filter((line) => /^\s+at /.test(line)).length;

async function exhausted(total: number): Promise<MaxRetryError> {
  const client = createClient([retry({ total }), authHeaders({ 'X-API-Key': SECRET }, { maskQueryParams: ['key'] })], {
    fetch: sequence(['connection-refused']),
  });
  const error = await client(`https://api.example.test/jobs?key=${SECRET}`).catch((e: unknown) => e);
  if (!isMaxRetryError(error)) throw new Error(`expected a MaxRetryError, got ${String(error)}`);
  return error;
}

describe('util.inspect of a fetchpipe error', () => {
  it('prints the stack once and one JSON line per history entry, masked, for any number of retries', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 10 }), async (total, depth) => {
        const error = await exhausted(total);
        const printed = inspect(error, { depth });
        expect(printed.startsWith(error.stack!)).toBe(true);
        // No nested stack: the cause chain is not walked, neither for `cause` nor for each attempt.
        expect(frames(printed)).toBe(frames(error.stack!));
        expect(error.history).toHaveLength(total + 1);
        const json = JSON.parse(printed.slice(error.stack!.length + 1));
        expect(json.history).toHaveLength(total + 1);
        expect(json.history.every((entry: { error?: { name: string } }) => entry.error?.name === 'ConnectionError')).toBe(true);
        expect(json.reason).toEqual({ name: error.reason instanceof Error ? error.reason.name : '', message: (error.reason as Error).message });
        expect(printed).not.toContain(SECRET);
      }),
      { numRuns: 20 },
    );
  });

  it('stays a few lines long: its length grows by one history entry per attempt, not by a cause chain', async () => {
    const short = inspect(await exhausted(1)).length;
    const long = inspect(await exhausted(7)).length;
    expect(long - short).toBeLessThan(6 * 400);
  });

  it('prints any error class the same way: stack, then its fields', () => {
    const error = new ConfigError('retry: total: expected a non-negative integer, false or null, received -1', { option: 'total' });
    expect(inspect(error)).toBe(`${error.stack}\n${JSON.stringify(error, null, 2)}`);
    expect(JSON.parse(JSON.stringify(error))).toEqual({ name: 'ConfigError', message: error.message, option: 'total' });
  });
});
