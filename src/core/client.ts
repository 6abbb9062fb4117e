// createClient: normalises (input, init) once into one immutable request value, sends it
// down a chain composed once, and lets only the terminal (send.ts) call fetch.
import { fn, headerNameProblem, listOf, optional, parseOptions, strictObject } from './config.ts';
import { InvalidURLError } from '../errors/index.ts';
import { Context, type CallContext } from './context.ts';
import { emit, errorName } from './emit.ts';
import type { EventListener } from './events.ts';
import { EMPTY_HEADERS, ReadonlyHeaders } from './headers.ts';
import { maskThrown } from './mask-error.ts';
import { resolveChain } from './order.ts';
import { CallSecrets, ClientSecrets } from './secrets.ts';
import { readBytes } from './read-body.ts';
import { summarize, type FetchFunction, type FetchpipeRequest, type Middleware, type Next } from './request.ts';
import { send } from './send.ts';

export interface ClientOptions {
  /** The fetch to call. @default `globalThis.fetch`, looked up on every call so msw and other patchers see it. */
  fetch?: FetchFunction | undefined;
  /** Receives one event per step of every call (start, attempt, retry, wait, redirect, pool wait, give up, done). */
  onEvent?: EventListener | undefined;
  /**
   * More header names whose values are secrets whoever sets them: masked in everything the client
   * reports, and stripped by `redirect()` when a hop leaves the origin (as `authHeaders()` names are).
   * `Authorization`, `Proxy-Authorization`, `Cookie`, `Set-Cookie`, `X-API-Key` and every
   * `authHeaders()` name are always masked. @default []
   */
  sensitiveHeaders?: readonly string[] | undefined;
}

const clientOptionsSchema = strictObject({
  fetch: optional(fn<FetchFunction>('a fetch function')),
  onEvent: optional(fn<EventListener>('a function receiving events')),
  sensitiveHeaders: optional(listOf<string>('an array of header names', headerNameProblem)),
});

const EMPTY_INIT: Readonly<RequestInit> = Object.freeze({});

// What a Request carries besides method, headers, body and signal, passed on to fetch.
const REQUEST_FIELDS = ['cache', 'credentials', 'integrity', 'keepalive', 'mode', 'redirect', 'referrer', 'referrerPolicy'] as const;

/**
 * Composes `middlewares` once, first outermost, into a function that behaves like fetch.
 * @example
 * const client = createClient([retry(), backoff({ factor: 100 }), baseUrl('https://api.example.com/v1/')]);
 * const response = await client('users/1');
 */
export function createClient(middlewares: readonly Middleware[], options: ClientOptions = {}): FetchFunction {
  // The chain that runs, needs filled and order checked: the same one explain() shows.
  const chain = resolveChain(middlewares);
  const { fetch: customFetch, onEvent, sensitiveHeaders = [] } = parseOptions('createClient', clientOptionsSchema, options);

  const secretValues: string[] = [];
  const queryParams: string[] = [];
  const authHeaderNames = new Set<string>();
  for (const { meta } of chain) {
    secretValues.push(...(meta?.secrets?.values ?? []));
    queryParams.push(...(meta?.secrets?.queryParams ?? []));
    for (const name of meta?.authHeaderNames ?? []) authHeaderNames.add(name.toLowerCase());
  }
  // One per client: what `registerSecret(…, { scope: 'client' })` adds is never seen by another client.
  // A sensitive header is a credential: redirect() strips it on a cross-origin hop, like an authHeaders() name.
  for (const name of sensitiveHeaders) authHeaderNames.add(name.toLowerCase());
  const clientSecrets = new ClientSecrets(secretValues, authHeaderNames, queryParams);

  const terminal: Next = (request) => send(request, customFetch);
  const entry = chain.reduceRight<Next>((next, middleware) => {
    const handler = middleware.setup ? middleware.setup() : middleware;
    // Pass-through middlewares are plain functions (an async one costs a promise and two
    // microtasks per call); one that throws before returning still gives its caller a rejection.
    // Each request value a middleware receives is noted (a comparison and a push): what it
    // carries is read only if something is reported.
    return (request) => {
      request.context.masker.note(request);
      try {
        return handler(request, next);
      } catch (error) {
        return Promise.reject(error);
      }
    };
  }, terminal);

  // Last line of defence: whatever threw, wherever, leaves with every secret of the call masked.
  const fail = (error: unknown, request: FetchpipeRequest): never => {
    const safe = maskThrown(error, request.context.masker, summarize(request));
    if (onEvent) emit(request, 'done', { error: errorName(safe) });
    throw safe;
  };
  const run = (request: FetchpipeRequest): Promise<Response> => {
    if (!onEvent) return entry(request).then(undefined, (error: unknown) => fail(error, request));
    emit(request, 'start', {});
    return entry(request).then(
      (response) => (emit(request, 'done', { status: response.status }), response),
      (error: unknown) => fail(error, request),
    );
  };

  return function fetchpipe(input, init) {
    const secrets = new CallSecrets(clientSecrets);
    const context = new Context(secrets, authHeaderNames, onEvent);
    // Like fetch, the client never throws: bad input becomes a rejected promise.
    try {
      const normalized = normalize(input, init, context);
      if (!(normalized instanceof Promise)) return run(noted(normalized));
      return normalized.then((request) => run(noted(request)), (error: unknown) => Promise.reject(maskThrown(error, secrets)));
    } catch (error) {
      return Promise.reject(maskThrown(error, secrets));
    }
  };
}

