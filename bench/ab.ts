// A/B of two versions of src/ in the same process and the same interleaved rounds: the working
// tree's src/ (B) against the src/ of a git ref (A, default HEAD), for the issue-18 calls.
//
//   npx node bench/ab.ts [ref, default HEAD] [--quick] [--only typical-204,layers-100,typical,own-init,on-event,failure,retry]
//
// The ref's src/ is extracted into bench/.ab/<ref>/src (ignored by git), beside the working
// tree's, so both resolve zod from the project. Prints, per scenario, A's and B's median ns per
// call and B/A per round (median and spread): below 1.00× means B is faster.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PATH, STUB_BASE, AUTH_HEADER, DEFAULT_HEADER, OK_BODY, RETRY_LIMIT, USER_AGENT } from './config.ts';
import { ROUND_SETTINGS, timeInRounds, type Timed } from './rounds.ts';
import { formatNs, formatRatio, median, spread } from './stats.ts';

type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
type Lib = typeof import('../src/index.ts');

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const onlyAt = argv.indexOf('--only');
const only = onlyAt === -1 ? null : (argv[onlyAt + 1] ?? '').split(',');
const ref = argv.find((arg, index) => !arg.startsWith('--') && (onlyAt === -1 || index !== onlyAt + 1)) ?? 'HEAD';

function extract(gitRef: string): string {
  const sha = execFileSync('git', ['rev-parse', '--short', gitRef], { cwd: ROOT, encoding: 'utf8' }).trim();
  const dir = fileURLToPath(new URL(`./.ab/${sha}/`, import.meta.url));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync('sh', ['-c', `git archive ${sha} src | tar -x -C ${dir}`], { cwd: ROOT });
  return `${dir}src/index.ts`;
}

function typical(lib: Lib, fetch: Fetch, extra: { onEvent?: () => void; connect?: false } = {}): Fetch {
  return lib.createClient(
    [
      lib.retry({ total: RETRY_LIMIT, statusForcelist: [502, 503, 504], ...(extra.connect === false ? { connect: false } : {}) }),
      lib.backoff({ factor: 0 }),
      lib.baseUrl(STUB_BASE),
      lib.headers([[DEFAULT_HEADER[0], DEFAULT_HEADER[1]]]),
      lib.authHeaders([[AUTH_HEADER[0], AUTH_HEADER[1]]]),
      lib.userAgent(USER_AGENT),
    ],
    { fetch, ...(extra.onEvent ? { onEvent: extra.onEvent } : {}) },
  );
}

const ok: Fetch = async () => new Response(OK_BODY);
const refused = () =>
  new TypeError('fetch failed', {
    cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { errno: -111, code: 'ECONNREFUSED', syscall: 'connect', address: '127.0.0.1', port: 9 }),
  });

const shared = new Response(null, { status: 204 });
const SCENARIOS: Record<string, (lib: Lib) => () => Promise<unknown>> = {
  // fetchpipe's own work alone: one shared response, no body to read (the floor's microseconds gone).
  'typical-204': (lib) => {
    const client = typical(lib, async () => shared);
    return async () => (await client(PATH)).status;
  },
  // 100 pass-through layers against the shared 204: the per-layer cost, times 100.
  'layers-100': (lib) => {
    const pass = (request: Parameters<Parameters<Lib['createClient']>[0][number]>[0], next: (r: typeof request) => Promise<Response>) => next(request);
    const client = lib.createClient(Array.from({ length: 100 }, () => pass), { fetch: async () => shared });
    return async () => (await client(STUB_BASE + PATH)).status;
  },
  typical: (lib) => {
    const client = typical(lib, ok);
    return async () => (await client(PATH)).text();
  },
  'own-init': (lib) => {
    const client = typical(lib, ok);
    return async () =>
      (
        await client(PATH, {
          headers: { 'x-request-id': 'r-42', 'x-tenant': 'acme', 'content-language': 'en', 'x-feature': 'beta' },
          cache: 'no-store',
          credentials: 'same-origin',
        })
      ).text();
  },
  'on-event': (lib) => {
    const client = typical(lib, ok, { onEvent: () => {} });
    return async () => (await client(PATH)).text();
  },
  failure: (lib) => {
    const client = typical(lib, async () => Promise.reject(refused()), { connect: false });
    return () => client(PATH).then(String, (error: Error) => error.name);
  },
  retry: (lib) => {
    let n = 0;
    const client = typical(lib, async () => (n++ % 2 === 0 ? new Response('unavailable', { status: 503 }) : new Response(OK_BODY)));
    return async () => (await client(PATH)).text();
  },
};

const a = (await import(pathToFileURL(extract(ref)).href)) as Lib;
const b = (await import('../src/index.ts')) as Lib;
const settings = quick ? ROUND_SETTINGS.quick : { ...ROUND_SETTINGS.full, rounds: 20 };
console.log(`A = src/ at ${ref}, B = the working tree's src/; ${settings.rounds} rounds; Node ${process.version}`);
console.log('scenario    A median    B median    B/A median  B/A min – max');
for (const [name, make] of Object.entries(SCENARIOS)) {
  if (only !== null && !only.includes(name)) continue;
  const callA = make(a);
  const callB = make(b);
  const firstA = await callA();
  const firstB = await callB();
  if (firstA !== firstB) throw new Error(`${name}: A gave ${String(firstA)}, B gave ${String(firstB)}`);
  const timed: Timed[] = [
    { name: 'A', call: callA },
    { name: 'B', call: callB },
  ];
  const [roundsA, roundsB] = (await timeInRounds(name, timed, settings)) as [number[], number[]];
  const ratio = spread(roundsB.map((ns, round) => ns / roundsA[round]!));
  console.log(
    `${name.padEnd(12)}${formatNs(median(roundsA)).padEnd(12)}${formatNs(median(roundsB)).padEnd(12)}${formatRatio(ratio.median).padEnd(12)}${formatRatio(ratio.min)} – ${formatRatio(ratio.max)}`,
  );
}
