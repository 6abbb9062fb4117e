// Renders the results as docs/BENCHMARKS.md: machine line, the targets and whether they are met,
// each benchmark's table, what every client was configured with, how to reproduce, the analysis.
import { CLIENTS, fetchpipe, fetchpipeDefaultFetch, floor, naive } from './clients.ts';
import { CONFIG_SUMMARY } from './config.ts';
import type { AllocResult } from './alloc.ts';
import type { ImportResult } from './import-time.ts';
import type { TargetGroup, TargetsResult } from './targets.ts';
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
  /** When the size section was measured again after the run (a build change that moves no timing). */
  readonly sizeRemeasured?: string;
}

export interface Results {
  readonly env: Environment;
  readonly overhead?: StubBenchResult;
  readonly alloc?: AllocResult;
  readonly retry?: StubBenchResult;
  readonly throughput?: ThroughputResult;
  readonly memory?: MemoryResult;
  readonly size?: SizeResult;
  readonly targets?: TargetsResult;
  readonly importTime?: ImportResult;
  /** Hand-written findings of the profile (bench/ANALYSIS.md), included as they are. */
  readonly analysis?: string;
}

/** Issue 18's targets: ratios to the baseline of the same round, nanoseconds, bytes. */
export const TARGETS = {
  overhead: 1.1,
  ownInit: 1.3,
  onEvent: 1.25,
  failure: 2.5,
  retryCostNs: 3_000,
  throughput: 0.97,
  perLayerNs: 10,
} as const;

const PEERS = new Set(CLIENTS.filter((client) => client !== floor && client !== fetchpipe && client !== naive).map((client) => client.name));

const range = (s: Spread, format: (n: number) => string) => `${format(s.min)} – ${format(s.max)}`;
const mark = (ok: boolean) => (ok ? '✅ met' : '❌ missed');

const verdict = (ok: boolean, missedBy: string) => (ok ? '✅ met' : `❌ missed by ${missedBy}`);
const row = (results: TargetsResult, id: TargetGroup['id'], name: string) =>
  results.groups.find((group) => group.id === id)!.rows.find((candidate) => candidate.name === name)!;

