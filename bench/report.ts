// Renders the results as docs/BENCHMARKS.md: machine line, the targets and whether they are met,
// each benchmark's table, what every client was configured with, how to reproduce, the analysis.
import { CLIENTS, fetchpipe, floor, naive } from './clients.ts';
import { CONFIG_SUMMARY } from './config.ts';
import type { AllocResult } from './alloc.ts';
import type { MemoryResult } from './memory.ts';
import type { SizeResult } from './size.ts';
import { formatBytes, formatInt, formatKb, formatNs, formatRatio, type Spread } from './stats.ts';
import type { StubBenchResult } from './stub-bench.ts';
import type { ThroughputResult } from './throughput.ts';

export interface Environment {
  readonly date: string;
  readonly cpu: string;
  readonly cores: number;
  readonly memory: string;
  readonly os: string;
  readonly node: string;
  readonly v8: string;
  readonly undici: string;
  readonly peers: string;
  readonly loadBefore: string;
  readonly loadAfter: string;
  readonly durationS: number;
  readonly quick: boolean;
}

export interface Results {
  readonly env: Environment;
  readonly overhead?: StubBenchResult;
  readonly alloc?: AllocResult;
  readonly retry?: StubBenchResult;
  readonly throughput?: ThroughputResult;
  readonly memory?: MemoryResult;
  readonly size?: SizeResult;
  /** Hand-written findings of the profile (bench/ANALYSIS.md), included as they are. */
  readonly analysis?: string;
}

/** Overhead ≤ 1.10× the floor; throughput ≥ 0.97× bare fetch. */
export const TARGETS = { overhead: 1.1, throughput: 0.97 } as const;

const PEERS = new Set(CLIENTS.filter((client) => client !== floor && client !== fetchpipe && client !== naive).map((client) => client.name));

const range = (s: Spread, format: (n: number) => string) => `${format(s.min)} – ${format(s.max)}`;
const mark = (ok: boolean) => (ok ? '✅ met' : '❌ missed');

function targetRows(results: Results): string[] {
  const rows: string[] = [];
  const { overhead, throughput, memory, size } = results;
  if (overhead) {
    const own = overhead.rows.find((row) => row.name === fetchpipe.name)!;
    const ratio = own.ratio.median;
    rows.push(
      `| overhead ≤ ${formatRatio(TARGETS.overhead)} the floor | ${formatRatio(ratio)} (+${formatNs(own.ns.median - overhead.rows.find((r) => r.name === floor.name)!.ns.median)} per call) | ${mark(ratio <= TARGETS.overhead)}${ratio <= TARGETS.overhead ? '' : `, by ${(ratio - TARGETS.overhead).toFixed(2)}×`} |`,
    );
    const ahead = overhead.rows.filter((row) => PEERS.has(row.name) && row.ns.median <= own.ns.median).map((row) => row.name);
    rows.push(
      `| overhead ahead of every peer | ${ahead.length === 0 ? 'faster than all five' : `behind or level with ${ahead.join(', ')}`} | ${mark(ahead.length === 0)} |`,
    );
  }
  if (throughput) {
    const ratio = throughput.rows.find((row) => row.name === fetchpipe.name)!.ratio.median;
    rows.push(
      `| throughput ≥ ${formatRatio(TARGETS.throughput)} bare fetch | ${formatRatio(ratio)} | ${mark(ratio >= TARGETS.throughput)}${ratio >= TARGETS.throughput ? '' : `, by ${(TARGETS.throughput - ratio).toFixed(2)}×`} |`,
    );
  }
  if (memory) {
    const own = memory.rows.find((row) => row.name.startsWith('fetchpipe'))!;
    rows.push(
      `| no per-request heap growth | ${formatBytes(own.endHeap - own.startHeap)} after ${formatInt(own.requests)} requests (slope ${own.bytesPerRequest.toFixed(2)} B/request), margin ${formatBytes(memory.margin)} | ${mark(own.withinMargin)} |`,
    );
  }
  if (size) {
    const budgeted = size.fetchpipe.filter((row) => row.budget !== null);
    const over = budgeted.filter((row) => row.gzipped > row.budget!);
    rows.push(
      `| bundle budgets (size check) | ${budgeted.map((row) => `${row.name}: ${formatKb(row.gzipped)} / ${formatKb(row.budget!)}`).join('; ')} | ${mark(over.length === 0)} |`,
    );
  }
  return rows;
}

