// Secrets: whatever fails and however, no auth header value, URL credential or masked query
// parameter appears in any error, its cause chain, reason, history, stack, JSON, inspection or
// any event; and the second server of a cross-origin redirect never receives an auth header.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authHeaders,
  backoff,
  createClient,
  httpErrors,
  logger,
  redirect,
  retry,
  timeout,
  type FetchpipeEvent,
  type Middleware,
} from '../../src/index.ts';
import { qbraid } from '../../src/presets/index.ts';
import { startFaultServer, type FaultServer } from './fault-server.ts';
import { leaks, outcome } from './support.ts';

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer();
});
afterAll(() => server.close());

const instant = { sleep: async () => {} };
// Printable ASCII, space and the characters that change form in URLs and JSON.
const secretChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -._~!$&\'()*+,;=:@/?#[]%"\\<>{}|^`');
const secret = fc.string({ unit: secretChar, minLength: 8, maxLength: 32 }).map((s) => `Zx${s.trim()}9q`);
const SCENARIOS = ['ok', 'refuse', 'reset-before', '503', '404', 'hang', 'cross', 'bad-scheme', 'loop', 'relative-cross'] as const;
const AUTH_HEADERS = ['authorization', 'x-api-key', 'proxy-authorization', 'cookie'];

function pathFor(scenario: (typeof SCENARIOS)[number], key: string, peer: string): string {
  switch (scenario) {
    case 'cross':
      return `/cross?to=${encodeURIComponent(`/ok?key=${key}`)}&key=${key}-from`;
    case 'relative-cross':
      // A protocol-relative Location: another origin without a scheme.
      return `/redirect?location=${encodeURIComponent(`//${peer.slice('http://'.length)}/ok?key=${key}`)}&key=${key}-from`;
    case 'bad-scheme':
      return `/redirect?location=${encodeURIComponent('javascript:alert(1)')}&key=${key}`;
    case '404':
      return `/status?code=404&key=${key}`;
    case 'refuse':
    case 'ok':
      return `/ok?key=${key}`;
    default:
      return `/${scenario}?key=${key}`;
  }
}

/** Every form a secret can take on the way out: raw, percent-encoded, URL-normalized, Basic. */
function forms(token: string, apiKey: string, user: string, password: string, queryValue: string): string[] {
  const url = new URL(`http://${encodeURIComponent(user)}:${encodeURIComponent(password)}@h/`);
  return [
    token,
    apiKey,
    password,
    encodeURIComponent(password),
    url.password,
    queryValue,
    encodeURIComponent(queryValue),
    btoa(unescape(encodeURIComponent(`${user}:${password}`))),
  ];
}

