// The secrets properties of the shared suite (Node, Deno, Bun, Chromium): a generated secret,
// put in a generated place (a header of the call, of a middleware, of a Request input, URL
// userinfo in every form fetch accepts, a query or fragment parameter in every spelling, a
// value registered at run time), reaches a failure of a generated shape (a custom fetch or a
// middleware rejecting with a message, a Request, a Headers, `config.headers`, nested
// objects, a frozen error, a string, an AggregateError, a plain object, the request value
// itself with its context; a Retry-After echo;
// a pool timeout). The secret must appear in no print form of what the call rejects with
// (String, stack, JSON, structuredClone, util.inspect where the runtime has it), in no event
// and in no logger line.
import fc from 'fast-check';
import {
  authHeaders,
  createClient,
  defineMiddleware,
  logger,
  pool,
  registerSecret,
  retry,
  type FetchFunction,
  type FetchpipeRequest,
  type Middleware,
} from '../../../src/index.ts';
import type { Case, SuiteEnv } from './cases.ts';

const ORIGIN = 'https://api.fetchpipe.test';
const RUNS = Number((globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.FETCHPIPE_SECRETS_RUNS ?? 1000);
const enc = encodeURIComponent;

// Secrets: any length, ASCII with every URL and JSON metacharacter, Latin-1 and (where the
// place is not a header) any Unicode. Short ones are mostly vocabulary (see `vocabulary` below).
const special = fc.constantFrom(...' !"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~', '\t', 'é', 'ÿ', '€', '😀', '%2F', '%');
const ascii = fc.integer({ min: 0x21, max: 0x7e }).map((code) => String.fromCharCode(code));
const unit = fc.oneof({ weight: 3, arbitrary: ascii }, { weight: 1, arbitrary: special });
const secretArbitrary = fc.oneof(
  { weight: 1, arbitrary: fc.string({ unit, minLength: 1, maxLength: 3 }) },
  { weight: 4, arbitrary: fc.string({ unit, minLength: 4, maxLength: 40 }) },
);

type Place =
  | 'call-authorization' | 'call-token-scheme' | 'call-basic' | 'call-x-api-key' | 'call-cookie' | 'call-set-cookie'
  | 'call-proxy-authorization' | 'sensitive-option' | 'auth-headers' | 'middleware-header' | 'request-input'
  | 'registered-call' | 'registered-client' | 'userinfo' | 'query-configured' | 'query-default';
const PLACES: readonly Place[] = [
  'call-authorization', 'call-token-scheme', 'call-basic', 'call-x-api-key', 'call-cookie', 'call-set-cookie',
  'call-proxy-authorization', 'sensitive-option', 'auth-headers', 'middleware-header', 'request-input',
  'registered-call', 'registered-client', 'userinfo', 'query-configured', 'query-default',
];
const HEADER_PLACES = new Set<Place>(PLACES.filter((place) => place.startsWith('call-') || ['sensitive-option', 'auth-headers', 'middleware-header', 'request-input'].includes(place)));

type Shape = 'message' | 'request-prop' | 'request-value' | 'headers-prop' | 'config' | 'nested' | 'frozen' | 'string' | 'aggregate' | 'plain-object' | 'retry-after' | 'pool-timeout';
const SHAPES: readonly Shape[] = ['message', 'request-prop', 'request-value', 'headers-prop', 'config', 'nested', 'frozen', 'string', 'aggregate', 'plain-object', 'retry-after', 'pool-timeout'];

/** How URL userinfo is typed: every form fetch accepts, with a tab or a space inside. */
const USERINFO_FORMS = [
  (info: string) => `https://${info}@api.fetchpipe.test/v1/items`,
  (info: string) => `https:${info}@api.fetchpipe.test/v1/items`,
  (info: string) => `https:/${info}@api.fetchpipe.test/v1/items`,
  (info: string) => `https:\\\\${info}@api.fetchpipe.test/v1/items`,
  (info: string) => ` https://${info}@api.fetchpipe.test/v1/items`,
  (info: string) => `http:${info}@api.fetchpipe.test/v1/items`,
  (info: string) => `http:/${info}@api.fetchpipe.test/v1/items`,
  (info: string) => `HTTP://${info}@api.fetchpipe.test/v1/items`,
];
/** Spellings a server decodes as the configured `api_key`, or as one of the defaults. */
const CONFIGURED_SPELLINGS = ['api_key', 'api%5Fkey', 'api_key[]', 'API_KEY', 'api_key[0]', 'api%5fkey'];
const DEFAULT_NAMES = ['sig', 'X-Goog-Signature', 'AWSAccessKeyId', 'Signature', 'X-Amz-Signature', 'access_token', 'client_secret'];

interface Scenario {
  readonly place: Place;
  readonly shape: Shape;
  readonly thrower: 'fetch' | 'middleware';
  /** Where a URL form or a spelling is chosen: an index into the lists above. */
  readonly variant: number;
  /** Where a tab or space goes inside typed userinfo. */
  readonly split: number;
  readonly inFragment: boolean;
}

const scenarioArbitrary: fc.Arbitrary<Scenario> = fc.record({
  place: fc.constantFrom(...PLACES),
  shape: fc.constantFrom(...SHAPES),
  thrower: fc.constantFrom('fetch' as const, 'middleware' as const),
  variant: fc.nat({ max: 100 }),
  split: fc.nat({ max: 100 }),
  inFragment: fc.boolean(),
});

/** What a failure saw: the URL and the headers it was given, and the request value when a middleware throws. */
interface Seen {
  readonly url: string;
  readonly headers: Headers;
  readonly request?: FetchpipeRequest;
}

function latin1(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return binary;
}

function decodeBasic(value: string): string {
  const token = /^basic\s+(\S+)/i.exec(value)?.[1];
  if (token === undefined) return '';
  try {
    return new TextDecoder().decode(Uint8Array.from(atob(token), (c) => c.charCodeAt(0)));
  } catch {
    return '';
  }
}

/** A server that echoes what it got in the spellings servers use: raw, encoded, JSON, form-encoded, Basic decoded. */
function echo({ url, headers }: Seen): string {
  const parts = [url];
  for (const [name, value] of headers) {
    const credential = value.replace(/^\S+\s+/, '');
    parts.push(
      `${name}: ${value}`,
      credential,
      enc(value),
      enc(credential),
      JSON.stringify(credential),
      new URLSearchParams({ v: credential }).toString(),
      decodeBasic(value),
    );
  }
  return parts.join(' | ');
}

function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.href;
  } catch {
    return `${ORIGIN}/unparsable`;
  }
}