// The call's own request value is its first: the start event and any early error mask what it carries.
function noted(request: FetchpipeRequest): FetchpipeRequest {
  request.context.masker.note(request);
  return request;
}

function normalize(input: string | URL | Request, init: RequestInit | undefined, context: CallContext): FetchpipeRequest | Promise<FetchpipeRequest> {
  if (typeof input === 'string' || input instanceof URL) {
    const url = typeof input === 'string' ? input : input.href;
    // The usual call, `client(path)`, allocates nothing for an init it does not have.
    if (init === undefined) {
      return Object.freeze({ url, method: 'GET', headers: EMPTY_HEADERS, body: null, signal: null, init: EMPTY_INIT, attempt: 1, context });
    }
    const { method, headers, body, signal, ...rest } = init;
    return Object.freeze({
      url,
      method: method === undefined ? 'GET' : upper(method),
      headers: headers === undefined ? EMPTY_HEADERS : new ReadonlyHeaders(headers),
      body: body ?? null,
      signal: signal ?? null,
      init: rest,
      attempt: 1,
      context,
    });
  }
  if (isRequest(input)) return fromRequest(input, init ?? EMPTY_INIT, context);
  throw new InvalidURLError(`fetchpipe: input must be a string, URL or Request, received ${input === null ? 'null' : typeof input}`);
}

function upper(method: string): string {
  if (typeof method !== 'string') throw new TypeError(`fetchpipe: method must be a string, received ${typeof method}`);
  return method.toUpperCase();
}

function isRequest(input: unknown): input is Request {
  return typeof Request !== 'undefined' && input instanceof Request;
}

// A Request's body is a stream that can be read once; it is buffered here so that a retry or a
// 307 redirect can send it again intact (ky and openapi-fetch hand us Requests with JSON bodies).
async function fromRequest(input: Request, init: RequestInit, context: CallContext): Promise<FetchpipeRequest> {
  const { method, headers, body, signal, ...rest } = init;
  const fromInput: Record<string, unknown> = {};
  for (const field of REQUEST_FIELDS) fromInput[field] = input[field];
  if (fromInput.referrer === 'about:client') delete fromInput.referrer;
  const callSignal = signal ?? input.signal;
  let ownBody: BodyInit | null = body ?? null;
  // `body: null` keeps the Request's body, as fetch does (the spec, Node and Deno; Bun 1.4 drops it).
  if (ownBody === null && input.body !== null) {
    if (input.bodyUsed) throw new TypeError('fetchpipe: the Request body was already read');
    // Read so that an abort ends the wait at once, with the caller's reason (arrayBuffer() cannot be interrupted).
    ownBody = (await readBytes(input.body, { signal: callSignal })).buffer;
  }
  return Object.freeze({
    url: input.url,
    method: upper(method ?? input.method),
    headers: new ReadonlyHeaders(headers ?? input.headers),
    body: ownBody,
    signal: callSignal,
    init: { ...fromInput, ...rest },
    attempt: 1,
    context,
  });
}
