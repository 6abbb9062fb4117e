// Bundle-size budget, measured on the built package as a user's bundler sees it: the package is
// built (tsdown) into a scratch node_modules/fetchpipe beside its package.json, and an app entry
// that imports from 'fetchpipe' is bundled by esbuild (minify, ESM, es2022, tree-shaken, through
// the package's `exports`), then gzipped at level 9. zod is either bundled from node_modules (what
// an app ships) or left external (what fetchpipe adds on top of an app's own zod).
//
//   npx node scripts/size.ts [--json] [--top N] [--steps]
//
// --steps also prints what each export of the typical client adds, in the order a client adds them.
// Exits 1 when a bundle is over its ceiling, listing the biggest inputs of the bundle that missed it.
//
// To measure another bundle, add a row to BUNDLES (a `browser` platform picks the `browser`
// export condition, for when the package has one).
import { build, type Metafile } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const TOP = argv.includes('--top') ? Number(argv[argv.indexOf('--top') + 1]) : 8;

/** One type guard, imported alone, costs at most this (min+gz, zod bundled). */
export const GUARD_CEILING = 300;
/**
 * One error class imported alone: the target is 300 B too, and it is not met. Every class carries
 * the base's masked toJSON, its compact util.inspect output, the brand's getter and `retryable`
 * (377–444 B today); this ceiling holds today's figure so that growth fails.
 */
export const ERROR_CLASS_CEILING = 450;
export const ERROR_CLASS_TARGET = 300;

export interface Bundle {
  readonly name: string;
  /** The app's entry: what it imports from the package. */
  readonly code: string;
  readonly zod: 'bundled' | 'external';
  /** esbuild's platform: 'browser' picks the `browser` export condition, 'neutral' only `default`. */
  readonly platform: 'browser' | 'neutral';
  /**
 * Fails above this many bytes min+gz: today's figure, lowered as the code shrinks. History: set on
 * the built package at 11.95 / 16.22 / 16.39 / 20.68 kB; raised with the merge of issue #14 §1, §4
 * and §6 (baseUrl's path check, bounded error bodies, long timers, observers, fetch's refusals),
 * then with the secrets work (#14: masking by header name, thrown values, run-time secrets)
 * and the kit (#16: slots, the error brand, `retryable`, the resolved chain), and the secrets'
 * per-call forms (#14), and the resilience middlewares and otel (#17; the full library +5.6 kB);
 * lowered when the `browser` condition (#18's browser build) came in.
 */
  readonly ceiling: number;
  /** What the bundle should weigh one day, min+gz; reported, not enforced. */
  readonly target?: number;
}

const TYPICAL_EXPORTS = ['createClient', 'retry', 'backoff', 'baseUrl', 'authHeaders', 'userAgent'];
const TYPICAL = `export { ${TYPICAL_EXPORTS.join(', ')} } from 'fetchpipe';`;
const FULL = "export * from 'fetchpipe';";

export const BUNDLES: readonly Bundle[] = [
  { name: 'typical client', code: TYPICAL, zod: 'external', platform: 'browser', ceiling: 15_380, target: 2_500 },
  { name: 'typical client', code: TYPICAL, zod: 'bundled', platform: 'browser', ceiling: 19_700, target: 8_000 },
  { name: 'full library', code: FULL, zod: 'external', platform: 'browser', ceiling: 25_940 },
  { name: 'full library', code: FULL, zod: 'bundled', platform: 'browser', ceiling: 30_230, target: 9_000 },
  { name: 'schemas entry', code: "export * from 'fetchpipe/schemas';", zod: 'external', platform: 'browser', ceiling: 21_000 },
];

export interface Measured {
  readonly name: string;
  readonly zod: 'bundled' | 'external';
  readonly platform: Bundle['platform'];
  readonly minified: number;
  readonly gzipped: number;
  readonly ceiling: number;
  readonly target: number | null;
  readonly ok: boolean;
  /** The biggest inputs of the bundle, in minified bytes. */
  readonly top: ReadonlyArray<{ readonly input: string; readonly bytes: number }>;
}

/** A scratch app with the package built and installed in its node_modules, zod linked beside it. */
export interface Installed {
  readonly app: string;
  readonly dispose: () => void;
}

