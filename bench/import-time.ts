// Import time on Node: how long `await import(name)` takes in a fresh process, and the heap it
// leaves after a collection, for the built package beside its peers and beside zod/mini alone
// (fetchpipe's one dependency, whose share of the figure is reported). fetchpipe is measured as
// users get it: built, and imported by name from an app folder (built-package.ts).
import { execFileSync } from 'node:child_process';
import { buildPackage } from './built-package.ts';
import { progress } from './child.ts';
import { spread, type Spread } from './stats.ts';

export interface ImportRow {
  readonly name: string;
  readonly specifier: string;
  /** In a fresh process, as an app's first import sees it (Node loads its fetch lazily, on first use). */
  readonly ms: Spread;
  /** heapUsed after import and GC, minus before, bytes: median over the runs. */
  readonly heapBytes: number;
  /** The same with Node's fetch (undici) loaded before the clock starts: the package's own cost. */
  readonly msFetchLoaded: Spread;
  readonly heapBytesFetchLoaded: number;
}

export interface ImportResult {
  readonly runs: number;
  readonly node: string;
  readonly rows: readonly ImportRow[];
}

// Node loads its fetch (undici, about 40 ms) on the first read of fetch, Headers, Request or
// Response; a package that touches one at module level pays for it inside its import.
const PROBE = `
if (process.argv[2] === 'fetch-loaded') void globalThis.Response;
globalThis.gc(); globalThis.gc();
const heap = process.memoryUsage().heapUsed;
const started = performance.now();
await import(process.argv[1]);
const ms = performance.now() - started;
globalThis.gc(); globalThis.gc();
process.stdout.write(JSON.stringify({ ms, heap: process.memoryUsage().heapUsed - heap }));
`;

function probe(appDir: string, specifier: string, fetchLoaded: boolean): { ms: number; heap: number } {
  const args = ['--expose-gc', '--input-type=module', '-e', PROBE, specifier, fetchLoaded ? 'fetch-loaded' : 'cold'];
  const out = execFileSync(process.execPath, args, { cwd: appDir, encoding: 'utf8' });
  return JSON.parse(out) as { ms: number; heap: number };
}

export function runImportTime(options: { quick: boolean }): ImportResult {
  const runs = options.quick ? 1 : 11;
  const appDir = buildPackage();
  const subjects: ReadonlyArray<readonly [string, string]> = [
    ['fetchpipe (built, main entry)', 'fetchpipe'],
    ['zod/mini alone', 'zod/mini'],
    ['ky', 'ky'],
    ['ofetch', 'ofetch'],
    ['wretch', 'wretch'],
    ['up-fetch', 'up-fetch'],
    ['fetch-extras', 'fetch-extras'],
  ];
  const samples = subjects.map(() => ({ ms: [] as number[], heap: [] as number[], msLoaded: [] as number[], heapLoaded: [] as number[] }));
  for (let run = 0; run < runs; run++) {
    if (run % 5 === 0) progress(`import time: run ${run + 1}/${runs}`);
    // Interleaved, so that a busy second on the shared machine touches every package alike.
    subjects.forEach(([, specifier], index) => {
      const cold = probe(appDir, specifier, false);
      const loaded = probe(appDir, specifier, true);
      samples[index]!.ms.push(cold.ms);
      samples[index]!.heap.push(cold.heap);
      samples[index]!.msLoaded.push(loaded.ms);
      samples[index]!.heapLoaded.push(loaded.heap);
    });
  }
  return {
    runs,
    node: process.version,
    rows: subjects.map(([name, specifier], index) => ({
      name,
      specifier,
      ms: spread(samples[index]!.ms),
      heapBytes: spread(samples[index]!.heap).median,
      msFetchLoaded: spread(samples[index]!.msLoaded),
      heapBytesFetchLoaded: spread(samples[index]!.heapLoaded).median,
    })),
  };
}
