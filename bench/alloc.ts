// What each call allocates, counted rather than timed, so it does not move with the load of a
// shared machine: heap bytes per call (young generation made large enough that no collection
// runs during the count, which is checked) and promises per call (async_hooks). Runs as a
// child process with --expose-gc and a large semi-space (see index.ts).
import { createHook } from 'node:async_hooks';
import { GCProfiler } from 'node:v8';
import { CLIENTS } from './clients.ts';
import { childMain } from './child.ts';
import { OK_BODY, STUB_BASE, expectedRequest } from './config.ts';
import { answerOk, verifyClients } from './verify.ts';

export interface AllocOptions {
  readonly quick: boolean;
}

export interface AllocRow {
  readonly name: string;
  readonly bytesPerCall: number;
  readonly promisesPerCall: number;
}

export interface AllocResult {
  readonly calls: number;
  readonly rows: readonly AllocRow[];
}

/** The semi-space, in MB, that keeps the count free of scavenges. */
export const ALLOC_EXEC_ARGV = ['--expose-gc', '--min-semi-space-size=64', '--max-semi-space-size=64'] as const;

export async function runAlloc(options: AllocOptions): Promise<AllocResult> {
  const calls = options.quick ? 100 : 1_000;
  await verifyClients(CLIENTS, STUB_BASE, expectedRequest(STUB_BASE), { answer: answerOk, fetchesPerCall: 1 });
  let promises = 0;
  const hook = createHook({
    init(_id, type) {
      if (type === 'PROMISE') promises++;
    },
  });
  const gc = (globalThis as { gc?: () => void }).gc!;
  const rows: AllocRow[] = [];
  for (const client of CLIENTS) {
    const call = client.create(async () => new Response(OK_BODY), STUB_BASE);
    for (let i = 0; i < calls * 5; i++) await call();
    let bytesPerCall = Number.NaN;
    // A collection during the count would hide what was allocated: count again until none ran.
    for (let attempt = 0; attempt < 5 && Number.isNaN(bytesPerCall); attempt++) {
      gc();
      gc();
      const profiler = new GCProfiler();
      profiler.start();
      const before = process.memoryUsage().heapUsed;
      for (let i = 0; i < calls; i++) await call();
      const after = process.memoryUsage().heapUsed;
      if (profiler.stop().statistics.length === 0) bytesPerCall = (after - before) / calls;
    }
    if (Number.isNaN(bytesPerCall)) throw new Error(`${client.name}: a collection ran during every allocation count`);
    promises = 0;
    hook.enable();
    for (let i = 0; i < calls; i++) await call();
    hook.disable();
    rows.push({ name: client.name, bytesPerCall, promisesPerCall: promises / calls });
  }
  return { calls, rows };
}

if (import.meta.main) await childMain(runAlloc);
