// `npm run demo`: fetchpipe against an embedded flaky server on 127.0.0.1, with a live timeline
// of every attempt. Backoff waits run on real timers, scaled by --scale (default 0.25, so the
// CAVEclient waits 0.2 s and 0.4 s become 50 ms and 100 ms); `--scale 1` shows real timings.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  authHeaders,
  backoff,
  createClient,
  formatEvent,
  isHTTPError,
  realClock,
  redirect,
  retry,
  timeout,
  type Clock,
  type FetchpipeEvent,
} from '../src/index.ts';
import { caveclient, qbraid } from '../src/presets/index.ts';
import { authRefresh, circuitBreaker, idempotencyKey, isMaxRetryError, rateLimit, retryBudget, withOptions } from '../src/index.ts';
import { otel } from '../src/otel/index.ts';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

const scaleArg = process.argv.indexOf('--scale');
const SCALE = scaleArg > 0 ? Number(process.argv[scaleArg + 1]) : 0.25;
if (!(SCALE > 0 && SCALE <= 1)) throw new Error('--scale takes a number in (0, 1]');
const API_KEY = 'demo-key-4f9c2e71';

// The demo's clock: real timers, every wait multiplied by SCALE.
const demoClock: Clock = { ...realClock, sleep: (ms, signal) => realClock.sleep(ms * SCALE, signal) };

type Route = (req: IncomingMessage, res: ServerResponse) => void;

async function listen(route: Route) {
  const sockets = new Set<Socket>();
  const server = createServer(route);
  server.on('connection', (s) => (sockets.add(s), s.on('close', () => sockets.delete(s))));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () => new Promise<void>((resolve) => (sockets.forEach((s) => s.destroy()), server.close(() => resolve())));
  return { origin, close };
}

// Second origin: records whether credentials followed a cross-origin redirect.
const seenByOther: string[] = [];
const other = await listen((req, res) => {
  seenByOther.push(req.headers['x-api-key'] === undefined ? 'no key' : 'KEY LEAKED');
  res.end('landed');
});

const counts = new Map<string, number>();
const flaky = await listen((req, res) => {
  const path = req.url ?? '/';
  const n = (counts.get(path) ?? 0) + 1;
  counts.set(path, n);
  if (path.startsWith('/flaky/')) {
    // 503, 503, then 200: the classic flaky upstream.
    res.statusCode = n <= 2 ? 503 : 200;
    return void res.end(n <= 2 ? 'busy' : `ok ${path}`);
  }
  if (path.startsWith('/reset-once/') && n === 1) return void req.socket.resetAndDestroy();
  if (path === '/moved') {
    res.writeHead(302, { location: `${other.origin}/landing` });
    return void res.end();
  }
  if (path.startsWith('/api/jobs/')) {
    // A careless server that echoes the credential back in its error body.
    res.writeHead(404, { 'content-type': 'application/json' });
    return void res.end(JSON.stringify({ error: { message: `job not found for api-key ${req.headers['api-key']}` } }));
  }
  if (path.startsWith('/outage/')) {
    res.statusCode = 503;
    return void res.end('down');
  }
  if (path.startsWith('/auth/')) {
    // Accepts only the current token; every other one is a 401.
    res.statusCode = req.headers.authorization === `Bearer ${currentToken}` ? 200 : 401;
    return void res.end();
  }
  if (path.startsWith('/limited/')) {
    // 4 requests a second, told in the IETF RateLimit field; a fifth in the same second is a 429.
    const second = Math.floor(Date.now() / 1000);
    const used = (limitedWindows.get(second) ?? 0) + 1;
    limitedWindows.set(second, used);
    res.setHeader('ratelimit', `"demo";r=${Math.max(0, 4 - used)};t=1`);
    res.statusCode = used > 4 ? 429 : 200;
    return void res.end();
  }
  res.end(`ok ${path}`);
});
let currentToken = 'token-2';
const limitedWindows = new Map<number, number>();

const summary: Array<{ scenario: string; attempts: number; outcome: string; waited: number }> = [];

/** Runs one call with a live timeline printed from its events. */
async function timeline(scenario: string, call: (onEvent: (e: FetchpipeEvent) => void) => Promise<string>) {
  console.log(`\n▶ ${scenario}`);
  let attempts = 0;
  let waited = 0;
  const onEvent = (event: FetchpipeEvent) => {
    if (event.type === 'attempt') attempts++;
    if (event.type === 'wait') waited += event.delayMs * SCALE;
    console.log(`  ${formatEvent(event)}`);
  };
  const outcome = await call(onEvent).catch((error: unknown) => `${(error as Error).name}`);
  summary.push({ scenario, attempts, outcome, waited });
}

