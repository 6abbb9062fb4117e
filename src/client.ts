// createClient: normalises (input, init) once into one immutable request value, sends it
// down a chain composed once, and lets only the terminal call fetch.
import { fn, optional, parseOptions, strictObject } from './config.ts';
import { ConfigError, InvalidURLError, type AttemptRecord, type RequestSummary } from './errors.ts';
import { emit, type EventListener } from './events.ts';
import { mapFetchFailure } from './fetch-failure.ts';
import { EMPTY_HEADERS, ReadonlyHeaders, applyHeaders } from './headers.ts';
import { NO_SECRETS, createMasker, maskError, maskText, mergeMaskers, type Masker } from './mask.ts';
import { redirect } from './middleware/redirect.ts';

/** The request value every middleware receives. Frozen: pass changes down as a copy, `next({ ...request, url })`. */
export interface FetchlineRequest {
  /** The URL as a string; may stay relative until `baseUrl()` resolves it. */
  readonly url: string;
  /** Upper-cased. */
  readonly method: string;
  /** Read-only headers: to change them, pass `new Headers(request.headers)` with your changes. */
  readonly headers: Headers;
  /** As given. A ReadableStream is one-shot; every other body can be sent again. */
  readonly body: BodyInit | null;
  /** The caller's signal (or a timeout's, further down the chain). */
  readonly signal: AbortSignal | null;
  /** The remaining RequestInit options (credentials, mode, cache, …), passed to fetch untouched. */
  readonly init: Readonly<RequestInit>;
  /** 1 for the first attempt of a call; each retry or redirect hop adds one. */
  readonly attempt: number;
  /** State shared by every hop of one call. */
  readonly context: CallContext;
}

/** What a redirect may do when `retry()` stands in front of `redirect()` (see SPEC §7). */
export type RedirectPolicy = (request: FetchlineRequest, response: Response, location: string) => 'follow' | 'return';

/** Per-call state: the history of attempts, what to mask, who listens. */
export interface CallContext {
  /** Every retried attempt and followed redirect of this call so far, oldest first. */
  readonly history: readonly AttemptRecord[];
  /** What must be masked in errors and events of this call. */
  readonly masker: Masker;
  /** Header names that carry credentials (from `authHeaders()`), stripped on a cross-origin redirect. */
  readonly authHeaderNames: ReadonlySet<string>;
  readonly listener: EventListener | undefined;
  /** `Date.now()` when the call started (0 when no one listens to events). */
  readonly startedAt: number;
  /** Set by `retry()`: lets an inner `redirect()` spend the retry budget. */
  readonly redirectPolicy: RedirectPolicy | undefined;
  /** Set by `timeout({ total })`: the `Date.now()` by which the whole call must end. */
  readonly deadline: number | undefined;
  /** Set by `redirect()`: the latest hop it sent, which a `retry()` in front re-sends after a failure. */
  readonly currentHop: FetchlineRequest | undefined;
}

/** A function of the request value and the rest of the chain. */
export type Next = (request: FetchlineRequest) => Promise<Response>;

/** What a middleware declares about itself, read once by `createClient()` and by `explain()`. */
export interface MiddlewareMeta {
  readonly name: string;
  /** The resolved options, for `explain()`. */
  readonly options?: Readonly<Record<string, unknown>>;
  /** Values to mask wherever this client reports anything, and the query parameters to hide. */
  readonly secrets?: { readonly values: readonly string[]; readonly queryParams?: readonly string[] };
  /** Header names that carry credentials: stripped when a redirect leaves their origin. */
  readonly authHeaderNames?: readonly string[];
}

export type Handler = (request: FetchlineRequest, next: Next) => Promise<Response>;

export interface Middleware extends Handler {
  readonly meta?: MiddlewareMeta;
  /**
   * Per-client setup: `createClient()` calls it once and uses the handler it returns, so
   * state such as a pool's queues belongs to one client. Without it, the function is the handler.
   */
  readonly setup?: () => Handler;
}