describe('secrets', () => {
  it('never shows an auth value, URL credential or masked query value in any error or event', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({ token: secret, apiKey: secret, user: secret, password: secret, queryValue: secret }),
        fc.constantFrom(...SCENARIOS),
        fc.boolean(),
        async ({ token, apiKey, user, password, queryValue }, scenario, strict) => {
          const key = `secret-${++run}`;
          const events: FetchpipeEvent[] = [];
          const middlewares: Middleware[] = [
            ...(strict ? [httpErrors()] : []),
            retry({ total: 2, statusForcelist: [503], redirect: 3 }),
            backoff({ clock: instant }),
            redirect(),
            timeout({ read: 60 }),
            authHeaders({ Authorization: `Bearer ${token}`, 'X-API-Key': apiKey }, { maskQueryParams: ['api_key'] }),
          ];
          const client = createClient(middlewares, { onEvent: (event) => events.push(event) });
          const origin = scenario === 'refuse' ? server.refusedOrigin : server.origin;
          const withCredentials = origin.replace('http://', `http://${encodeURIComponent(user)}:${encodeURIComponent(password)}@`);
          const url = `${withCredentials}${pathFor(scenario, key, server.peer.origin)}&api_key=${encodeURIComponent(queryValue)}`;
          const result = await outcome(() => client(url));
          if (result.kind === 'response') await result.response.arrayBuffer().catch(() => {});
          const secrets = forms(token, apiKey, user, password, queryValue);
          if (result.kind === 'error') expect(leaks(result.error, secrets), result.name).toEqual([]);
          expect(leaks(events, secrets)).toEqual([]);
          for (const received of server.peer.attempts(key)) {
            for (const name of AUTH_HEADERS) expect(received.headers[name], name).toBeUndefined();
          }
        },
      ),
      {
        numRuns: 100,
        examples: [
          // httpErrors() keeps the Response, whose url carries the masked query parameter.
          [{ token: 'Zxtoken-0001-9q', apiKey: 'Zxapikey-0002-9q', user: 'Zxuser-0003-9q', password: 'Zxpass-0004-9q', queryValue: 'Zxquery-0005-9q' }, '404', true],
        ],
      },
    );
  });

  it('never shows a secret the client was not told about (call headers by name, URL userinfo in any form, default query keys) on real sockets', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({ token: secret, apiKey: secret, cookie: secret, session: secret, password: secret, signature: secret }),
        fc.constantFrom(...SCENARIOS),
        fc.constantFrom('http://', 'http:', 'http:/', 'HTTP:\\\\'),
        fc.boolean(),
        async ({ token, apiKey, cookie, session, password, signature }, scenario, form, strict) => {
          const key = `told-nothing-${++run}`;
          const events: FetchpipeEvent[] = [];
          const lines: string[] = [];
          const middlewares: Middleware[] = [
            logger({ write: (line) => lines.push(line) }),
            // A message built from what was sent, as a server echoing its request would.
            ...(strict ? [httpErrors({ message: (_response, request) => `rejected ${request.url} ${JSON.stringify([...request.headers])}` })] : []),
            retry({ total: 2, statusForcelist: [503], redirect: 3 }),
            backoff({ clock: instant }),
            redirect(),
            timeout({ read: 60 }),
          ];
          const client = createClient(middlewares, { onEvent: (event) => events.push(event), sensitiveHeaders: ['X-Session'] });
          const origin = scenario === 'refuse' ? server.refusedOrigin : server.origin;
          const url = `${origin.replace('http://', `${form}robot:${encodeURIComponent(password)}@`)}${pathFor(scenario, key, server.peer.origin)}&sig=${encodeURIComponent(signature)}`;
          const headers = { Authorization: `Token ${token}`, 'X-API-Key': apiKey, Cookie: `sid=${cookie}`, 'X-Session': session };
          const result = await outcome(() => client(url, { headers }));
          if (result.kind === 'response') await result.response.arrayBuffer().catch(() => {});
          const secrets = [token, apiKey, cookie, session, password, encodeURIComponent(password), signature, encodeURIComponent(signature)];
          if (result.kind === 'error') expect(leaks(result.error, secrets), result.name).toEqual([]);
          expect(leaks(events, secrets)).toEqual([]);
          expect(leaks(lines, secrets)).toEqual([]);
          // sensitiveHeaders names are credentials too: never on another origin.
          for (const received of server.peer.attempts(key)) expect(received.headers['x-session']).toBeUndefined();
        },
      ),
      { numRuns: 100 },
    );
  });

  it('never lets an auth header reach another origin: with redirect(), without it, or through the qbraid preset', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(secret, secret, fc.constantFrom('redirect()', 'no redirect()', 'qbraid()'), fc.constantFrom('cross', 'relative-cross'), async (token, apiKey, stack, scenario) => {
        const key = `cross-${++run}`;
        const auth = { Authorization: `Bearer ${token}`, 'X-API-Key': apiKey };
        const client = createClient(
          stack === 'qbraid()'
            ? qbraid({ authHeaders: auth })
            : [...(stack === 'redirect()' ? [redirect()] : []), authHeaders(auth)],
        );
        const response = await client(server.url(pathFor(scenario, key, server.peer.origin)));
        await response.arrayBuffer();
        expect(response.status).toBe(200);
        const [landed] = server.peer.attempts(key);
        expect(landed).toBeDefined();
        for (const name of AUTH_HEADERS) expect(landed!.headers[name], `${name} (${stack})`).toBeUndefined();
        // The first hop, on the origin the credentials were meant for, did carry them.
        expect(server.attempts(`${key}-from`)[0]!.headers['x-api-key']).toBe(apiKey.trim());
      }),
      // Without redirect(), the platform follows the redirect and forwards X-API-Key (undici #4917).
      { numRuns: 24, examples: [['Zxtoken-0001-9q', 'Zxapikey-0002-9q', 'no redirect()', 'cross'], ['Zxtoken-0001-9q', 'Zxapikey-0002-9q', 'qbraid()', 'cross']] },
    );
  });
});
