// Load: 20,000 requests at concurrency 200 through the caveclient preset against a server that
// answers 10% of requests with 503 and resets 2%. Every request is accounted for, and each one
// made exactly the attempts urllib3 would for what the server played it; the heap stays flat.
// The figures are printed, and kept in docs/RELIABILITY.md.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultServer, type FaultServer } from './fault-server.ts';
import { expectedOutcome, URLLIB3_DEFAULT, type RetryConfig, type Step } from './model.ts';
import { runChild } from './support.ts';

const REQUESTS = 20_000;
const CONCURRENCY = 200;
// The client's heap after the run may exceed its heap before (both after GC, after a 2,000-request warm-up) by this much.
const HEAP_MARGIN_BYTES = 4 * 1024 * 1024;

// CAVEclient's Retry: total 3, GET and POST, 502/503/504 forced, the last response returned.
const CAVECLIENT: RetryConfig = {
  ...URLLIB3_DEFAULT,
  statusForcelist: [502, 503, 504],
  allowedMethods: ['GET', 'POST'],
  raiseOnStatus: false,
};

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer({ seed: 20_000 });
});
afterAll(() => server.close());

function describeExpected(steps: readonly Step[]): string {
  const expected = expectedOutcome(CAVECLIENT, 'GET', steps);
  if ('status' in expected) return String(expected.status);
  return expected.error === 'MaxRetryError' ? `MaxRetryError<${expected.reason}>` : `${expected.error}<${expected.phase}>`;
}

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

describe('load', () => {
  it(`accounts for every one of ${REQUESTS} requests at concurrency ${CONCURRENCY}, with server counts matching, and a flat heap`, async () => {
    const child = await runChild(
      'load-child.ts',
      [JSON.stringify({ origin: server.origin, requests: REQUESTS, concurrency: CONCURRENCY, warmup: 2_000, scale: 100 })],
      { limitMs: 150_000 },
    );
    expect(child.stderr).toBe('');
    expect(child.killed).toBe(false);
    const report = child.lines[0] as { results: Array<[string, string, number]>; attempts: number; retries: number; wallMs: number };
    const { heapBefore, heapAfter } = child.lines[1] as { heapBefore: number; heapAfter: number };

    // None lost, none twice.
    expect(report.results).toHaveLength(REQUESTS);
    expect(new Set(report.results.map(([key]) => key)).size).toBe(REQUESTS);

    // Each request ended as urllib3 would, given what the server played on each of its attempts.
    const byClass = new Map<string, number>();
    const playedCounts = new Map<string, number>();
    let serverAttempts = 0;
    for (const [key, outcome] of report.results) {
      const played = server.attempts(key);
      serverAttempts += played.length;
      for (const r of played) playedCounts.set(r.scenario, (playedCounts.get(r.scenario) ?? 0) + 1);
      const steps: Step[] = played.map((r) =>
        r.scenario === 'reset-before' ? { kind: 'reset' } : { kind: 'status', status: r.scenario === '503' ? 503 : 200 },
      );
      expect(played.length, key).toBe(expectedOutcome(CAVECLIENT, 'GET', steps).attempts);
      expect(outcome, key).toBe(describeExpected(steps));
      byClass.set(outcome, (byClass.get(outcome) ?? 0) + 1);
    }
    expect(report.attempts).toBe(serverAttempts);
    expect(report.retries).toBe(serverAttempts - REQUESTS);
    expect(heapAfter - heapBefore).toBeLessThan(HEAP_MARGIN_BYTES);

    const latencies = report.results.map(([, , ms]) => ms).sort((a, b) => a - b);
    const mib = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);
    console.log(
      [
        `requests ${REQUESTS}, concurrency ${CONCURRENCY}, wall ${(report.wallMs / 1000).toFixed(1)} s`,
        `outcomes ${JSON.stringify(Object.fromEntries([...byClass].sort()))}`,
        `attempts ${report.attempts}, retries ${report.retries}, server played ${JSON.stringify(Object.fromEntries([...playedCounts].sort()))}`,
        `latency p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p99 ${percentile(latencies, 0.99).toFixed(1)} ms`,
        `heap ${mib(heapBefore)} MiB before, ${mib(heapAfter)} MiB after (margin ${mib(HEAP_MARGIN_BYTES)} MiB)`,
      ].join('\n'),
    );
  }, 170_000);
});
