// The load run: N requests at a fixed concurrency through the caveclient preset (its backoff
// scaled down 100× through the clock), against the parent's /random fault server. It prints
// each request's outcome and its own heap before and after, measured after garbage collection.
import { createClient, realClock, type FetchpipeEvent } from '../../../src/index.ts';
import { caveclient } from '../../../src/presets/index.ts';

const { origin, requests, concurrency, warmup, scale } = JSON.parse(process.argv[2]!) as {
  origin: string;
  requests: number;
  concurrency: number;
  warmup: number;
  scale: number;
};
const gc = (globalThis as { gc?: () => void }).gc!;
const print = (value: unknown): void => void process.stdout.write(`${JSON.stringify(value)}\n`);

let attempts = 0;
let retries = 0;
const clock = { sleep: (ms: number, signal?: AbortSignal) => realClock.sleep(ms / scale, signal) };
const client = createClient([...caveclient({ clock })], {
  onEvent: (event: FetchpipeEvent) => {
    if (event.type === 'attempt') attempts++;
    else if (event.type === 'retry') retries++;
  },
});

type Result = readonly [key: string, outcome: string, ms: number];

async function one(key: string): Promise<Result> {
  const started = performance.now();
  try {
    const response = await client(`${origin}/random?key=${key}&p503=0.1&preset=0.02`);
    await response.arrayBuffer();
    return [key, String(response.status), performance.now() - started];
  } catch (error) {
    const e = error as { name?: string; reason?: { name?: string }; phase?: string };
    const what = e.name === 'MaxRetryError' ? `MaxRetryError<${e.reason?.name}>` : `${e.name}${e.phase ? `<${e.phase}>` : ''}`;
    return [key, what, performance.now() - started];
  }
}

async function run(prefix: string, count: number): Promise<Result[]> {
  const results: Result[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const index = next++;
        results.push(await one(`${prefix}${index}`));
      }
    }),
  );
  return results;
}

await run('warm-', warmup);
gc();
await new Promise((resolve) => setTimeout(resolve, 50));
gc();
const heapBefore = process.memoryUsage().heapUsed;
attempts = 0;
retries = 0;
const started = performance.now();
let results: Result[] | undefined = await run('r', requests);
const wallMs = performance.now() - started;
print({ results, attempts, retries, wallMs });
// The results are the test's, not the client's: dropped before the heap is measured again.
results = undefined;
gc();
await new Promise((resolve) => setTimeout(resolve, 50));
gc();
print({ done: true, heapBefore, heapAfter: process.memoryUsage().heapUsed });
