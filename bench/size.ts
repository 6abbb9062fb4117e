// Bundle size: fetchpipe's figures come from the size check (scripts/size.ts, with its budgets);
// each peer, and fetchpipe as the benchmarks configure it, is built here the same way (esbuild:
// bundle, minify, platform browser, format esm, target es2022; gzip level 9), from an entry that
// imports exactly what the benchmark client uses.
import { bundleSize, measureAll } from '../scripts/size.ts';

export interface SizeRow {
  readonly name: string;
  readonly minified: number;
  readonly gzipped: number;
  /** Budget in bytes (min+gz) from the size check, or null. */
  readonly budget: number | null;
}

export interface SizeResult {
  /** scripts/size.ts: the typical client and the full library, zod counted and left out. */
  readonly fetchpipe: readonly SizeRow[];
  /** The code each benchmark client pulls in, zod counted for fetchpipe. */
  readonly asBenchmarked: readonly SizeRow[];
}

const ENTRIES: ReadonlyArray<readonly [string, string]> = [
  ['fetchpipe', "export { createClient, retry, backoff, baseUrl, headers, authHeaders, userAgent } from './src/index.ts';"],
  ['ky', "export { default } from 'ky';"],
  ['ofetch', "export { ofetch } from 'ofetch';"],
  ['wretch + retry', "export { default } from 'wretch'; export { retry } from 'wretch/middlewares';"],
  ['up-fetch', "export { up } from 'up-fetch';"],
  ['fetch-extras', "export { pipeline, withBaseUrl, withHeaders, withRetry } from 'fetch-extras';"],
];

async function measureEntry(name: string, contents: string): Promise<SizeRow> {
  const { minified, gzipped } = await bundleSize(contents);
  return { name, minified, gzipped, budget: null };
}

export async function runSize(): Promise<SizeResult> {
  const fetchpipe = (await measureAll()).map((m) => ({
    name: `${m.name}, zod ${m.zod === 'bundled' ? 'counted' : 'left out'}`,
    minified: m.minified,
    gzipped: m.gzipped,
    budget: m.budget,
  }));
  const asBenchmarked: SizeRow[] = [];
  for (const [name, contents] of ENTRIES) asBenchmarked.push(await measureEntry(name, contents));
  return { fetchpipe, asBenchmarked };
}