const started = performance.now();
try {
  console.log(`fetchpipe demo · flaky server ${flaky.origin} · second origin ${other.origin} · backoff scale ${SCALE}`);

  await timeline('caveclient(): GET that gets 503, 503, then 200', async (onEvent) => {
    const client = createClient(caveclient({ clock: demoClock }), { onEvent });
    return String((await client(`${flaky.origin}/flaky/cave`)).status);
  });

  await timeline('qbraid(): POST retried on 503 (qBraid retries POST on its 5xx list)', async (onEvent) => {
    const client = createClient(qbraid({ baseUrl: `${flaky.origin}/`, authHeaders: { 'api-key': API_KEY }, clock: demoClock }), { onEvent });
    return String((await client('flaky/qbraid-post', { method: 'POST', body: '{"shots":100}' })).status);
  });

  await timeline('qbraid(): GET after a connection reset (a read error: retried for GET only)', async (onEvent) => {
    const client = createClient(qbraid({ baseUrl: `${flaky.origin}/`, clock: demoClock }), { onEvent });
    return String((await client('reset-once/q')).status);
  });

  await timeline('custom pipeline: cross-origin redirect strips X-API-Key', async (onEvent) => {
    const client = createClient(
      [retry({ total: 3 }), backoff({ factor: 100, clock: demoClock }), authHeaders({ 'X-API-Key': API_KEY }), redirect(), timeout({ read: 2000 })],
      { onEvent },
    );
    const response = await client(`${flaky.origin}/moved`);
    return `${response.status} ${await response.text()} (second origin saw: ${seenByOther.join(', ')})`;
  });

  // A batch through one caveclient client with a blocking pool of 4, with a progress line.
  console.log('\n▶ caveclient({ poolBlock: true, poolMaxsize: 4 }): 24 flaky requests at once');
  const batch = createClient(caveclient({ poolBlock: true, poolMaxsize: 4, clock: demoClock }));
  let done = 0;
  const total = 24;
  const progress = () => {
    const bar = '█'.repeat(done).padEnd(total, '·');
    if (process.stdout.isTTY) process.stdout.write(`\r  ${bar} ${done}/${total}`);
  };
  const batchStart = performance.now();
  const statuses = await Promise.all(
    Array.from({ length: total }, (_, i) =>
      // Read each body: a blocking pool frees a slot only when its response body is done.
      batch(`${flaky.origin}/flaky/batch-${i}`).then(async (r) => (await r.text(), done++, progress(), r.status)),
    ),
  );
  if (process.stdout.isTTY) process.stdout.write('\n');
  const okCount = statuses.filter((s) => s === 200).length;
  console.log(`  ${'█'.repeat(done)} ${done}/${total}: ${okCount} × 200 after ${total * 3} attempts in ${Math.round(performance.now() - batchStart)} ms`);
  summary.push({ scenario: 'caveclient batch of 24 (pool 4)', attempts: total * 3, outcome: `${okCount} × 200`, waited: 0 });

  // A real error with an auth value in it, masked.
  console.log('\n▶ a real error whose server echoed the api-key back');
  const qb = createClient(qbraid({ baseUrl: `${flaky.origin}/api`, authHeaders: { 'api-key': API_KEY }, clock: demoClock }));
  try {
    await qb('jobs/42');
  } catch (error) {
    if (!isHTTPError(error)) throw error;
    const json = JSON.stringify(error);
    console.log(`  ${error.name} ${error.status}: ${error.message}`);
    console.log(`  api-key value in message, stack or JSON? ${[error.message, error.stack, json].some((t) => t?.includes(API_KEY)) ? 'YES (bug!)' : 'no: masked as "..."'}`);
    summary.push({ scenario: 'qbraid() error masking', attempts: 1, outcome: `${error.name} ${error.status}`, waited: 0 });
  }

  // Resilience: each middleware at work in a line or two.
  console.log('\n▶ retryBudget(): 20 calls during an outage (always 503), retry({ total: 3 })');
  const outage = async (withBudget: boolean) => {
    const before = counts.size === 0 ? 0 : [...counts].filter(([p]) => p.startsWith('/outage/')).reduce((n, [, c]) => n + c, 0);
    const client = createClient([...(withBudget ? [retryBudget()] : []), retry({ total: 3, statusForcelist: [503] }), backoff({ factor: 10, clock: demoClock })]);
    await Promise.allSettled(Array.from({ length: 20 }, (_, i) => client(`${flaky.origin}/outage/${withBudget ? 'b' : 'n'}${i}`)));
    return [...counts].filter(([p]) => p.startsWith('/outage/')).reduce((n, [, c]) => n + c, 0) - before;
  };
  const withoutBudget = await outage(false);
  const withBudget = await outage(true);
  console.log(`  without retryBudget(): ${withoutBudget} attempts; with it: ${withBudget} attempts (retries stop once half its 10 tokens are spent)`);
  summary.push({ scenario: 'retryBudget: 20 calls in an outage', attempts: withBudget, outcome: `${withoutBudget} attempts without`, waited: 0 });

  console.log('\n▶ authRefresh(): 10 concurrent calls with an expired token');
  let refreshes = 0;
  const authed = createClient([authRefresh({ token: 'token-1', refresh: async () => `token-${++refreshes + 1}` })]);
  const authStatuses = await Promise.all(Array.from({ length: 10 }, (_, i) => authed(`${flaky.origin}/auth/${i}`).then((r) => r.status)));
  const authOk = authStatuses.filter((s) => s === 200).length;
  console.log(`  10 × 401 → ${refreshes} refresh, 10 replays → ${authOk} × 200`);
  summary.push({ scenario: 'authRefresh: 10 concurrent 401s', attempts: 20, outcome: `${refreshes} refresh, ${authOk} × 200`, waited: 0 });

  console.log('\n▶ rateLimit(): 8 calls to an origin that allows 4 a second');
  const limitedStart = performance.now();
  const paced = createClient([rateLimit()]);
  const limitedStatuses: number[] = [];
  for (let i = 0; i < 8; i++) limitedStatuses.push((await paced(`${flaky.origin}/limited/${i}`)).status);
  const limited429 = limitedStatuses.filter((s) => s === 429).length;
  console.log(`  ${limitedStatuses.filter((s) => s === 200).length} × 200, ${limited429} × 429: it waited for the reset instead (${Math.round(performance.now() - limitedStart)} ms)`);
  summary.push({ scenario: 'rateLimit: 8 calls, 4 a second allowed', attempts: 8, outcome: `${limited429} × 429`, waited: 0 });

  console.log('\n▶ circuitBreaker(): 10 calls to a dead origin');
  const breaker = circuitBreaker({ consecutiveFailures: 3 });
  const guarded = createClient([breaker]);
  let sent = 0;
  let refused = 0;
  for (let i = 0; i < 10; i++) {
    await guarded(`${flaky.origin}/outage/cb${i}`).then(() => sent++, () => refused++);
  }
  console.log(`  ${sent} sent, then the circuit opened: ${refused} failed fast with CircuitOpenError (state: ${breaker.circuits().get(flaky.origin)?.state})`);
  summary.push({ scenario: 'circuitBreaker: 10 calls to a dead origin', attempts: sent, outcome: `${refused} refused`, waited: 0 });

  console.log('\n▶ idempotencyKey() + withOptions(): a POST retried with one key; the same client with retries off');
  const keyClient = createClient([idempotencyKey({ retryKeyed: true }), retry({ total: 3, statusForcelist: [503] }), backoff({ factor: 10, clock: demoClock })], {
    fetch: async (input, init) => {
      keysSeen.push(new Headers(init?.headers).get('idempotency-key') ?? 'none');
      return globalThis.fetch(input, init);
    },
  });
  const keysSeen: string[] = [];
  const keyed = await keyClient(`${flaky.origin}/flaky/keyed`, { method: 'POST', body: 'charge' });
  console.log(`  POST → ${keyed.status} after ${keysSeen.length} attempts, ${new Set(keysSeen).size} Idempotency-Key for all of them`);
  const before = keysSeen.length;
  const once = await withOptions(keyClient, { retry: { total: 0 } })(`${flaky.origin}/outage/once`, { method: 'POST' }).catch((e: unknown) => e);
  console.log(`  withOptions(client, { retry: { total: 0 } }) → ${isMaxRetryError(once) ? 'MaxRetryError' : String(once)} after ${keysSeen.length - before} attempt`);

  console.log('\n▶ otel(): spans of a call retried twice');
  const spans = new InMemorySpanExporter();
  const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }).getTracer('demo');
  const traced = createClient([otel({ tracer }), retry({ total: 3, statusForcelist: [503] }), backoff({ factor: 10, clock: demoClock })]);
  await traced(`${flaky.origin}/flaky/traced?api_key=${API_KEY}`);
  for (const span of spans.getFinishedSpans().reverse()) {
    const a = span.attributes;
    console.log(`  ${span.name.padEnd(14)} status ${a['http.response.status_code']}${a['http.request.resend_count'] ? ` resend ${a['http.request.resend_count']}` : ''}${a['error.type'] ? ` error.type ${a['error.type']}` : ''}`);
  }

  console.log('\nsummary');
  console.log(`  ${'scenario'.padEnd(76)} ${'attempts'.padStart(8)}  ${'waited'.padStart(7)}  outcome`);
  for (const row of summary) {
    console.log(`  ${row.scenario.padEnd(76)} ${String(row.attempts).padStart(8)}  ${`${Math.round(row.waited)} ms`.padStart(7)}  ${row.outcome}`);
  }
  console.log(`\ndone in ${(Math.round(performance.now() - started) / 1000).toFixed(2)} s`);
} finally {
  await flaky.close();
  await other.close();
}
