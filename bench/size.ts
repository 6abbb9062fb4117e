// Bundle size. Two views:
// - the issue-18 targets, on the built package (built-package.ts) as an app's bundler sees it:
//   esbuild imports 'fetchpipe' by name, so the `exports` map and its conditions decide which
//   files come in (platform browser or node; minify, ESM, es2022; gzip level 9);
// - what each benchmark client pulls into a browser bundle, peers beside fetchpipe, and the
//   size check's own figures (scripts/size.ts, with its ceilings, also on the built package).
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { bundleSize, measureAll } from '../scripts/size.ts';
import { buildPackage } from './built-package.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface SizeRow {
  readonly name: string;
  readonly minified: number;
  readonly gzipped: number;
  /** Ceiling in bytes (min+gz) from the size check, or null. */
  readonly budget: number | null;
}

/** One size target of issue 18, measured on the built package. */
export interface SizeTarget {
  readonly name: string;
  readonly imports: string;
  readonly platform: 'browser' | 'node';
  readonly zod: 'counted' | 'left out';
  readonly gzipped: number;
  /** The target, bytes min+gz. */
  readonly target: number;
}

export interface SizeResult {
  /** scripts/size.ts: the typical client and the full library, zod counted and left out. */
  readonly fetchpipe: readonly SizeRow[];
  /** The code each benchmark client pulls in, zod counted for fetchpipe. */
  readonly asBenchmarked: readonly SizeRow[];
  readonly targets: readonly SizeTarget[];
}

const TYPICAL = 'createClient, retry, backoff, baseUrl, authHeaders, userAgent';
/** Issue 18's size targets (test/size-targets.test.ts holds each at the figure reached). */
export const SIZE_TARGETS: ReadonlyArray<Omit<SizeTarget, 'gzipped'>> = [
  { name: 'typical client, browser build', imports: TYPICAL, platform: 'browser', zod: 'left out', target: 8_000 },
  { name: 'typical client, browser build', imports: TYPICAL, platform: 'browser', zod: 'counted', target: 12_500 },
  { name: 'typical client, Node/Deno/Bun build', imports: TYPICAL, platform: 'node', zod: 'left out', target: 9_500 },
  { name: 'full library', imports: '*', platform: 'browser', zod: 'counted', target: 18_000 },
  { name: 'one guard', imports: 'isMaxRetryError', platform: 'browser', zod: 'counted', target: 300 },
  { name: 'one error class', imports: 'MaxRetryError', platform: 'browser', zod: 'counted', target: 300 },
];

/** Bundles what `target` imports from the built package in `appDir`, and gzips it. */
export async function measureTarget(appDir: string, target: Omit<SizeTarget, 'gzipped'>): Promise<SizeTarget> {
  const contents = target.imports === '*' ? "export * from 'fetchpipe';" : `export { ${target.imports} } from 'fetchpipe';`;
  const result = await build({
    stdin: { contents, resolveDir: appDir, sourcefile: 'app.js', loader: 'js' },
    bundle: true,
    minify: true,
    platform: target.platform,
    format: 'esm',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    external: target.zod === 'left out' ? ['zod', 'zod/*'] : [],
  });
  return { ...target, gzipped: gzipSync(result.outputFiles[0]!.contents, { level: 9 }).length };
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
  // Resolved from the checkout: fetchpipe's sources as the benchmarks run them, the peers from node_modules.
  const { minified, gzipped } = await bundleSize(ROOT, contents);
  return { name, minified, gzipped, budget: null };
}

export async function runSize(): Promise<SizeResult> {
  const appDir = buildPackage();
  const fetchpipe = (await measureAll(appDir)).map((m) => ({
    name: `${m.name}, zod ${m.zod === 'bundled' ? 'counted' : 'left out'}`,
    minified: m.minified,
    gzipped: m.gzipped,
    budget: m.ceiling,
  }));
  const asBenchmarked: SizeRow[] = [];
  for (const [name, contents] of ENTRIES) asBenchmarked.push(await measureEntry(name, contents));
  const targets: SizeTarget[] = [];
  for (const target of SIZE_TARGETS) targets.push(await measureTarget(appDir, target));
  return { fetchpipe, asBenchmarked, targets };
}