/** Builds the package into `<scratch>/node_modules/fetchpipe`, as `npm install` would lay it out. */
export function installBuilt(): Installed {
  const app = mkdtempSync(join(tmpdir(), 'fetchpipe-size-'));
  const pkg = join(app, 'node_modules', 'fetchpipe');
  mkdirSync(pkg, { recursive: true });
  // The package's own build configs (neutral, and browser into dist/browser/), each moved under
  // the scratch node_modules: `--out-dir` would send every config to the same folder.
  const config = join(app, 'tsdown.config.ts');
  writeFileSync(
    config,
    [
      `import configs from ${JSON.stringify(join(ROOT, 'tsdown.config.ts'))};`,
      'const all = Array.isArray(configs) ? configs : [configs];',
      `export default all.map((c) => ({ ...c, cwd: ${JSON.stringify(ROOT)}, dts: false, outDir: String(c.outDir ?? 'dist').replace(/^dist/, ${JSON.stringify(join(pkg, 'dist'))}) }));`,
      '',
    ].join('\n'),
  );
  const built = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'tsdown', 'dist', 'run.mjs'), '-c', config, '--log-level', 'error'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (built.status !== 0) throw new Error(`the build failed:\n${built.stdout}${built.stderr}`);
  cpSync(join(ROOT, 'package.json'), join(pkg, 'package.json'));
  symlinkSync(join(ROOT, 'node_modules', 'zod'), join(app, 'node_modules', 'zod'), 'dir');
  return { app, dispose: () => rmSync(app, { recursive: true, force: true }) };
}

/** Bundles `code` (an app entry) as a user's bundler would, and gzips it at level 9. */
export async function bundleSize(
  app: string,
  code: string,
  { zod = 'bundled', platform = 'browser', external = [] }: Partial<Pick<Bundle, 'zod' | 'platform'>> & { external?: readonly string[] } = {},
) {
  const result = await build({
    stdin: { contents: code, resolveDir: app, sourcefile: 'app.js', loader: 'js' },
    bundle: true,
    minify: true,
    platform,
    // esbuild's neutral platform resolves no main fields by itself; an app bundler reads `exports` only.
    ...(platform === 'neutral' ? { mainFields: ['module', 'main'] } : {}),
    format: 'esm',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
    external: [...(zod === 'external' ? ['zod', 'zod/*'] : []), ...external],
  });
  const output = result.outputFiles[0]!.contents;
  return { minified: output.length, gzipped: gzipSync(output, { level: 9 }).length, metafile: result.metafile };
}