/** A function with fetch's exact signature. */
export type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface ClientOptions {
  /** The fetch to call. @default `globalThis.fetch`, looked up on every call so msw and other patchers see it. */
  fetch?: FetchFunction | undefined;
  /** Receives one event per step of every call (start, attempt, retry, wait, redirect, pool wait, give up, done). */
  onEvent?: EventListener | undefined;
}

const clientOptionsSchema = strictObject({
  fetch: optional(fn<FetchFunction>('a fetch function')),
  onEvent: optional(fn<EventListener>('a function receiving events')),
});

/**
 * Attaches `meta` (and an optional per-client `setup`) to a middleware function.
 * @example
 * const stamp = defineMiddleware(function stamp(request, next) {
 *   return next({ ...request, headers: new Headers([...request.headers, ['x-stamp', '1']]) });
 * }, { name: 'stamp' });
 */
export function defineMiddleware(handler: Handler, meta: MiddlewareMeta, setup?: () => Handler): Middleware {
  return Object.assign(handler, setup ? { meta: Object.freeze(meta), setup } : { meta: Object.freeze(meta) });
}

const EMPTY_INIT: Readonly<RequestInit> = Object.freeze({});
const EMPTY_HISTORY: readonly AttemptRecord[] = Object.freeze([]);
const ABSOLUTE_URL = /^[a-z][a-z\d+\-.]*:/i;

/** Whether `url` has a scheme (the request value's URL may stay relative until `baseUrl()`). */
export function isAbsoluteUrl(url: string): boolean {
  return ABSOLUTE_URL.test(url);
}
// What a Request carries besides method, headers, body and signal, passed on to fetch.
const REQUEST_FIELDS = ['cache', 'credentials', 'integrity', 'keepalive', 'mode', 'redirect', 'referrer', 'referrerPolicy'] as const;

/**
 * Composes `middlewares` once, first outermost, into a function that behaves like fetch.
 * @example
 * const client = createClient([retry(), backoff({ factor: 100 }), baseUrl('https://api.example.com/v1/')]);
 * const response = await client('users/1');
 */
export function createClient(middlewares: readonly Middleware[], options: ClientOptions = {}): FetchFunction {
  if (!Array.isArray(middlewares)) {
    throw new ConfigError('createClient: middlewares: expected an array of middlewares', { option: 'middlewares' });
  }
  // A plain loop, not forEach: holes in a sparse array are bad input too.
  for (let index = 0; index < middlewares.length; index++) {
    const middleware: unknown = middlewares[index];
    if (typeof middleware !== 'function') {
      throw new ConfigError(`createClient: middlewares.${index}: expected a middleware function, received ${middleware === null ? 'null' : typeof middleware}`, {
        option: `middlewares.${index}`,
      });
    }
  }
  const { fetch: customFetch, onEvent } = parseOptions('createClient', clientOptionsSchema, options);

  const secretValues: string[] = [];
  const queryParams: string[] = [];
  const authHeaderNames = new Set<string>();
  for (const { meta } of middlewares) {
    secretValues.push(...(meta?.secrets?.values ?? []));
    queryParams.push(...(meta?.secrets?.queryParams ?? []));
    for (const name of meta?.authHeaderNames ?? []) authHeaderNames.add(name.toLowerCase());
  }
  const masker = secretValues.length + queryParams.length > 0 ? createMasker(secretValues, queryParams) : NO_SECRETS;

  // A platform that follows redirects itself forwards custom auth headers (X-API-Key…) to any
  // origin. Credentials therefore always come with redirect(), innermost unless placed already.
  const guarded =
    authHeaderNames.size > 0 && !middlewares.some((m) => m.meta?.name === 'redirect') ? [...middlewares, redirect()] : middlewares;

  const terminal: Next = (request) => send(request, customFetch);
  const chain = guarded.reduceRight<Next>((next, middleware) => {
    const handler = middleware.setup ? middleware.setup() : middleware;
    // Pass-through middlewares are plain functions (an async one costs a promise and two
    // microtasks per call); one that throws before returning still gives its caller a rejection.
    return (request) => {
      try {
        return handler(request, next);
      } catch (error) {
        return Promise.reject(error);
      }
    };
  }, terminal);

  // Last line of defence: whatever threw, wherever, leaves with every secret of the call masked.
  const fail = (error: unknown, request: FetchlineRequest): never => {
    maskError(error, request.context.masker);
    if (onEvent) emit(request, 'done', { error: errorName(error) });
    throw error;
  };
  const run = (request: FetchlineRequest): Promise<Response> => {
    if (!onEvent) return chain(request).then(undefined, (error: unknown) => fail(error, request));
    emit(request, 'start', {});
    return chain(request).then(
      (response) => (emit(request, 'done', { status: response.status }), response),
      (error: unknown) => fail(error, request),
    );
  };

  return function fetchline(input, init) {
    const context: CallContext = {
      history: EMPTY_HISTORY,
      masker,
      authHeaderNames,
      listener: onEvent,
      startedAt: onEvent ? Date.now() : 0,
      redirectPolicy: undefined,
      deadline: undefined,
      currentHop: undefined,
    };
    // Like fetch, the client never throws: bad input becomes a rejected promise.
    try {
      const normalized = normalize(input, init, context);
      return normalized instanceof Promise ? normalized.then(run, (error: unknown) => rejectMasked(error, masker)) : run(normalized);
    } catch (error) {
      return rejectMasked(error, masker);
    }
  };
}