function stubTable(result: StubBenchResult): string[] {
  const lines = [
    `| client | median per call | min – max of the rounds | ratio to ${result.reference} | ratio min – max |`,
    '|---|---:|---:|---:|---:|',
  ];
  const rows = [...result.rows].sort((a, b) => a.ns.median - b.ns.median);
  for (const row of rows) {
    const name = row.name === fetchpipe.name ? `**${row.name}**` : row.name;
    lines.push(`| ${name} | ${formatNs(row.ns.median)} | ${range(row.ns, formatNs)} | ${formatRatio(row.ratio.median)} | ${range(row.ratio, formatRatio)} |`);
  }
  return lines;
}

function allocTable(result: AllocResult): string[] {
  const lines = ['| client | heap bytes per call | over the floor | promises per call | over the floor |', '|---|---:|---:|---:|---:|'];
  const base = result.rows.find((row) => row.name === floor.name)!;
  for (const row of [...result.rows].sort((a, b) => a.bytesPerCall - b.bytesPerCall)) {
    const name = row.name === fetchpipe.name ? `**${row.name}**` : row.name;
    const bytes = row.bytesPerCall - base.bytesPerCall;
    const promises = row.promisesPerCall - base.promisesPerCall;
    lines.push(
      `| ${name} | ${formatInt(row.bytesPerCall)} | ${row === base ? '' : `${bytes >= 0 ? '+' : '−'}${formatInt(Math.abs(bytes))}`} | ${formatInt(row.promisesPerCall)} | ${row === base ? '' : `${promises >= 0 ? '+' : '−'}${formatInt(Math.abs(promises))}`} |`,
    );
  }
  return lines;
}

function throughputTable(result: ThroughputResult): string[] {
  const lines = ['| client | requests/s (median) | min – max of the rounds | ratio to bare fetch | ratio min – max |', '|---|---:|---:|---:|---:|'];
  for (const row of [...result.rows].sort((a, b) => b.rps.median - a.rps.median)) {
    const name = row.name === fetchpipe.name ? `**${row.name}**` : row.name;
    lines.push(`| ${name} | ${formatInt(row.rps.median)} | ${range(row.rps, formatInt)} | ${formatRatio(row.ratio.median)} | ${range(row.ratio, formatRatio)} |`);
  }
  return lines;
}

function memoryTable(result: MemoryResult): string[] {
  const lines = [
    '| client | requests | heap at start (after GC) | heap at end (after GC) | change | slope | handles before → after | within margin |',
    '|---|---:|---:|---:|---:|---:|---|---|',
  ];
  for (const row of result.rows) {
    lines.push(
      `| ${row.name} | ${formatInt(row.requests)} | ${formatBytes(row.startHeap)} | ${formatBytes(row.endHeap)} | ${formatBytes(row.endHeap - row.startHeap)} | ${row.bytesPerRequest.toFixed(2)} B/request | ${row.resourcesBefore.join(', ') || 'none'} → ${row.resourcesAfter.join(', ') || 'none'} | ${row.withinMargin ? 'yes' : '**no**'} |`,
    );
  }
  const own = result.rows.find((row) => row.name.startsWith('fetchpipe'));
  if (own) {
    lines.push('', `Heap after GC at each checkpoint (fetchpipe): ${own.checkpoints.map(([n, heap]) => `${formatInt(n)} → ${formatBytes(heap)}`).join(', ')}.`);
  }
  return lines;
}

function sizeTables(result: SizeResult): string[] {
  const lines = ['fetchpipe, from the size check (`npx node scripts/size.ts`):', '', '| bundle | min | min+gz | budget |', '|---|---:|---:|---:|'];
  for (const row of result.fetchpipe) {
    lines.push(`| ${row.name} | ${formatKb(row.minified)} | ${formatKb(row.gzipped)} | ${row.budget === null ? '—' : `${formatKb(row.budget)} ${row.gzipped <= row.budget ? '✅' : '❌'}`} |`);
  }
  lines.push('', 'What each benchmark client pulls into a bundle (fetchpipe with zod counted):', '', '| client | imports | min | min+gz |', '|---|---|---:|---:|');
  const imports: Record<string, string> = {
    fetchpipe: '`createClient, retry, backoff, baseUrl, headers, authHeaders, userAgent`',
    ky: '`ky`',
    ofetch: '`ofetch`',
    'wretch + retry': '`wretch`, `retry` from `wretch/middlewares`',
    'up-fetch': '`up`',
    'fetch-extras': '`pipeline, withBaseUrl, withHeaders, withRetry`',
  };
  for (const row of [...result.asBenchmarked].sort((a, b) => a.gzipped - b.gzipped)) {
    lines.push(`| ${row.name} | ${imports[row.name] ?? ''} | ${formatKb(row.minified)} | ${formatKb(row.gzipped)} |`);
  }
  return lines;
}

