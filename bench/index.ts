// npm run bench: runs every benchmark, each in its own child process, and rewrites
// docs/BENCHMARKS.md. `--quick` runs a seconds-long smoke of each and only prints the report;
// `--only a,b` runs some of them (overhead, targets, alloc, retry, throughput, memory, import, size) and only prints;
// `--render` rewrites the report from the figures of the last full run (bench/results.json).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem, type as osType } from 'node:os';
import { fileURLToPath } from 'node:url';
import { ALLOC_EXEC_ARGV, type AllocResult } from './alloc.ts';
import { removePackage } from './built-package.ts';
import { progress, runChild } from './child.ts';
import { runImportTime } from './import-time.ts';
import type { MemoryResult } from './memory.ts';
import { renderReport, type Environment, type Results } from './report.ts';
import { runSize } from './size.ts';
import type { StubBenchResult } from './stub-bench.ts';
import type { TargetsResult } from './targets.ts';
import type { ThroughputResult } from './throughput.ts';

const SECTIONS = ['overhead', 'targets', 'alloc', 'retry', 'throughput', 'memory', 'import', 'size'] as const;
type Section = (typeof SECTIONS)[number];

export const REPORT_PATH = fileURLToPath(new URL('../docs/BENCHMARKS.md', import.meta.url));
/** The raw figures behind the report, written by a full run; `--render` rewrites the report from them. */
const RESULTS_PATH = fileURLToPath(new URL('./results.json', import.meta.url));
const ANALYSIS_PATH = fileURLToPath(new URL('./ANALYSIS.md', import.meta.url));

function parseArgs(argv: readonly string[]): { quick: boolean; only: readonly Section[] | null } {
  const quick = argv.includes('--quick');
  const at = argv.indexOf('--only');
  // An unknown flag (`--help`, a typo) must not start a full run of several minutes.
  const unknownFlag = argv.find((arg, index) => arg !== '--quick' && arg !== '--only' && (at === -1 || index !== at + 1));
  if (unknownFlag !== undefined || (at !== -1 && at + 1 >= argv.length)) {
    throw new Error(`usage: npm run bench [-- --quick] [--only ${SECTIONS.join(',')}] | --render; unknown argument ${JSON.stringify(unknownFlag ?? '--only')}`);
  }
  if (at === -1) return { quick, only: null };
  const only = (argv[at + 1] ?? '').split(',').filter(Boolean);
  const unknown = only.filter((name) => !(SECTIONS as readonly string[]).includes(name));
  if (only.length === 0 || unknown.length > 0) {
    throw new Error(`--only takes a comma-separated list of ${SECTIONS.join(', ')}; got ${JSON.stringify(argv[at + 1] ?? '')}`);
  }
  return { quick, only: only as Section[] };
}

function version(name: string): string {
  const path = fileURLToPath(new URL(`../node_modules/${name}/package.json`, import.meta.url));
  return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
}

const load = () => loadavg().map((n) => n.toFixed(2)).join(' / ');

async function main(): Promise<void> {
  if (process.argv.includes('--render')) {
    // After an edit of bench/ANALYSIS.md or bench/report.ts: the same figures, rendered again.
    const saved = JSON.parse(readFileSync(RESULTS_PATH, 'utf8')) as Results;
    const analysis = existsSync(ANALYSIS_PATH) ? readFileSync(ANALYSIS_PATH, 'utf8') : undefined;
    writeFileSync(REPORT_PATH, renderReport({ ...saved, ...(analysis === undefined ? {} : { analysis }) }));
    progress(`rendered ${REPORT_PATH} from ${RESULTS_PATH}`);
    return;
  }
  const { quick, only } = parseArgs(process.argv.slice(2));
  const wanted = (section: Section) => only === null || only.includes(section);
  const started = performance.now();
  const loadBefore = load();
  const mode = { quick };
  const results: { -readonly [K in keyof Results]: Results[K] } = { env: undefined! };

  if (wanted('overhead')) {
    progress('overhead per call (stub fetch)');
    results.overhead = await runChild<StubBenchResult>('./stub-bench.ts', { mode: 'overhead', ...mode });
  }
  if (wanted('targets')) {
    progress('the issue-18 scenarios: own init, onEvent, failure, one retry, pass-through layers (stub fetch)');
    results.targets = await runChild<TargetsResult>('./targets.ts', mode);
  }
  if (wanted('alloc')) {
    progress('allocations per call (stub fetch)');
    results.alloc = await runChild<AllocResult>('./alloc.ts', mode, ALLOC_EXEC_ARGV);
  }
  if (wanted('throughput')) {
    progress('throughput over loopback');
    results.throughput = await runChild<ThroughputResult>('./throughput.ts', mode);
  }
  if (wanted('retry')) {
    progress('retry path (503, 503, 200)');
    results.retry = await runChild<StubBenchResult>('./stub-bench.ts', { mode: 'retry', ...mode });
  }
  if (wanted('memory')) {
    progress('memory (caveclient preset, --expose-gc)');
    results.memory = await runChild<MemoryResult>('./memory.ts', mode, ['--expose-gc']);
  }
  if (wanted('import')) {
    progress('import time (fresh processes)');
    results.importTime = runImportTime(mode);
  }
  if (wanted('size')) {
    progress('bundle size');
    results.size = await runSize();
  }
  removePackage();

  const cpu = cpus();
  results.env = {
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    cpu: cpu[0]?.model.trim() ?? 'unknown CPU',
    cores: cpu.length,
    memory: `${Math.round(totalmem() / 2 ** 30)} GiB`,
    os: `${osType()} ${release()}`,
    node: process.version,
    v8: process.versions.v8,
    undici: process.versions.undici ?? 'unknown',
    peers: ['ky', 'ofetch', 'wretch', 'up-fetch', 'fetch-extras', 'mitata'].map((name) => `${name} ${version(name)}`).join(', '),
    loadBefore,
    loadAfter: load(),
    durationS: (performance.now() - started) / 1000,
    quick,
  } satisfies Environment;
  if (!quick && only === null) writeFileSync(RESULTS_PATH, `${JSON.stringify(results, null, 1)}\n`);
  if (existsSync(ANALYSIS_PATH)) results.analysis = readFileSync(ANALYSIS_PATH, 'utf8');

  const report = renderReport(results);
  if (quick || only !== null) {
    process.stdout.write(report);
    progress(`done in ${Math.round(results.env.durationS)} s; ${quick ? 'quick run' : 'partial run'}, ${REPORT_PATH} left as it was`);
  } else {
    writeFileSync(REPORT_PATH, report);
    progress(`done in ${Math.round(results.env.durationS)} s; wrote ${REPORT_PATH}`);
  }
}

if (import.meta.main) {
  try {
    await main();
  } catch (error) {
    process.stderr.write(`[bench] FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  }
}
