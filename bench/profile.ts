// CPU profile of one client against the stub fetch: where its time per call goes.
//
//   npx node bench/profile.ts [client name, default fetchpipe] [calls, default 300000]
//
// Runs the client in a child process under --cpu-prof, then prints the functions with the most
// self time, as a share of the run and as nanoseconds per call, and the total spent in src/.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLIENTS } from './clients.ts';
import { STUB_BASE } from './config.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const clientName = process.argv[2] ?? 'fetchpipe';
const calls = Number(process.argv[3] ?? 300_000);
const client = CLIENTS.find((candidate) => candidate.name === clientName || candidate.name.startsWith(`${clientName} `));
if (!client) throw new Error(`no client named ${JSON.stringify(clientName)}; one of: ${CLIENTS.map((c) => c.name).join(', ')}`);

if (process.env.FETCHPIPE_PROFILE_CHILD === '1') {
  const call = client.create(async () => new Response('ok'), STUB_BASE);
  for (let i = 0; i < 20_000; i++) await call();
  const started = performance.now();
  for (let i = 0; i < calls; i++) await call();
  process.stdout.write(String(((performance.now() - started) * 1e6) / calls));
} else {
  const dir = mkdtempSync(join(tmpdir(), 'fetchpipe-profile-'));
  try {
    const child = spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, fileURLToPath(import.meta.url), client.name, String(calls)], {
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