/** A few generated sentences: where fetchpipe stands in this run. */
function standing(results: Results): string[] {
  const out: string[] = [];
  const { overhead, throughput, retry } = results;
  if (overhead) {
    const sorted = [...overhead.rows].filter((row) => row.name !== floor.name && row.name !== naive.name).sort((a, b) => a.ns.median - b.ns.median);
    const rank = sorted.findIndex((row) => row.name === fetchpipe.name) + 1;
    const own = overhead.rows.find((row) => row.name === fetchpipe.name)!;
    const floorNs = overhead.rows.find((row) => row.name === floor.name)!.ns.median;
    out.push(
      `- Overhead: fetchpipe costs ${formatNs(own.ns.median - floorNs)} per call on top of the floor's ${formatNs(floorNs)} (${formatRatio(own.ratio.median)}), ${rank === 1 ? 'the least' : `rank ${rank}`} of the ${sorted.length} libraries; the budget of ${formatRatio(TARGETS.overhead)} allows ${formatNs(floorNs * (TARGETS.overhead - 1))}.`,
    );
  }
  if (retry) {
    const sorted = [...retry.rows].sort((a, b) => a.ns.median - b.ns.median);
    out.push(`- Retry path (3 attempts per call): ${sorted.map((row) => `${row.name} ${formatNs(row.ns.median)}`).join(', ')}.`);
  }
  if (throughput) {
    const own = throughput.rows.find((row) => row.name === fetchpipe.name)!;
    const ahead = throughput.rows.filter((row) => PEERS.has(row.name) && row.ratio.median > own.ratio.median).map((row) => row.name);
    out.push(
      `- Throughput: fetchpipe reached ${formatRatio(own.ratio.median)} of bare fetch (rounds ${range(own.ratio, formatRatio)})${ahead.length === 0 ? ', ahead of every peer' : `, behind ${ahead.join(', ')}`}; bare fetch itself ranged ${range(throughput.rows.find((row) => row.name === floor.name)!.rps, formatInt)} requests/s over the rounds.`,
    );
  }
  return out;
}