function rejectMasked(error: unknown, masker: Masker): Promise<never> {
  maskError(error, masker);
  return Promise.reject(error);
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

function normalize(input: string | URL | Request, init: RequestInit | undefined, context: CallContext): FetchlineRequest | Promise<FetchlineRequest> {
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
  throw new InvalidURLError(`fetchline: input must be a string, URL or Request, received ${input === null ? 'null' : typeof input}`);
}

function upper(method: string): string {
  if (typeof method !== 'string') throw new TypeError(`fetchline: method must be a string, received ${typeof method}`);
  return method.toUpperCase();
}

function isRequest(input: unknown): input is Request {
  return typeof Request !== 'undefined' && input instanceof Request;
}

// A Request's body is a stream that can be read once; it is buffered here so that a retry or a
// 307 redirect can send it again intact (ky and openapi-fetch hand us Requests with JSON bodies).
async function fromRequest(input: Request, init: RequestInit, context: CallContext): Promise<FetchlineRequest> {
  const { method, headers, body, signal, ...rest } = init;
  const fromInput: Record<string, unknown> = {};
  for (const field of REQUEST_FIELDS) fromInput[field] = input[field];
  if (fromInput.referrer === 'about:client') delete fromInput.referrer;
  let ownBody: BodyInit | null = body ?? null;
  if (body === undefined && input.body !== null) {
    if (input.bodyUsed) throw new TypeError('fetchline: the Request body was already read');
    ownBody = await input.arrayBuffer();
  }
  return Object.freeze({
    url: input.url,
    method: upper(method ?? input.method),
    headers: new ReadonlyHeaders(headers ?? input.headers),
    body: ownBody,
    signal: signal ?? input.signal,
    init: { ...fromInput, ...rest },
    attempt: 1,
    context,
  });
}

/** The method and masked URL of a request, for errors. */
export function summarize(request: FetchlineRequest): RequestSummary {
  return { method: request.method, url: maskText(request.url, request.context.masker) };
}

/** Builds a native `Request` from the request value, for middleware that needs one. */
export function toRequest(request: FetchlineRequest): Request {
  const { url, headers } = resolveForSend(request);
  return new Request(url, fetchInit(request, headers));
}

function fetchInit(request: FetchlineRequest, headers: Headers): RequestInit {
  const { method, body, signal, init } = request;
  const out: RequestInit & { duplex?: string } = { ...init, method, headers, body, signal };
  // Node, Deno and Chromium refuse a stream (or async iterable) body without `duplex: 'half'`.
  if (isStream(body) && !('duplex' in init)) out.duplex = 'half';
  return out;
}

/** A body that can be read only once: a ReadableStream, or an async iterable (Node accepts those). */
export function isStream(body: unknown): boolean {
  return body instanceof ReadableStream || (typeof body === 'object' && body !== null && Symbol.asyncIterator in body);
}

function resolveForSend(request: FetchlineRequest): { url: string; headers: Headers } {
  let { url, headers } = request;
  if (!isAbsoluteUrl(url)) {
    // In a page or worker, a relative URL is relative to the document, as with fetch itself.
    const base = (globalThis as { location?: { href?: string } }).location?.href;
    if (typeof base !== 'string') {
      throw new InvalidURLError(
        `Relative URL "${maskText(url, request.context.masker)}" for ${request.method} reached fetch unresolved: add baseUrl() to the middlewares, or pass an absolute URL`,
        { request: summarize(request) },
      );
    }
    url = new URL(url, base).href;
  }
  if (url.includes('@')) ({ url, headers } = moveCredentials(request, url, headers));
  return { url, headers };
}

/**
 * fetch refuses URLs with credentials, and Node's error prints the URL whole. As requests
 * does, the credentials become an `Authorization: Basic` header, and are masked from here on.
 */
function moveCredentials(request: FetchlineRequest, url: string, headers: Headers): { url: string; headers: Headers } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new InvalidURLError(`Invalid URL for ${request.method} ${maskText(url, request.context.masker)}`, {
      request: summarize(request),
      cause,
    });
  }
  if (parsed.username === '' && parsed.password === '') return { url, headers };
  const user = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  const token = btoa(unescape(encodeURIComponent(`${user}:${password}`)));
  // The credentials are secrets of this call from now on, in every form they can take.
  const context = request.context as { masker: Masker };
  context.masker = mergeMaskers(context.masker, createMasker([user, password, parsed.username, parsed.password, token]));
  parsed.username = '';
  parsed.password = '';
  const withAuth = headers.has('authorization') ? headers : applyHeaders(headers, [['authorization', `Basic ${token}`]], 'auth');
  return { url: parsed.href, headers: withAuth };
}

