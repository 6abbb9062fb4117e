// CPU profile of one client against the stub fetch: where its time per call goes.
//
//   npx node bench/profile.ts [client or scenario, default fetchpipe] [calls, default 300000]
//
// A client is one of bench/clients.ts; a scenario is one of the issue-18 calls of targets.ts:
// own-init (4 headers and an init of its own), on-event, failure (connection refused, one
// attempt), retry (a 503 retried, then a 200).
//
// Runs the client in a child process under --cpu-prof, then prints the functions with the most
// self time, as a share of the run and as nanoseconds per call, and the total spent in src/.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLIENTS, type Call, type StubFetch } from './clients.ts';
import { OK_BODY, PATH, STUB_BASE } from './config.ts';
import { fetchpipeClient } from './fetchpipe-client.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const refused = () =>
  new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED', errno: -111 }) });
const ok: StubFetch = async () => new Response(OK_BODY);
let n = 0;
const SCENARIOS: Record<string, () => Call> = {
  'own-init': () => {
    const client = fetchpipeClient(ok, STUB_BASE);
    return async () =>
      (await client(PATH, { headers: { 'x-request-id': 'r-42', 'x-tenant': 'acme', 'content-language': 'en', 'x-feature': 'beta' }, cache: 'no-store' })).text();
  },
  'on-event': () => {
    const client = fetchpipeClient(ok, STUB_BASE, { onEvent: () => {} });
    return async () => (await client(PATH)).text();
  },
  failure: () => {
    const client = fetchpipeClient(async () => Promise.reject(refused()), STUB_BASE, {}, { connect: false });
    return () => client(PATH).then(String, (error: Error) => error.name);
  },
  retry: () => {
    const client = fetchpipeClient(async () => (n++ % 2 === 0 ? new Response('', { status: 503 }) : new Response(OK_BODY)), STUB_BASE);
    return async () => (await client(PATH)).text();
  },
};

const clientName = process.argv[2] ?? 'fetchpipe';
const calls = Number(process.argv[3] ?? 300_000);
const found = CLIENTS.find((candidate) => candidate.name === clientName || candidate.name.startsWith(`${clientName} `));
const client = found ?? (SCENARIOS[clientName] ? { name: `fetchpipe, ${clientName}`, create: SCENARIOS[clientName] } : undefined);
if (!client) {
  throw new Error(`no client or scenario named ${JSON.stringify(clientName)}; one of: ${[...CLIENTS.map((c) => c.name), ...Object.keys(SCENARIOS)].join(', ')}`);
}

if (process.env.FETCHPIPE_PROFILE_CHILD === '1') {
  const call = client.create(ok, STUB_BASE);
  for (let i = 0; i < 20_000; i++) await call();
  const started = performance.now();
  for (let i = 0; i < calls; i++) await call();
  process.stdout.write(String(((performance.now() - started) * 1e6) / calls));
} else {
  const dir = mkdtempSync(join(tmpdir(), 'fetchpipe-profile-'));
  try {
    const child = spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, fileURLToPath(import.meta.url), clientName, String(calls)], {
      env: { ...process.env, FETCHPIPE_PROFILE_CHILD: '1' },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    if (child.status !== 0) throw new Error(`the profiled child exited with ${child.status}`);
    const nsPerCall = Number(child.stdout);
    const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'))!;
    summarize(JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile, nsPerCall);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function summarize(profile: Profile, nsPerCall: number): void {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfTime = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    const { functionName, url, lineNumber } = nodes.get(id)!.callFrame;
    const where = url.replace(/^.*?\/(src|bench|node_modules)\//, '$1/').replace(/^file:\/\//, '');
    const key = `${functionName || '(anonymous)'}  ${where}${url ? `:${lineNumber + 1}` : ''}`;
    selfTime.set(key, (selfTime.get(key) ?? 0) + delta);
    total += delta;
  });
  const rows = [...selfTime].sort((a, b) => b[1] - a[1]);
  const own = rows.filter(([key]) => key.includes(' src/')).reduce((sum, [, time]) => sum + time, 0);
  console.log(`${client!.name}: ${Math.round(nsPerCall)} ns per call over ${calls.toLocaleString('en-US')} calls (wall clock, profiler on)`);
  console.log(`self time in src/ (fetchpipe's own functions): ${((own / total) * 100).toFixed(1)}%, about ${Math.round((own / total) * nsPerCall)} ns per call\n`);
  console.log('  share   ns/call  function  location');
  for (const [key, time] of rows.slice(0, 30)) {
    const share = time / total;
    console.log(`${(share * 100).toFixed(1).padStart(6)}%  ${String(Math.round(share * nsPerCall)).padStart(7)}  ${key}`);
  }
}
