// Abort and timeouts: an abort at any moment of a call through the full stack (before send,
// during connect, while waiting for headers, while reading the body, during the backoff wait,
// while queued in the pool) settles within 50 ms with the signal's own reason (event-loop lag
// from a loaded machine, measured by a reference timer, is not counted), and nothing of the
// call runs afterwards. Then a child process runs such cases and must exit by itself:
// no timer, listener or socket of fetchpipe's keeps it alive.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MOMENTS, REASONS, runAbortCase, type AbortCase, type Moment } from './abort-cases.ts';
import { startFaultServer, startSlowAcceptServer, type FaultServer, type SlowAcceptServer } from './fault-server.ts';
import { runChild } from './support.ts';

let server: FaultServer;
let slow: SlowAcceptServer | undefined;
beforeAll(async () => {
  server = await startFaultServer();
  slow = await startSlowAcceptServer(120_000);
});
afterAll(async () => {
  await server.close();
  await slow?.close();
});

const abortCase: fc.Arbitrary<AbortCase> = fc.record({
  moment: fc.constantFrom(...MOMENTS),
  delayMs: fc.integer({ min: 0, max: 40 }),
  reason: fc.constantFrom(...REASONS),
});

describe('abort and timeouts', () => {
  it('settles within 50 ms with the abort reason at any moment, and nothing runs afterwards', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(abortCase, async (c) => {
        const key = `abort-${++run}`;
        const result = await runAbortCase({ origin: server.origin, slowOrigin: slow?.origin }, c, key);
        expect(result.sameReason, result.outcome).toBe(true);
        expect(result.settleMs - result.loopLagMs).toBeLessThan(50);
        expect(result.eventsAfterSettle).toBe(0);
        // The server saw no attempt the client did not make (an attempt after the abort, say).
        expect(server.attempts(key).length).toBeLessThanOrEqual(result.attempts);
      }),
      { numRuns: 60 },
    );
  });

  it('leaves nothing behind: a child process that aborted at every moment exits by itself at once', async () => {
    // Connect is left out here: undici keeps its own TCP connect pending after an abort (see docs/RELIABILITY.md).
    const moments: readonly Moment[] = MOMENTS.filter((moment) => moment !== 'connect');
    const cases = fc.sample(abortCase.filter((c) => moments.includes(c.moment)), { numRuns: 18, seed: 8 });
    for (const moment of moments) cases.push({ moment, delayMs: 5, reason: 'none' });
    const child = await runChild('abort-child.ts', [JSON.stringify({ origins: { origin: server.origin, slowOrigin: undefined }, cases })], {
      graceMs: 1_500,
    });
    expect(child.stderr).toBe('');
    expect(child.killed).toBe(false);
    expect(child.code).toBe(0);
    const results = child.lines.slice(0, -1) as Array<{ sameReason: boolean; settleMs: number; loopLagMs: number; eventsAfterSettle: number }>;
    expect(results).toHaveLength(cases.length);
    for (const result of results) {
      expect(result).toMatchObject({ sameReason: true, eventsAfterSettle: 0 });
      expect(result.settleMs - result.loopLagMs).toBeLessThan(50);
    }
    const last = child.lines.at(-1) as { done: boolean; listeners: number; resources: string[] };
    expect(last.listeners).toBe(0);
    expect(last.resources).not.toContain('Timeout');
    expect(child.exitLagMs).toBeLessThan(1_000);
  });

  it('notices a leaked timer: the control child, whose middleware leaves one, does not exit by itself', async () => {
    const child = await runChild('leaky-child.ts', [server.origin], { graceMs: 1_000 });
    expect(child.killed).toBe(true);
    expect((child.lines.at(-1) as { resources: string[] }).resources).toContain('Timeout');
  });
});