export function renderReport(results: Results): string {
  const { env } = results;
  const lines: string[] = [
    '# Benchmarks',
    '',
    `<!-- Generated by \`npm run bench\` (bench/index.ts). Do not edit: edit bench/report.ts, or bench/ANALYSIS.md for the analysis. -->`,
    '',
    `**Machine:** ${env.cpu}, ${env.cores} cores, ${env.memory}, ${env.os}. **Runtime:** Node ${env.node} (V8 ${env.v8}, undici ${env.undici}). **Peers:** ${env.peers}.`,
    `Run on ${env.date}${env.quick ? ' (quick smoke run: the figures mean nothing)' : ''}, ${Math.round(env.durationS)} s in all; load average ${env.loadBefore} before, ${env.loadAfter} after (the machine is shared: figures move between runs, which is why every figure is a median of rounds with its spread).`,
    '',
    '## Targets',
    '',
    '| target | this run | |',
    '|---|---|---|',
    ...targetRows(results),
    '',
    '## How every client was configured',
    '',
    `Identically: ${CONFIG_SUMMARY}. The 200s never trigger a retry. Each factory is in \`bench/clients.ts\`:`,
    '',
    '| client | configuration |',
    '|---|---|',
    ...CLIENTS.map((client) => `| ${client.name} | ${client.setup} |`),
    '',
    '**Verified before any figure is taken** (`bench/verify.ts`): each client makes three calls through a recording stub that rebuilds what fetch would send (`new Request(input, init)`); the URL, method and every header (default, auth, user agent, and nothing else) must equal the expected request, with exactly one fetch per call (three on the retry path, each one identical) and the body `ok` returned. During the measurement every stub counts its fetches against the calls made. The throughput server checks every request on the wire against the full header set bare fetch sent (undici adds `accept-encoding`, `accept-language`, `sec-fetch-mode`, `connection` and `host`) and counts them; a count or header that differs stops the run.',
    '',
  ];
  if (results.overhead) {
    const o = results.overhead;
    lines.push(
      '## 1. Overhead per call',
      '',
      `An injected stub fetch resolves \`new Response('ok')\`; each call GETs the relative path and reads the body with \`.text()\`. mitata's \`measure()\` times each client for at least ${o.minTimeMs} ms per round, in batches of about 2 ms (at most 256 calls); the figure of a round is the median batch mean (ns per call, wall clock; no forced collection, so each client pays for the garbage it makes). ${o.rounds} short rounds rather than a few long ones, the client order rotated by one each round, so that each round's ratio compares clients measured within a second of each other on this shared machine. Up to ${formatInt(o.warmupCalls)} warm-up calls per client first (at most ${(o.warmupMs / 1000).toFixed(1)} s). Ratios are taken to the floor of the same round; the table gives the median of the rounds and their spread.`,
      '',
      ...stubTable(o),
      '',
    );
  }
  if (results.alloc) {
    lines.push(
      '### What a call allocates',
      '',
      `Counted, not timed, so these do not move with the machine's load: heap bytes allocated per call (the mean over ${formatInt(results.alloc.calls)} calls, with a 64 MB young generation and a check that no collection ran during the count) and promises created per call (\`async_hooks\`). Each promise is also a microtask to run; together they explain most of the differences in time above.`,
      '',
      ...allocTable(results.alloc),
      '',
    );
  }
  if (results.throughput) {
    const t = results.throughput;
    lines.push(
      '## 2. Throughput over loopback',
      '',
      `A Node HTTP server on 127.0.0.1 in its own process (\`bench/server.ts\`) answers \`ok\` and checks every request. Each client sends ${formatInt(t.requests)} requests with ${t.concurrency} in flight, after ${formatInt(t.warmup)} warm-up requests; ${t.rounds} rounds, the order rotated each round, the ratio to bare fetch taken within each round. Headers on the wire, identical for every client: ${t.wireHeaders.map((h) => `\`${h}\``).join(', ')}.`,
      '',
      ...throughputTable(t),
      '',
    );
  }
  if (results.retry) {
    const r = results.retry;
    lines.push(
      '## 3. Retry path',
      '',
      `The stub answers 503, 503, then 200, so every call makes three attempts; no client waits between them (fetchpipe \`backoff({ factor: 0 })\`, ky \`delay: () => 0\`, ofetch \`retryDelay: 0\`, wretch \`delayTimer: 0\`, up-fetch \`delay: 0\`, fetch-extras \`backoff: () => 0\`), so only the retry machinery is timed. Same method as the overhead: ${r.rounds} rounds of at least ${r.minTimeMs} ms, order rotated. ky, wretch, up-fetch and fetch-extras wait on a timer even for a zero delay (\`setTimeout(0)\`, at least 1 ms in Node) before each retry, which is what their milliseconds are. The reference is the naive decorator chain: a bare loop over 503.`,
      '',
      ...stubTable(r),
      '',
    );
  }
  if (results.memory) {
    const m = results.memory;
    lines.push(
      '## 4. Memory',
      '',
      `A child process started with \`--expose-gc\` sends ${formatInt(m.rows[0]?.requests ?? 0)} sequential requests through ${m.setup}, against the stub, after a warm-up. The heap is collected (two \`gc()\`) and read (\`heapUsed\`) before, at five checkpoints and after; bare fetch is measured the same way beside it, as the noise floor. The heap must end within **${formatBytes(m.margin)}** of where it started (that is ${(m.margin / (m.rows[0]?.requests || 1)).toFixed(1)} bytes per request), with no more timers or handles alive (\`process.getActiveResourcesInfo()\`) than before.`,
      '',
      ...memoryTable(m),
      '',
    );
  }
  if (results.size) {
    lines.push('## 5. Bundle size', '', 'esbuild: bundle, minify, platform browser, format esm, target es2022; gzip level 9; 1 kB = 1000 bytes.', '', ...sizeTables(results.size), '');
  }
  lines.push(
    '## How to reproduce',
    '',
    '```sh',
    'npm run bench                                # everything (about 3 minutes on 2 cores), rewrites this file and bench/results.json',
    'npm run bench -- --quick                     # a seconds-long smoke of every benchmark; prints, writes nothing',
    'npx node bench/index.ts --only overhead,alloc # some of them (overhead, alloc, retry, throughput, memory, size); prints only',
    'npx node bench/profile.ts fetchpipe          # CPU profile of one client against the stub, top functions by self time',
    'npx node bench/index.ts --render             # this file again from bench/results.json (the last full run), after editing bench/ANALYSIS.md',
    '```',
    '',
    '## Analysis',
    '',
    ...standing(results),
    '',
  );
  if (results.analysis) lines.push(results.analysis.trim(), '');
  return `${lines.join('\n')}\n`;
}