function failure(shape: Shape, seen: Seen): unknown {
  const text = echo(seen);
  switch (shape) {
    case 'message':
      return new TypeError(`cannot send ${text}`);
    case 'request-value':
      // A middleware attaching the request value it received: its context holds the call's secrets.
      if (seen.request) return Object.assign(new Error('middleware failed'), { request: seen.request });
      return Object.assign(new Error('request failed'), { request: new Request(withoutCredentials(seen.url), { headers: seen.headers }) });
    case 'request-prop':
      return Object.assign(new Error('request failed'), { request: new Request(withoutCredentials(seen.url), { headers: seen.headers }) });
    case 'headers-prop':
      return Object.assign(new Error('request failed'), { headers: new Headers(seen.headers), url: seen.url });
    case 'config':
      return Object.assign(new Error('request failed'), { config: { url: seen.url, headers: Object.fromEntries(seen.headers) } });
    case 'nested': {
      let nested: Record<string, unknown> = { text, headers: Object.fromEntries(seen.headers) };
      for (let depth = 0; depth < 16; depth++) nested = { depth, nested };
      return Object.assign(new Error('request failed'), { details: nested });
    }
    case 'frozen':
      return Object.freeze(new Error(`frozen: ${text}`));
    case 'string':
      return `failed: ${text}`;
    case 'aggregate':
      return new AggregateError([new Error(text), Object.freeze(new Error(text)), text], `all failed: ${text}`);
    case 'plain-object':
      return { message: text, headers: Object.fromEntries(seen.headers), cause: new Error(text) };
    default:
      return new Error(text);
  }
}

/** Everything a person or a logger sees of a rejection, on this runtime. */
function printForms(value: unknown, inspect: SuiteEnv['inspect']): string[] {
  const out: string[] = [];
  const add = (render: () => unknown): void => {
    try {
      out.push(String(render()));
    } catch (error) {
      out.push(`[printing threw ${error instanceof Error ? error.name : typeof error}]`);
    }
  };
  const seen = new Set<unknown>();
  const visit = (item: unknown, depth: number): void => {
    if (depth > 6 || seen.has(item)) return;
    seen.add(item);
    add(() => item);
    if (typeof item !== 'object' || item === null) return;
    add(() => (item as { stack?: unknown }).stack);
    add(() => JSON.stringify(item));
    for (const key of ['cause', 'reason', 'errors', 'history', 'error'] as const) {
      const next = (item as Record<string, unknown>)[key];
      if (Array.isArray(next)) for (const inner of next) visit(inner, depth + 1);
      else if (next !== undefined) visit(next, depth + 1);
    }
  };
  visit(value, 0);
  if (inspect) {
    add(() => inspect(value, {}));
    add(() => inspect(value, { depth: Infinity }));
  }
  add(() => {
    const clone: unknown = structuredClone(value);
    const texts = [String(clone), String((clone as { stack?: unknown } | null)?.stack), JSON.stringify(clone)];
    if (inspect) texts.push(inspect(clone, { depth: Infinity }));
    return texts.join('\n');
  });
  return out;
}