function biggestInputs(metafile: Metafile): Array<{ input: string; bytes: number }> {
  const inputs = Object.values(metafile.outputs)[0]!.inputs;
  return Object.entries(inputs)
    .map(([input, { bytesInOutput }]) => ({ input: input.replace(/^.*node_modules\//, ''), bytes: bytesInOutput }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, TOP);
}

export async function measure(app: string, bundle: Bundle): Promise<Measured> {
  const { minified, gzipped, metafile } = await bundleSize(app, bundle.code, bundle);
  return {
    name: bundle.name,
    zod: bundle.zod,
    platform: bundle.platform,
    minified,
    gzipped,
    ceiling: bundle.ceiling,
    target: bundle.target ?? null,
    ok: gzipped <= bundle.ceiling,
    top: biggestInputs(metafile),
  };
}

export async function measureAll(app: string): Promise<Measured[]> {
  const measured: Measured[] = [];
  for (const bundle of BUNDLES) measured.push(await measure(app, bundle));
  return measured;
}

/** Every type guard and error class the main entry exports, read from the built package. */
export async function guardsAndErrorClasses(app: string): Promise<string[]> {
  const entry: Record<string, unknown> = await import(pathToFileURL(join(app, 'node_modules', 'fetchpipe', 'dist', 'index.js')).href);
  return Object.entries(entry)
    .filter(([name, value]) => typeof value === 'function' && (/^is[A-Z]/.test(name) || value.prototype instanceof Error))
    .map(([name]) => name)
    .sort();
}

export interface Single {
  readonly name: string;
  readonly kind: 'guard' | 'error class';
  readonly gzipped: number;
  readonly ceiling: number;
}

/** What each guard and error class costs imported alone from 'fetchpipe', zod bundled. */
export async function singleExports(app: string): Promise<Single[]> {
  const out: Single[] = [];
  for (const name of await guardsAndErrorClasses(app)) {
    const guard = /^is[A-Z]/.test(name);
    out.push({
      name,
      kind: guard ? 'guard' : 'error class',
      gzipped: (await bundleSize(app, `export { ${name} } from 'fetchpipe';`)).gzipped,
      ceiling: guard ? GUARD_CEILING : ERROR_CLASS_CEILING,
    });
  }
  return out;
}

const kB = (bytes: number) => `${(bytes / 1000).toFixed(2)} kB`;

/** The typical client built up one export at a time (zod left out): what each one adds, min+gz. */
async function printSteps(app: string): Promise<void> {
  console.log('\ntypical client, one export at a time (zod left out)   min        min+gz     added');
  let previous = 0;
  for (let count = 1; count <= TYPICAL_EXPORTS.length; count++) {
    const names = TYPICAL_EXPORTS.slice(0, count);
    const { minified, gzipped } = await bundleSize(app, `export { ${names.join(', ')} } from 'fetchpipe';`, { zod: 'external' });
    console.log(`+ ${names.at(-1)!.padEnd(51)}${kB(minified).padEnd(11)}${kB(gzipped).padEnd(11)}+${kB(gzipped - previous)}`);
    previous = gzipped;
  }
}

// The resilience middlewares (issue #17), each on top of the whole typical client, and
// fetchpipe/otel on top of it with @opentelemetry/api left out, as a user's bundler sees them in dist/.
const RESILIENCE_EXPORTS = ['retryBudget', 'authRefresh', 'rateLimit', 'circuitBreaker', 'idempotencyKey', 'withOptions'];

async function printResilienceSteps(app: string): Promise<void> {
  console.log('\nthe typical client plus one resilience export (zod left out)   min        min+gz     added');
  const options = { zod: 'external', external: ['@opentelemetry/*'] } as const;
  const typical = `export { ${TYPICAL_EXPORTS.join(', ')} } from 'fetchpipe';`;
  const base = await bundleSize(app, typical, options);
  for (const name of [...RESILIENCE_EXPORTS, 'otel']) {
    const from = name === 'otel' ? "export { otel } from 'fetchpipe/otel';" : `export { ${name} } from 'fetchpipe';`;
    const { minified, gzipped } = await bundleSize(app, `${typical}\n${from}`, options);
    console.log(`+ ${name.padEnd(59)}${kB(minified).padEnd(11)}${kB(gzipped).padEnd(11)}+${kB(gzipped - base.gzipped)}`);
  }
}

async function main(): Promise<void> {
  const { app, dispose } = installBuilt();
  try {
    const measured = await measureAll(app);
    const singles = await singleExports(app);
    if (argv.includes('--json')) {
      console.log(JSON.stringify({ bundles: measured, singles }));
    } else {
      console.log('bundle (from dist/)                     min        min+gz     ceiling         target');
      for (const m of measured) {
        const label = `${m.name}, zod ${m.zod === 'bundled' ? 'counted' : 'external'}`.padEnd(40);
        const target = m.target === null ? '—' : `${m.gzipped <= m.target ? 'met' : 'not met'} ${kB(m.target)}`;
        console.log(`${label}${kB(m.minified).padEnd(11)}${kB(m.gzipped).padEnd(11)}${`${m.ok ? '≤' : 'OVER'} ${kB(m.ceiling)}`.padEnd(16)}${target}`);
      }
      for (const kind of ['guard', 'error class'] as const) {
        const of = singles.filter((x) => x.kind === kind);
        const worst = of.reduce((a, b) => (b.gzipped > a.gzipped ? b : a));
        const best = of.reduce((a, b) => (b.gzipped < a.gzipped ? b : a));
        console.log(`one ${kind} alone (${of.length}): ${best.gzipped}–${worst.gzipped} B (largest ${worst.name}); ceiling ${worst.ceiling} B, target 300 B`);
      }
      console.log('(esbuild: bundle, minify, format esm, target es2022, through the package exports; gzip level 9; 1 kB = 1000 bytes)');
      if (argv.includes('--steps')) {
        await printSteps(app);
        await printResilienceSteps(app);
      }
    }
    for (const m of measured.filter((x) => !x.ok)) {
      console.error(`\n${m.name} (zod ${m.zod}) is ${kB(m.gzipped)} min+gz, over its ${kB(m.ceiling)} ceiling. Biggest inputs (minified bytes):`);
      for (const { input, bytes } of m.top) console.error(`  ${String(bytes).padStart(7)}  ${input}`);
      process.exitCode = 1;
    }
    for (const s of singles.filter((x) => x.gzipped > x.ceiling)) {
      console.error(`${s.name} alone is ${s.gzipped} B min+gz, over ${s.ceiling} B`);
      process.exitCode = 1;
    }
  } finally {
    dispose();
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
