// Memory: 100,000 requests through the typical client and through the full caveclient preset,
// against the stub fetch, in a child process started with --expose-gc. After a warm-up the heap
// is collected and recorded; it is recorded again (after collection) at checkpoints and at the end. A client that keeps anything
// per request (responses, history, timers, listeners) shows it as growth; bare fetch is measured
// the same way beside it, as the noise floor.
import type { StubFetch } from './clients.ts';
import { childMain, progress } from './child.ts';
import { OK_BODY, PATH, STUB_BASE } from './config.ts';
import { caveclientClient, CAVECLIENT_SETUP, fetchpipeClient } from './fetchpipe-client.ts';
import { slope } from './stats.ts';

export interface MemoryOptions {
  readonly quick: boolean;
}

export interface MemoryRow {
  readonly name: string;
  readonly requests: number;
  /** heapUsed after GC, before the measured requests, bytes. */
  readonly startHeap: number;
  /** heapUsed after GC, after them, bytes. */
  readonly endHeap: number;
  /** heapUsed after GC at each checkpoint: [requests so far, bytes]. */
  readonly checkpoints: ReadonlyArray<readonly [number, number]>;
  /** Least-squares slope of the checkpoints, bytes per request. */
  readonly bytesPerRequest: number;
  /** Timers and other handles alive before and after (process.getActiveResourcesInfo()). */
  readonly resourcesBefore: readonly string[];
  readonly resourcesAfter: readonly string[];
  readonly withinMargin: boolean;
}

export interface MemoryResult {
  readonly margin: number;
  readonly setup: string;
  readonly rows: readonly MemoryRow[];
}

/** How far the heap may end above where it started, after GC. */
export const MEMORY_MARGIN_BYTES = 256 * 1024;
const CHECKPOINTS = 5;
const SETTINGS = { full: { requests: 100_000, warmup: 5_000 }, quick: { requests: 2_000, warmup: 200 } } as const;

function collect(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('memory.ts needs --expose-gc');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

async function measureClient(name: string, call: () => Promise<string>, requests: number, warmup: number): Promise<MemoryRow> {
  for (let i = 0; i < warmup; i++) await call();
  const resourcesBefore = process.getActiveResourcesInfo();
  const startHeap = collect();
  const checkpoints: Array<readonly [number, number]> = [[0, startHeap]];
  const every = requests / CHECKPOINTS;
  for (let i = 1; i <= requests; i++) {
    if ((await call()) !== OK_BODY) throw new Error(`${name} returned another body`);
    if (i % every === 0) checkpoints.push([i, collect()]);
  }
  const endHeap = checkpoints.at(-1)![1];
  const resourcesAfter = process.getActiveResourcesInfo();
  return {
    name,
    requests,
    startHeap,
    endHeap,
    checkpoints,
    bytesPerRequest: slope(
      checkpoints.map(([n]) => n),
      checkpoints.map(([, heap]) => heap),
    ),
    resourcesBefore,
    resourcesAfter,
    withinMargin: endHeap - startHeap <= MEMORY_MARGIN_BYTES && resourcesAfter.length <= resourcesBefore.length,
  };
}

export async function runMemory(options: MemoryOptions): Promise<MemoryResult> {
  const settings = options.quick ? SETTINGS.quick : SETTINGS.full;
  const stub: StubFetch = async () => new Response(OK_BODY);
  const preset = caveclientClient(stub, STUB_BASE);
  const url = STUB_BASE + PATH;
  const rows: MemoryRow[] = [];
  progress('memory: bare fetch');
  rows.push(await measureClient('bare fetch (floor)', async () => (await stub(url)).text(), settings.requests, settings.warmup));
  const typical = fetchpipeClient(stub, STUB_BASE);
  progress('memory: fetchpipe typical client');
  rows.push(await measureClient('fetchpipe, typical client', async () => (await typical(PATH)).text(), settings.requests, settings.warmup));
  progress('memory: fetchpipe caveclient preset');
  rows.push(await measureClient('fetchpipe, caveclient preset', async () => (await preset(PATH)).text(), settings.requests, settings.warmup));
  return { margin: MEMORY_MARGIN_BYTES, setup: CAVECLIENT_SETUP, rows };
}

if (import.meta.main) await childMain(runMemory);
