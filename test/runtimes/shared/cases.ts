// The shared behavioural suite: written once, run on Node (vitest), Deno (deno test), Bun
// (bun test) and Chromium (vitest browser mode). Each case is a plain async function of an
// environment, so every runner only supplies an assert, a way to install msw handlers and
// the addresses of the real servers (backend.ts).
import { http, HttpResponse, type RequestHandler } from 'msw';
import {
  authHeaders,
  backoff,
  baseUrl,
  createClient,
  headers,
  isConnectionError,
  isMaxRetryError,
  isPoolTimeoutError,
  pool,
  redirect,
  retry,
  userAgent,
  type ConnectionError,
  type MaxRetryError,
} from '../../../src/index.ts';
import { recordingClock } from '../../../src/testing/index.ts';
import { sequenceHandler } from '../../../src/testing/msw.ts';
import type { Backend, Echo } from './backend.ts';
import { hostCases } from './host-cases.ts';
import { kitCases } from './kit-cases.ts';
import { redirectCases, rejection } from './redirect-cases.ts';
import { refusalCases } from './refusal-cases.ts';
import { secretCases } from './secrets.ts';
import { resilienceCases } from './resilience-cases.ts';

/** The part of `node:assert/strict` the cases use; vitest runners adapt `expect` to it. */
export interface Assert {
  /** `Object.is` equality. */
  equal(actual: unknown, expected: unknown, message?: string): void;
  /** Strict deep equality. */
  deepEqual(actual: unknown, expected: unknown, message?: string): void;
  ok(value: unknown, message?: string): void;
  match(value: string, pattern: RegExp, message?: string): void;
  doesNotMatch(value: string, pattern: RegExp, message?: string): void;
}

export type Runtime = 'node' | 'deno' | 'bun' | 'chromium';

export interface SuiteEnv {
  readonly runtime: Runtime;
  readonly assert: Assert;
  /** Installs msw handlers for the rest of the case; the runner removes them afterwards. */
  use(...handlers: RequestHandler[]): Promise<void>;
  readonly backend: Backend;
  /**
   * Whether `redirect()` sees 3xx responses. In a page or a worker, `manual` gives an opaque
   * redirect (no status, no Location): only the platform can follow, and redirect() says so
   * from that response, never from a global.
   */
  readonly seesRedirects: boolean;
  /** `util.inspect` where the runtime has `node:util` (Node, Deno, Bun); absent in Chromium. */
  readonly inspect?: ((value: unknown, options: { depth?: number }) => string) | undefined;
}

export interface Case {
  readonly name: string;
  /** Runs only where redirects are visible to fetchpipe. */
  readonly needsRedirects?: boolean;
  /** Also runs in a Chromium module Worker (test/browser/worker.test.ts): real servers only, no msw. */
  readonly inWorker?: boolean;
  run(env: SuiteEnv): Promise<void>;
}

/** The origin msw answers for in mocked cases; it never reaches a network. */
const API = 'https://api.fetchpipe.test';
const SECRETS = ['t0ken-abc-123', 'k3y-777-xyz', 'pa55-w0rd', 'qk-999-sss'];


/** Waits (on real, short timers) until `condition` holds: for concurrency, never for schedules. */
async function until(condition: () => boolean, what: string): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > 5_000) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Every text an error exposes: message, stack, toString and JSON, down its cause chain. */
function exposedTexts(error: unknown): string[] {
  const texts: string[] = [JSON.stringify(error) ?? ''];
  const seen = new Set<unknown>();
  for (let current = error; current instanceof Error && !seen.has(current); current = current.cause) {
    seen.add(current);
    texts.push(current.message, String(current), current.stack ?? '', JSON.stringify(current) ?? '');
  }
  const history = (error as Partial<MaxRetryError>).history;
  if (history) texts.push(JSON.stringify(history.map(({ error: inner, ...rest }) => ({ ...rest, inner: String(inner) }))));
  return texts;
}

function assertNoSecrets(error: unknown, assert: Assert): void {
  for (const text of exposedTexts(error)) {
    for (const secret of SECRETS) assert.ok(!text.includes(secret), `a secret leaked into: ${text.slice(0, 400)}`);
  }
}

/** Name, code and message of each error down a cause chain: what the runtime said. */
function causeChain(error: unknown): string {
  const parts: string[] = [];
  for (let current = error, depth = 0; current instanceof Error && depth < 6; current = current.cause, depth++) {
    const code = (current as { code?: unknown }).code;
    parts.push(`${current.name}${typeof code === 'string' ? ` [${code}]` : ''}: ${current.message}`);
  }
  return parts.join(' <- ');
}