interface Run {
  readonly texts: string[];
  /** What a second client, which was never told the secret, reports (registered-client only). */
  readonly otherClient?: string;
}

/** Builds the client and the call for one scenario, runs it, and returns every text it produced. */
async function run(scenario: Scenario, secret: string, inspect: SuiteEnv['inspect']): Promise<Run> {
  const { place, shape, thrower, variant } = scenario;
  const events: unknown[] = [];
  const lines: string[] = [];
  const headers: Record<string, string> = {};
  const middlewares: Middleware[] = [logger({ write: (line) => lines.push(line) })];
  let url = `${ORIGIN}/v1/items`;
  let input: string | Request | undefined;
  const options: { sensitiveHeaders?: string[] } = {};

  switch (place) {
    case 'call-authorization': headers.Authorization = `Bearer ${secret}`; break;
    case 'call-token-scheme': headers.Authorization = `Token ${secret}`; break;
    case 'call-basic': headers.Authorization = `Basic ${btoa(latin1(`robot:${secret}`))}`; break;
    case 'call-x-api-key': headers['X-API-Key'] = secret; break;
    case 'call-cookie': headers.Cookie = `theme=dark; sid=${secret}`; break;
    case 'call-set-cookie': headers['Set-Cookie'] = `sid=${secret}; Path=/; HttpOnly`; break;
    case 'call-proxy-authorization': headers['Proxy-Authorization'] = `Basic ${secret}`; break;
    case 'sensitive-option': headers['X-Session'] = secret; options.sensitiveHeaders = ['X-Session']; break;
    case 'auth-headers': middlewares.push(authHeaders({ 'X-Custom-Auth': secret })); break;
    case 'middleware-header':
      // ky's FAQ recipe: a hook that sets the token on every request.
      middlewares.push(defineMiddleware((request, next) => next({ ...request, headers: new Headers([...request.headers, ['authorization', `Bearer ${secret}`]]) }), { name: 'hook' }));
      break;
    case 'request-input': input = new Request(url, { headers: { authorization: `Bearer ${secret}` } }); break;
    case 'registered-call':
    case 'registered-client': {
      // A token obtained at run time (on the first call only), sent under a name nobody declared sensitive.
      let obtained = false;
      middlewares.push(defineMiddleware((request, next) => {
        if (obtained) return next(request);
        obtained = true;
        registerSecret(request, secret, { scope: place === 'registered-call' ? 'call' : 'client' });
        return next({ ...request, headers: new Headers([...request.headers, ['x-refreshed', enc(secret)]]) });
      }, { name: 'refresh' }));
      break;
    }
    case 'userinfo': {
      const password = enc(secret);
      const at = scenario.split % (password.length + 1);
      const typed = `${password.slice(0, at)}${scenario.split % 2 === 0 ? '\t' : ' '}${password.slice(at)}`;
      url = USERINFO_FORMS[variant % USERINFO_FORMS.length]!(`robot:${typed}`);
      break;
    }
    case 'query-configured':
    case 'query-default': {
      const names = place === 'query-configured' ? CONFIGURED_SPELLINGS : DEFAULT_NAMES;
      const name = names[variant % names.length]!;
      if (place === 'query-configured') middlewares.push(authHeaders({}, { maskQueryParams: ['api_key'] }));
      url = `${url}${scenario.inFragment ? '?page=1#' : '?page=1&'}${name}=${enc(secret)}`;
      break;
    }
  }

  let release = (): void => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  let calls = 0;
  const fetch: FetchFunction = async (target, init) => {
    const seen = { url: String(target instanceof Request ? target.url : target), headers: new Headers(init?.headers) };
    // A later call, which never carried the token, meets a server that echoes it anyway.
    if (seen.url.endsWith('/later')) throw new Error(`later: ${secret}`);
    calls++;
    if (shape === 'pool-timeout') {
      if (calls === 1) await held;
      return new Response('late');
    }
    if (shape === 'retry-after') {
      // The server echoes the first header it got (or the URL) as an invalid Retry-After.
      const value = [...seen.headers][0]?.[1] ?? seen.url;
      return new Response('busy', { status: 503, headers: { 'retry-after': latin1(value).replace(/[\r\n\0]/g, '') } });
    }
    if (thrower === 'fetch') throw failure(shape, seen);
    return new Response('ok');
  };
  if (shape === 'retry-after') middlewares.splice(1, 0, retry({ total: 1, statusForcelist: [503] }));
  if (shape === 'pool-timeout') middlewares.splice(1, 0, pool({ maxsize: 1, block: true, poolTimeout: 1 }));
  if (thrower === 'middleware' && shape !== 'retry-after' && shape !== 'pool-timeout') {
    middlewares.push(defineMiddleware(async (request: FetchpipeRequest) => {
      throw failure(shape, { url: request.url, headers: request.headers, request });
    }, { name: 'thrower' }));
  }

  const client = createClient(middlewares, { fetch, onEvent: (event) => events.push(event), ...options });
  const call = () => (input === undefined ? client(url, { headers }) : client(input));
  // The call that holds the pool's only slot; whatever it ends with is not under test.
  const first = shape === 'pool-timeout' ? call().then((response) => response.text(), () => '') : undefined;
  let rejection: unknown = undefined;
  let rejected = false;
  try {
    await (await call()).text();
  } catch (error) {
    rejected = true;
    rejection = error;
  }
  release();
  await first;

  let otherClient: string | undefined;
  const texts = [...(rejected ? printForms(rejection, inspect) : ['[the call did not fail]']), JSON.stringify(events), ...lines];
  if (place === 'registered-client') {
    // The same client masks the token in a later call that never saw it registered...
    texts.push(...printForms(await laterRejection(client), inspect));
    // ...and another client, never told, does not: the registration did not leak across clients.
    otherClient = String(await laterRejection(createClient([], { fetch })));
  }
  return { texts, ...(otherClient === undefined ? {} : { otherClient }) };
}

