// Runs abort cases (and calls that succeed) against the parent's fault server, then reports
// what is left: listeners on the callers' signals after garbage collection, and the resources
// that keep the event loop alive. It must then exit by itself, promptly: the parent watches.
import { getEventListeners } from 'node:events';
import { backoff, createClient, pool, redirect, retry, timeout } from '../../../src/index.ts';
import { runAbortCase, type AbortCase, type Origins } from '../abort-cases.ts';

const { origins, cases } = JSON.parse(process.argv[2]!) as { origins: Origins; cases: AbortCase[] };
const signals: AbortSignal[] = [];
const print = (value: unknown): void => void process.stdout.write(`${JSON.stringify(value)}\n`);

for (const [index, c] of cases.entries()) {
  print(await runAbortCase(origins, c, `child-${index}`, (signal) => signals.push(signal)));
}

// A long-lived signal that never aborts, across calls that retry, wait and finish.
const lasting = new AbortController();
signals.push(lasting.signal);
const client = createClient([
  retry({ total: 3, statusForcelist: [503] }),
  backoff({ factor: 5 }),
  redirect(),
  timeout({ read: 5_000, total: 10_000 }),
  pool({ block: true, maxsize: 2 }),
]);
for (let i = 0; i < 10; i++) {
  const response = await client(`${origins.origin}/seq?key=child-ok-${i}&steps=503,503,ok`, { signal: lasting.signal });
  await response.arrayBuffer();
}

(globalThis as { gc?: () => void }).gc?.();
await new Promise((resolve) => setTimeout(resolve, 20));
(globalThis as { gc?: () => void }).gc?.();
const listeners = signals.reduce((sum, signal) => sum + getEventListeners(signal, 'abort').length, 0);
print({ done: true, listeners, resources: process.getActiveResourcesInfo() });