function targetRows(results: Results): string[] {
  const rows: string[] = [];
  const { overhead, throughput, memory, size, targets } = results;
  if (overhead) {
    const own = overhead.rows.find((r) => r.name === fetchpipe.name)!;
    const ratio = own.ratio.median;
    const onDefault = overhead.rows.find((r) => r.name === fetchpipeDefaultFetch.name);
    rows.push(
      `| typical client: overhead ≤ ${formatRatio(TARGETS.overhead)} bare fetch | ${formatRatio(ratio)} (+${formatNs(own.ns.median - overhead.rows.find((r) => r.name === floor.name)!.ns.median)} per call) given the stub as its \`fetch\`${onDefault ? `; ${formatRatio(onDefault.ratio.median)} on its default path (\`globalThis.fetch\`)` : ''} | ${verdict(ratio <= TARGETS.overhead, `${(ratio - TARGETS.overhead).toFixed(2)}×`)} |`,
    );
    const ahead = overhead.rows.filter((r) => PEERS.has(r.name) && r.ns.median <= own.ns.median).map((r) => r.name);
    rows.push(`| overhead ahead of every peer | ${ahead.length === 0 ? 'faster than all five' : `behind or level with ${ahead.join(', ')}`} | ${mark(ahead.length === 0)} |`);
  }
  if (targets) {
    const ratioTarget = (label: string, id: TargetGroup['id'], name: string, target: number) => {
      const r = row(targets, id, name).ratio.median;
      rows.push(`| ${label} ≤ ${formatRatio(target)} | ${formatRatio(r)} | ${verdict(r <= target, `${(r - target).toFixed(2)}×`)} |`);
    };
    ratioTarget('a call with its own init and 4 headers, to bare fetch with the same init', 'ownInit', 'fetchpipe, own init and 4 headers', TARGETS.ownInit);
    ratioTarget('typical client with `onEvent`, to bare fetch', 'onEvent', 'fetchpipe with onEvent', TARGETS.onEvent);
    ratioTarget("a failed call (connection refused, one attempt), to bare fetch's own failure", 'failure', 'fetchpipe, connect retries off', TARGETS.failure);
    const retry = targets.retryCostNs;
    rows.push(`| one retry's CPU above the attempt itself ≤ ${formatNs(TARGETS.retryCostNs)} | ${formatNs(retry)} | ${verdict(retry <= TARGETS.retryCostNs, formatNs(retry - TARGETS.retryCostNs))} |`);
    const layer = targets.perLayerNs;
    rows.push(`| cost per pass-through middleware ≤ ${TARGETS.perLayerNs} ns | ${layer.toFixed(1)} ns | ${verdict(layer <= TARGETS.perLayerNs, `${(layer - TARGETS.perLayerNs).toFixed(1)} ns`)} |`);
  }
  if (throughput) {
    const ratio = throughput.rows.find((r) => r.name === fetchpipe.name)!.ratio.median;
    rows.push(`| loopback throughput ≥ ${formatRatio(TARGETS.throughput)} bare fetch | ${formatRatio(ratio)} | ${verdict(ratio >= TARGETS.throughput, `${(TARGETS.throughput - ratio).toFixed(2)}×`)} |`);
  }
  if (memory) {
    for (const own of memory.rows.filter((r) => r.name.startsWith('fetchpipe'))) {
      rows.push(
        `| heap flat over ${formatInt(own.requests)} calls (${own.name.replace(/^fetchpipe, /, '')}) | ${formatBytes(own.endHeap - own.startHeap)} (slope ${own.bytesPerRequest.toFixed(2)} B/call), margin ${formatBytes(memory.margin)} | ${verdict(own.withinMargin, formatBytes(own.endHeap - own.startHeap - memory.margin))} |`,
      );
    }
  }
  if (size) {
    for (const t of size.targets) {
      rows.push(`| ${t.name} (\`${t.imports}\`), zod ${t.zod}, ≤ ${formatKb(t.target)} | ${formatKb(t.gzipped)} | ${verdict(t.gzipped <= t.target, formatKb(t.gzipped - t.target))} |`);
    }
    const budgeted = size.fetchpipe.filter((r) => r.budget !== null);
    const over = budgeted.filter((r) => r.gzipped > r.budget!);
    rows.push(`| ceilings of the size check | ${budgeted.map((r) => `${r.name}: ${formatKb(r.gzipped)} / ${formatKb(r.budget!)}`).join('; ')} | ${mark(over.length === 0)} |`);
  }
  if (results.importTime) {
    const rowOf = (name: string) => results.importTime!.rows.find((r) => r.name.startsWith(name))!;
    const own = rowOf('fetchpipe');
    const zod = rowOf('zod/mini');
    rows.push(
      `| import time on Node: reported | ${own.ms.median.toFixed(1)} ms cold, ${own.msFetchLoaded.median.toFixed(1)} ms with Node's fetch loaded (zod/mini alone ${zod.msFetchLoaded.median.toFixed(1)} ms, ${formatBytes(zod.heapBytesFetchLoaded)}); ky ${rowOf('ky').ms.median.toFixed(1)} / ${rowOf('ky').msFetchLoaded.median.toFixed(1)} ms, ofetch ${rowOf('ofetch').ms.median.toFixed(1)} / ${rowOf('ofetch').msFetchLoaded.median.toFixed(1)} ms | reported |`,
    );
  }
  return rows;
}

function groupTable(group: TargetGroup): string[] {
  const lines = [`| ${group.title} | median per call | min – max of the rounds | ratio to ${group.baseline} | ratio min – max |`, '|---|---:|---:|---:|---:|'];
  for (const r of group.rows) lines.push(`| ${r.name} | ${formatNs(r.ns.median)} | ${range(r.ns, formatNs)} | ${formatRatio(r.ratio.median)} | ${range(r.ratio, formatRatio)} |`);
  return lines;
}

function importTable(result: ImportResult): string[] {
  const lines = [
    '| package | import, cold | min – max | heap after | import, Node\'s fetch already loaded | min – max | heap after |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  const ms = (n: number) => `${n.toFixed(1)} ms`;
  for (const r of result.rows) {
    lines.push(`| ${r.name} | ${ms(r.ms.median)} | ${range(r.ms, ms)} | ${formatBytes(r.heapBytes)} | ${ms(r.msFetchLoaded.median)} | ${range(r.msFetchLoaded, ms)} | ${formatBytes(r.heapBytesFetchLoaded)} |`);
  }
  return lines;
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
  const lines = [
    "The issue's targets, on the built package as an app's bundler sees it (`import … from 'fetchpipe'` resolved through its `exports` map; `bench/size.ts`):",
    '',
    '| bundle | imports | platform | zod | min+gz | target |',
    '|---|---|---|---|---:|---:|',
    ...result.targets.map((t) => `| ${t.name} | \`${t.imports}\` | ${t.platform} | ${t.zod} | ${formatKb(t.gzipped)} | ${formatKb(t.target)} ${t.gzipped <= t.target ? '✅' : '❌'} |`),
    '',
    'fetchpipe, from the size check (`npx node scripts/size.ts`):',
    '',
    '| bundle | min | min+gz | budget |',
    '|---|---:|---:|---:|',
  ];
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
    ...[...CLIENTS, fetchpipeDefaultFetch].map((client) => `| ${client.name} | ${client.setup} |`),
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
  if (results.targets) {
    const t = results.targets;
    lines.push(
      '### The other calls of issue 18',
      '',
      `Same stub, same method (${t.rounds} rounds, order rotated, each group with its own baseline timed in the same rounds). The own-init call: ${t.ownInit}. The failure stub throws what undici throws for a refused connection (a \`TypeError('fetch failed')\` whose cause carries \`code: 'ECONNREFUSED'\`), built afresh on every call as undici does; "connect retries off" is the typical client with \`retry({ connect: false })\`, so the call fails on its first attempt with a masked \`ConnectionError\`. The real refused connection goes to a closed port on 127.0.0.1. One retry's CPU is (the call with one retry) − (the same call on a 200) − (bare fetch of the 503 with its body cancelled), of the medians; the stub has no I/O, so wall clock is CPU. The pass-through cost is the least-squares slope of the median time per call over ${t.layerCounts.join(', ')} layers of \`(request, next) => next(request)\`, against a stub that answers one shared 204 and a call that reads no body, so that a few nanoseconds are not lost in the body's microseconds.`,
      '',
    );
    for (const group of t.groups) lines.push(...groupTable(group), '');
    lines.push(
      `One retry above the attempt itself: **${formatNs(t.retryCostNs)}** (medians: the retried call − the call on a 200 − the bare 503). One pass-through middleware: **${t.perLayerNs.toFixed(1)} ns** (the least-squares slope of the medians).`,
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
    lines.push(
      '## 5. Bundle size',
      '',
      `esbuild: bundle, minify, platform browser, format esm, target es2022; gzip level 9; 1 kB = 1000 bytes.${results.env.sizeRemeasured ? ` Measured again on ${results.env.sizeRemeasured}, after the package gained its \`browser\` build (no timing depends on it).` : ''}`,
      '',
      ...sizeTables(results.size),
      '',
    );
  }
  if (results.importTime) {
    const i = results.importTime;
    lines.push(
      '## 6. Import time on Node',
      '',
      `\`await import(name)\` in a fresh Node ${i.node} process, timed around the import alone, the heap read after two collections before and after; ${i.runs} runs per package, interleaved, median and spread. fetchpipe is the built package (tsdown, the package's own config) imported by name from an app folder. Node loads its own fetch (undici) on the first read of \`fetch\`, \`Headers\`, \`Request\` or \`Response\`, so the cold column charges that to whichever package touches one at module level; the second column loads it first. zod/mini is fetchpipe's dependency: its own row is its share of fetchpipe's figure.`,
      '',
      ...importTable(i),
      '',
    );
  }
  lines.push(
    '## How to reproduce',
    '',
    '```sh',
    'npm run bench                                # everything (about 3 minutes on 2 cores), rewrites this file and bench/results.json',
    'npm run bench -- --quick                     # a seconds-long smoke of every benchmark; prints, writes nothing',
    'npx node bench/index.ts --only overhead,alloc # some of them (overhead, targets, alloc, retry, throughput, memory, import, size); prints only',
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
