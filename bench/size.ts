// Bundle size: fetchpipe's figures come from the size check (scripts/size.ts, with its ceilings,
// measured on the built package); each peer, and fetchpipe as the benchmarks configure it, is built
// here the same way (esbuild: bundle, minify, platform browser, format esm, target es2022; gzip
// level 9), from an entry that imports exactly what the benchmark client uses.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleSize, installBuilt, measureAll } from '../scripts/size.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface SizeRow {
  readonly name: string;
  readonly minified: number;
  readonly gzipped: number;
  /** Ceiling in bytes (min+gz) from the size check, or null. */
  readonly budget: number | null;
}

export interface SizeResult {
  /** scripts/size.ts: the typical client and the full library, zod counted and left out. */
  readonly fetchpipe: readonly SizeRow[];
  /** The code each benchmark client pulls in, zod counted for fetchpipe. */
  readonly asBenchmarked: readonly SizeRow[];
}

const ENTRIES: ReadonlyArray<readonly [string, string]> = [
  ['fetchpipe', "export { createClient, retry, backoff, baseUrl, headers, authHeaders, userAgent } from 'fetchpipe';"],
  ['ky', "export { default } from 'ky';"],
  ['ofetch', "export { ofetch } from 'ofetch';"],
  ['wretch + retry', "export { default } from 'wretch'; export { retry } from 'wretch/middlewares';"],
  ['up-fetch', "export { up } from 'up-fetch';"],
  ['fetch-extras', "export { pipeline, withBaseUrl, withHeaders, withRetry } from 'fetch-extras';"],
];

async function measureEntry(app: string, name: string, contents: string): Promise<SizeRow> {
  // fetchpipe resolves from the built package in `app`; the peers from this checkout's node_modules.
  const { minified, gzipped } = await bundleSize(name === 'fetchpipe' ? app : ROOT, contents);
  return { name, minified, gzipped, budget: null };
}

export async function runSize(): Promise<SizeResult> {
  const { app, dispose } = installBuilt();
  try {
    const fetchpipe = (await measureAll(app)).map((m) => ({
      name: `${m.name}, zod ${m.zod === 'bundled' ? 'counted' : 'left out'}`,
      minified: m.minified,
      gzipped: m.gzipped,
      budget: m.ceiling,
    }));
    const asBenchmarked: SizeRow[] = [];
    for (const [name, contents] of ENTRIES) asBenchmarked.push(await measureEntry(app, name, contents));
    return { fetchpipe, asBenchmarked };
  } finally {
    dispose();
  }
}