// What each runtime's fetch really throws (checked here so that a runtime that changes its
// words shows up as a failure, not as a silently unmapped error):
// - Node 24 (undici): TypeError "fetch failed", cause Error [ECONNREFUSED] / [ECONNRESET];
// - Deno 2.9: TypeError "fetch failed", cause Error with no code: "error sending request for
//   url (…): client error (Connect): tcp connect error: Connection refused (os error 111)",
//   or "Connection reset by peer (os error 104)";
// - Bun 1.4: TypeError [ECONNREFUSED] "Unable to connect…" / [ECONNRESET] "The socket connection
//   was closed unexpectedly…";
// - Chromium: a bare TypeError "Failed to fetch" for both.
const REFUSED: Record<Runtime, RegExp> = {
  node: /^TypeError: fetch failed <- Error \[ECONNREFUSED\]/,
  deno: /^TypeError: fetch failed <- Error: .*tcp connect error: Connection refused/,
  bun: /^TypeError \[ECONNREFUSED\]/,
  chromium: /^TypeError: Failed to fetch$/,
};
const RESET: Record<Runtime, RegExp> = {
  node: /^TypeError: fetch failed <- Error \[ECONNRESET\]/,
  deno: /^TypeError: fetch failed <- Error: .*Connection reset by peer/,
  bun: /^TypeError \[ECONNRESET\]/,
  chromium: /^TypeError: Failed to fetch$/,
};

async function echoOf(response: Response): Promise<Echo> {
  return (await response.json()) as Echo;
}