// One `.then` per attempt: it maps a platform failure to fetchline's classes, masked.
function send(request: FetchlineRequest, customFetch: FetchFunction | undefined): Promise<Response> {
  const listener = request.context.listener;
  const started = listener ? Date.now() : 0;
  let pending: Promise<Response>;
  try {
    const { url, headers } = resolveForSend(request);
    const result: unknown = (customFetch ?? globalThis.fetch)(url, fetchInit(request, headers));
    // A custom fetch that answers synchronously is still a fetch.
    pending = result instanceof Promise ? result : Promise.resolve(result as Response);
  } catch (error) {
    pending = Promise.reject(error);
  }
  const onError = (error: unknown): never => {
    const mapped = mapFetchFailure(error, summarize(request));
    maskError(mapped, request.context.masker);
    if (listener) emit(request, 'attempt', { error: errorName(mapped), durationMs: Date.now() - started });
    throw mapped;
  };
  if (!listener) return pending.then(undefined, onError);
  return pending.then((response) => {
    emit(request, 'attempt', { status: response.status, durationMs: Date.now() - started });
    return response;
  }, onError);
}

/** Appends an attempt to the call's history. For retry-like middleware; the history is shared by every hop. */
export function recordAttempt(request: FetchlineRequest, record: AttemptRecord): readonly AttemptRecord[] {
  const context = request.context as { history: readonly AttemptRecord[] };
  context.history = Object.freeze([...context.history, Object.freeze(record)]);
  return context.history;
}

/** Sets a per-call field that cooperating middlewares read (`redirectPolicy`, `deadline`, `currentHop`). */
export function setCallState<K extends 'redirectPolicy' | 'deadline' | 'currentHop'>(request: FetchlineRequest, key: K, value: CallContext[K]): void {
  (request.context as { -readonly [P in K]: CallContext[P] })[key] = value;
}
