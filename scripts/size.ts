// Bundle-size budget: what fetchpipe adds to a browser bundle, min+gz, as esbuild builds it
// (minify, platform browser, format esm, tree-shaken), with zod/mini counted and left out.
//
//   npx node scripts/size.ts [--json] [--top N] [--steps]
//
// --steps also prints what each export of the typical client adds, in the order a client adds them.
//
// Exits 1 when a budget is exceeded, listing the biggest inputs of the bundle that missed it.
import { build, type Metafile } from 'esbuild';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const TOP = argv.includes('--top') ? Number(argv[argv.indexOf('--top') + 1]) : 8;

interface Scenario {
  readonly name: string;
  readonly code: string;
  readonly zod: 'bundled' | 'external';
  /** Budget in bytes, min+gz; undefined = measured and reported only. */
  readonly budget?: number;
}

const TYPICAL = "export { createClient, retry, backoff, baseUrl, authHeaders, userAgent } from './src/index.ts';";
const FULL = "export * from './src/index.ts';";

export const SCENARIOS: readonly Scenario[] = [
  { name: 'typical client', code: TYPICAL, zod: 'external', budget: 2_500 },
  { name: 'typical client', code: TYPICAL, zod: 'bundled', budget: 8_000 },
  { name: 'full library', code: FULL, zod: 'external' },
  { name: 'full library', code: FULL, zod: 'bundled', budget: 9_000 },
];

export interface Measured {
  readonly name: string;
  readonly zod: 'bundled' | 'external';
  readonly minified: number;
  readonly gzipped: number;
  readonly budget: number | null;
  readonly ok: boolean;
  /** The biggest inputs of the bundle, in minified bytes. */
  readonly top: ReadonlyArray<{ readonly input: string; readonly bytes: number }>;
}

/** Bundles `code` as a browser app would (esbuild: bundle, minify, ESM, es2022) and gzips it at level 9. */
export async function bundleSize(code: string, external: readonly string[] = []) {
  const result = await build({
    stdin: { contents: code, resolveDir: ROOT, sourcefile: 'entry.ts', loader: 'ts' },
    bundle: true,
    minify: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
    external: [...external],
  });
  const output = result.outputFiles[0]!.contents;
  return { minified: output.length, gzipped: gzipSync(output, { level: 9 }).length, metafile: result.metafile };
}

async function measure(scenario: Scenario): Promise<Measured> {
  const { minified, gzipped, metafile } = await bundleSize(scenario.code, scenario.zod === 'external' ? ['zod', 'zod/*'] : []);
  const budget = scenario.budget ?? null;
  return {
    name: scenario.name,
    zod: scenario.zod,
    minified,
    gzipped,
    budget,
    ok: budget === null || gzipped <= budget,
    top: biggestInputs(metafile),
  };
}

function biggestInputs(metafile: Metafile): Array<{ input: string; bytes: number }> {
  const inputs = Object.values(metafile.outputs)[0]!.inputs;
  return Object.entries(inputs)
    .map(([input, { bytesInOutput }]) => ({ input: input.replace(/^.*node_modules\//, ''), bytes: bytesInOutput }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, TOP);
}

export async function measureAll(): Promise<Measured[]> {
  const measured: Measured[] = [];
  for (const scenario of SCENARIOS) measured.push(await measure(scenario));
  return measured;
}

const kB = (bytes: number) => `${(bytes / 1000).toFixed(2)} kB`;

const TYPICAL_EXPORTS = ['createClient', 'retry', 'backoff', 'baseUrl', 'authHeaders', 'userAgent'];

/** The typical client built up one export at a time (zod left out): what each one adds, min+gz. */
async function printSteps(): Promise<void> {
  console.log('\ntypical client, one export at a time (zod left out)   min        min+gz     added');
  let previous = 0;
  for (let count = 1; count <= TYPICAL_EXPORTS.length; count++) {
    const names = TYPICAL_EXPORTS.slice(0, count);
    const { minified, gzipped } = await bundleSize(`export { ${names.join(', ')} } from './src/index.ts';`, ['zod', 'zod/*']);
    console.log(`+ ${names.at(-1)!.padEnd(51)}${kB(minified).padEnd(11)}${kB(gzipped).padEnd(11)}+${kB(gzipped - previous)}`);
    previous = gzipped;
  }
}

// The resilience middlewares (issue #17), each on top of the whole typical client, and
// fetchpipe/otel on top of it with @opentelemetry/api left out, as a user's bundler would see them.
const RESILIENCE_EXPORTS = ['retryBudget', 'authRefresh', 'rateLimit', 'circuitBreaker', 'idempotencyKey', 'withOptions'];

async function printResilienceSteps(): Promise<void> {
  console.log('\nthe typical client plus one resilience export (zod left out)   min        min+gz     added');
  const external = ['zod', 'zod/*', '@opentelemetry/*'];
  const base = await bundleSize(`export { ${TYPICAL_EXPORTS.join(', ')} } from './src/index.ts';`, external);
  for (const name of [...RESILIENCE_EXPORTS, 'otel']) {
    const from = name === 'otel' ? "export { otel } from './src/otel/index.ts';" : `export { ${name} } from './src/index.ts';`;
    const { minified, gzipped } = await bundleSize(`export { ${TYPICAL_EXPORTS.join(', ')} } from './src/index.ts';\n${from}`, external);
    console.log(`+ ${name.padEnd(59)}${kB(minified).padEnd(11)}${kB(gzipped).padEnd(11)}+${kB(gzipped - base.gzipped)}`);
  }
}

async function main(): Promise<void> {
  const measured = await measureAll();
  if (argv.includes('--json')) {
    console.log(JSON.stringify(measured));
  } else {
    console.log('bundle                        min        min+gz     budget');
    for (const m of measured) {
      const label = `${m.name}, zod ${m.zod === 'bundled' ? 'counted' : 'external'}`.padEnd(30);
      const verdict = m.budget === null ? '—' : `${m.ok ? '≤' : 'OVER'} ${kB(m.budget)}`;
      console.log(`${label}${kB(m.minified).padEnd(11)}${kB(m.gzipped).padEnd(11)}${verdict}`);
    }
    console.log('(esbuild: bundle, minify, platform browser, format esm, target es2022; gzip level 9; 1 kB = 1000 bytes)');
    if (argv.includes('--steps')) {
      await printSteps();
      await printResilienceSteps();
    }
  }
  for (const m of measured.filter((x) => !x.ok)) {
    console.error(`\n${m.name} (zod ${m.zod}) is ${kB(m.gzipped)} min+gz, over its ${kB(m.budget!)} budget. Biggest inputs (minified bytes):`);
    for (const { input, bytes } of m.top) console.error(`  ${String(bytes).padStart(7)}  ${input}`);
    process.exitCode = 1;
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