export const cases: readonly Case[] = [
  ...secretCases,
  {
    name: 'retries a 503 from the forcelist with backoff on an injected clock and returns the final 200',
    async run({ assert, use }) {
      const backend = sequenceHandler(`${API}/*`, [503, 503, 503, { status: 200, body: 'recovered' }]);
      await use(backend.handler);
      const clock = recordingClock();
      const client = createClient([retry({ total: 3, statusForcelist: [503] }), backoff({ factor: 100, clock })]);

      const response = await client(`${API}/flaky`);

      assert.equal(response.status, 200);
      assert.equal(await response.text(), 'recovered');
      assert.equal(backend.calls, 4);
      assert.deepEqual([...clock.waits], [0, 200, 400]);
    },
  },
  {
    name: 'waits as long as Retry-After says instead of the backoff',
    async run({ assert, use }) {
      const backend = sequenceHandler(`${API}/*`, [
        { status: 429, headers: { 'retry-after': '3' } },
        { status: 503, headers: { 'retry-after': '1' } },
        200,
      ]);
      await use(backend.handler);
      const clock = recordingClock();
      const client = createClient([retry({ total: 3 }), backoff({ factor: 100, clock })]);

      const response = await client(`${API}/limited`);

      assert.equal(response.status, 200);
      assert.equal(backend.calls, 3);
      assert.deepEqual([...clock.waits], [3000, 1000]);
    },
  },
  {
    name: 'gives up with MaxRetryError once the budget is spent on statuses',
    async run({ assert, use }) {
      const backend = sequenceHandler(`${API}/*`, [502]);
      await use(backend.handler);
      const clock = recordingClock();
      const client = createClient([retry({ total: 2, statusForcelist: [502] }), backoff({ factor: 500, clock })]);

      const error = await rejection(client(`${API}/down`), assert);

      assert.ok(isMaxRetryError(error), `expected MaxRetryError, got ${String(error)}`);
      assert.match((error as MaxRetryError).message, /too many 502 error responses/);
      assert.equal(backend.calls, 3);
      assert.deepEqual([...clock.waits], [0, 1000]);
    },
  },
  {
    name: 'resolves relative input against baseUrl with qBraid’s slash rules',
    async run({ assert, use }) {
      const backend = sequenceHandler(`${API}/*`, [200]);
      await use(backend.handler);
      const client = createClient([baseUrl(`${API}/v1`)]);

      for (const input of ['users/1', '/users/1', 'users/1?fields=name', '//evil.example/x', '']) {
        const response = await client(input);
        await response.body?.cancel();
      }

      assert.deepEqual(
        backend.requests.map((request) => request.url),
        [`${API}/v1/users/1`, `${API}/v1/users/1`, `${API}/v1/users/1?fields=name`, `${API}/v1/evil.example/x`, `${API}/v1/`],
      );
    },
  },
  {
    name: 'sends default headers, auth headers and the user agent, with the call’s own headers winning',
    async run({ assert, use, runtime }) {
      const backend = sequenceHandler(`${API}/*`, [200]);
      await use(backend.handler);
      const client = createClient([
        baseUrl(API),
        headers({ accept: 'application/json', authorization: 'default-value', 'x-team': 'defaults' }),
        authHeaders({ Authorization: `Bearer ${SECRETS[0]}` }),
        userAgent('fetchpipe-suite/1.0', { mode: 'append', fallbackHeader: 'X-Client' }),
      ]);

      await (await client('me', { headers: { 'x-team': 'call' } })).body?.cancel();

      const seen = backend.requests[0]!.headers;
      assert.equal(seen.accept, 'application/json');
      assert.equal(seen.authorization, `Bearer ${SECRETS[0]}`, 'auth replaces a default');
      assert.equal(seen['x-team'], 'call', 'the call’s own header wins over defaults');
      assert.match(seen['x-client'] ?? '', /fetchpipe-suite\/1\.0/);
      // Chromium drops a User-Agent set by page scripts: that is what the fallback header is for.
      if (runtime !== 'chromium') assert.match(seen['user-agent'] ?? '', /fetchpipe-suite\/1\.0/);
    },
  },
  {
    name: 'masks auth values, URL credentials and masked query parameters in a mocked network failure',
    async run({ assert, use }) {
      const backend = sequenceHandler(`${API}/*`, ['network-error']);
      await use(backend.handler);
      const clock = recordingClock();
      const client = createClient([
        retry({ total: 1 }),
        backoff({ clock }),
        authHeaders({ Authorization: `Bearer ${SECRETS[0]}`, 'X-API-Key': SECRETS[1]! }, { maskQueryParams: ['api_key'] }),
      ]);

      const error = await rejection(client(`https://robot:${SECRETS[2]}@api.fetchpipe.test/data?api_key=${SECRETS[3]}`), assert);

      assert.ok(isMaxRetryError(error), `expected MaxRetryError, got ${String(error)}`);
      assert.ok(isConnectionError((error as MaxRetryError).reason), 'the reason is the network failure');
      assert.equal(backend.calls, 2);
      assert.equal(backend.requests[0]!.headers['x-api-key'], SECRETS[1], 'the secret was sent, and only masked in reports');
      assertNoSecrets(error, assert);
    },
  },
  {
    name: 'masks secrets in the runtime’s own error for a refused connection',
    async run({ assert, backend }) {
      const client = createClient([
        authHeaders({ Authorization: `Bearer ${SECRETS[0]}`, 'X-API-Key': SECRETS[1]! }, { maskQueryParams: ['api_key'] }),
      ]);
      const url = new URL(`/data?api_key=${SECRETS[3]}`, backend.closedOrigin);
      url.username = 'robot';
      url.password = SECRETS[2]!;

      const error = await rejection(client(url.href), assert);

      assert.ok(isConnectionError(error), `expected ConnectionError, got ${String(error)}`);
      assert.ok((error as ConnectionError).cause !== undefined, 'the runtime’s error is kept as the cause');
      assertNoSecrets(error, assert);
    },
  },
  {
    name: 'holds requests beyond maxsize until a slot frees, in order',
    async run({ assert, use }) {
      let inFlight = 0;
      let peak = 0;
      const arrived: string[] = [];
      const releases: Array<() => void> = [];
      await use(
        http.get(`${API}/slow/:id`, async ({ params }) => {
          inFlight++;
          peak = Math.max(peak, inFlight);
          arrived.push(String(params.id));
          await new Promise<void>((resolve) => releases.push(resolve));
          inFlight--;
          return HttpResponse.text(`done ${String(params.id)}`);
        }),
      );
      const client = createClient([pool({ maxsize: 2, block: true })]);

      const calls = ['1', '2', '3', '4', '5'].map(async (id) => (await client(`${API}/slow/${id}`)).text());
      await until(() => arrived.length === 2, 'two requests arrive');
      // Give the other three every chance to overtake the pool before a slot frees.
      await new Promise((resolve) => setTimeout(resolve, 30));
      assert.equal(arrived.length, 2, 'only maxsize requests are in flight');
      for (let released = 0; released < 5; released++) {
        await until(() => releases.length > released, `request ${released + 1} arrives`);
        releases[released]!();
      }

      assert.deepEqual(await Promise.all(calls), ['done 1', 'done 2', 'done 3', 'done 4', 'done 5']);
      assert.equal(peak, 2);
      assert.deepEqual(arrived, ['1', '2', '3', '4', '5'], 'waiters go in order');
    },
  },
  {
    name: 'fails a waiter with urllib3’s PoolTimeoutError message when no slot frees in time',
    async run({ assert, use }) {
      let release = (): void => {};
      await use(
        http.get(`${API}/held`, async () => {
          await new Promise<void>((resolve) => (release = resolve));
          return HttpResponse.text('held');
        }),
      );
      const client = createClient([pool({ maxsize: 1, block: true, poolTimeout: 30 })]);

      const first = client(`${API}/held`);
      const error = await rejection(client(`${API}/held`), assert);
      release();

      assert.ok(isPoolTimeoutError(error), `expected PoolTimeoutError, got ${String(error)}`);
      assert.match((error as Error).message, /Pool is empty and a new connection can't be opened due to blocking mode\./);
      assert.equal(await (await first).text(), 'held');
    },
  },
  {
    name: 'sends a real request to a local server on 127.0.0.1',
    async run({ assert, backend, runtime }) {
      const client = createClient([
        baseUrl(backend.origin),
        headers({ 'x-suite': runtime }),
        authHeaders({ 'X-API-Key': SECRETS[1]! }),
        userAgent('fetchpipe-suite/1.0', { fallbackHeader: 'X-Client' }),
      ]);

      const response = await client('echo?q=1', { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } });

      assert.equal(response.status, 200);
      const echo = await echoOf(response);
      assert.equal(echo.method, 'POST');
      assert.equal(echo.path, '/echo?q=1');
      assert.equal(echo.body, '{"a":1}');
      assert.equal(echo.headers['x-suite'], runtime);
      assert.equal(echo.headers['x-api-key'], SECRETS[1]);
      assert.equal(echo.headers['x-client'], 'fetchpipe-suite/1.0');
    },
  },
  {
    name: 'strips auth headers, custom ones included, when a redirect leaves the origin, and keeps them on it',
    needsRedirects: true,
    async run({ assert, backend }) {
      const auth = () => authHeaders({ Authorization: `Bearer ${SECRETS[0]}`, 'X-API-Key': SECRETS[1]! });
      const away = `${backend.origin}/redirect?to=${encodeURIComponent(`${backend.otherOrigin}/echo`)}`;
      const home = `${backend.origin}/redirect?status=307&to=/echo`;

      for (const client of [
        createClient([redirect(), auth()]),
        createClient([auth(), redirect()]),
        createClient([retry({ total: 3 }), redirect(), auth()]),
      ]) {
        const left = await client(away);
        const leftEcho = await echoOf(left);
        assert.ok(left.redirected || left.url.startsWith(backend.otherOrigin), 'the redirect was followed');
        assert.equal(leftEcho.headers.authorization, undefined);
        assert.equal(leftEcho.headers['x-api-key'], undefined);

        const stayed = await echoOf(await client(home));
        assert.equal(stayed.headers.authorization, `Bearer ${SECRETS[0]}`);
        assert.equal(stayed.headers['x-api-key'], SECRETS[1]);
      }
    },
  },
  ...redirectCases,
  {
    name: 'maps a refused connection to ConnectionError, in the connect phase where the runtime tells',
    async run({ assert, backend, runtime }) {
      const client = createClient([]);

      const error = await rejection(client(`${backend.closedOrigin}/x`), assert);

      assert.ok(isConnectionError(error), `expected ConnectionError, got ${String(error)}`);
      // Browsers say only "Failed to fetch": the phase is unknown, so it is read, the conservative one.
      assert.equal((error as ConnectionError).phase, runtime === 'chromium' ? 'read' : 'connect');
      assert.match((error as Error).message, new RegExp(`^Cannot connect|^Connection failed`));
      assert.match((error as Error).message, /GET http:\/\/127\.0\.0\.1:\d+\/x/);
      assert.match(causeChain((error as Error).cause), REFUSED[runtime]);
    },
  },
  {
    name: 'maps a connection reset after sending to ConnectionError in the read phase',
    async run({ assert, backend, runtime }) {
      const client = createClient([]);

      const error = await rejection(client(`${backend.resetOrigin}/x`), assert);

      assert.ok(isConnectionError(error), `expected ConnectionError, got ${String(error)}`);
      assert.equal((error as ConnectionError).phase, 'read');
      assert.match(causeChain((error as Error).cause), RESET[runtime]);
    },
  },
  {
    name: 'retries a refused connection with backoff, then gives up with the connection error as the reason',
    async run({ assert, backend, runtime }) {
      const clock = recordingClock();
      const client = createClient([retry({ total: 2 }), backoff({ factor: 100, clock })]);
      // A connect error is retried for any method, POST included; a browser cannot tell the
      // phase, so there only an allowed method (GET) is retried.
      const init = runtime === 'chromium' ? {} : { method: 'POST', body: 'x' };

      const error = await rejection(client(`${backend.closedOrigin}/x`, init), assert);

      assert.ok(isMaxRetryError(error), `expected MaxRetryError, got ${String(error)}`);
      assert.ok(isConnectionError((error as MaxRetryError).reason), 'the reason is the real connection error');
      assert.deepEqual([...clock.waits], [0, 200]);
      // urllib3 appends the attempt that spends the budget too: three attempts, three entries.
      const kinds = (error as MaxRetryError).history.map((entry) => entry.kind);
      assert.deepEqual(kinds, runtime === 'chromium' ? ['read', 'read', 'read'] : ['connect', 'connect', 'connect']);
    },
  },
  ...hostCases,
  ...refusalCases,
  ...kitCases,
  // The resilience middlewares' cases (issue #17), kept in their own file.
  ...resilienceCases,
];