async function laterRejection(client: FetchFunction): Promise<unknown> {
  try {
    await client(`${ORIGIN}/later`);
  } catch (error) {
    return error;
  }
  return '[the later call did not fail]';
}

// The text each scenario produces with a sentinel secret: a generated secret that occurs in it
// is fetchpipe's fixed vocabulary (an error name, a field name, `GET`, a digit of a timing), which
// appears whatever the secret is, so such a secret is skipped (SECURITY.md names this limit).
const SENTINEL = 'Qz7Kw9Xv3Jm5';
const vocabularies = new Map<string, string>();
async function vocabulary(scenario: Scenario, inspect: SuiteEnv['inspect']): Promise<string> {
  const key = JSON.stringify(scenario);
  let text = vocabularies.get(key);
  if (text === undefined) {
    text = (await run(scenario, SENTINEL, inspect)).texts.join('\n');
    vocabularies.set(key, text);
  }
  return text;
}

/** The forms of the secret that must never show: as given, and as typed into the URL. */
function forbidden(scenario: Scenario, secret: string): string[] {
  const forms = [secret];
  if (scenario.place === 'userinfo' || scenario.place.startsWith('query')) forms.push(enc(secret));
  return forms;
}

export const secretCases: readonly Case[] = [
  {
    name: 'secrets: a generated secret in any place, reaching a failure of any shape, shows in no print form, event or log line',
    async run({ assert, inspect, runtime }) {
      await fc.assert(
        fc.asyncProperty(scenarioArbitrary, secretArbitrary, async (scenario, raw) => {
          const secret = HEADER_PLACES.has(scenario.place) ? raw.replace(/[^\x20-\xff]/g, 'x').trim() : raw;
          // What no masking can do (SECURITY.md, "Limits"): a secret made only of dots is the mask
          // itself; a number-like one can coincide with a timing or a status; cookie parts under 4 characters.
          fc.pre(secret.length > 0 && !/^\.+$/.test(secret) && !/^[\d\s.:,+-]+$/.test(secret));
          if (scenario.place === 'call-cookie' || scenario.place === 'call-set-cookie') fc.pre(secret.length >= 4 && !/[;,]/.test(secret));
          // A tab inside a header value is kept; inside the secret it would only test the header parser.
          if (HEADER_PLACES.has(scenario.place)) fc.pre(!/\t/.test(secret));
          const known = await vocabulary(scenario, inspect);
          fc.pre(forbidden(scenario, secret).every((form) => !known.includes(form)));

          const { texts, otherClient } = await run(scenario, secret, inspect);
          for (const form of forbidden(scenario, secret)) {
            const leak = texts.find((text) => text.includes(form));
            const at = leak?.indexOf(form) ?? 0;
            assert.ok(leak === undefined, `${runtime}: ${JSON.stringify(scenario)} leaked ${JSON.stringify(form)} in: …${leak?.slice(Math.max(0, at - 300), at + 300)}…`);
          }
          // (A secret shaped like URL userinfo or a query parameter is masked by every client, told or not.)
          if (otherClient !== undefined && !/[@=/]/.test(secret)) {
            assert.ok(otherClient.includes(secret), `${runtime}: a client never told the secret masked it: ${otherClient}`);
          }
        }),
        // FETCHPIPE_SECRETS_RUNS=5000 hunts harder (locally, on Node, Deno or Bun); CI keeps it quick.
        { numRuns: RUNS, maxSkipsPerRun: 1000 },
      );
    },
  },
];
