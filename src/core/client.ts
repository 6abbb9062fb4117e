// createClient: normalises (input, init) once into one immutable request value, sends it
// down a chain composed once, and lets only the terminal (send.ts) call fetch.
import { fn, optional, parseOptions, strictObject } from './config.ts';
import { ConfigError, InvalidURLError, type AttemptRecord } from '../errors/index.ts';
import { emit, errorName, type EventListener } from './events.ts';
import { EMPTY_HEADERS, ReadonlyHeaders } from './headers.ts';
import { NO_SECRETS, createMasker, maskError, type Masker } from './mask.ts';
import { redirect } from '../middleware/redirect/index.ts';
import { readBytes } from './read-body.ts';
import type { CallContext, FetchFunction, FetchpipeRequest, Middleware, Next } from './request.ts';
import { send } from './send.ts';

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

const EMPTY_INIT: Readonly<RequestInit> = Object.freeze({});
const EMPTY_HISTORY: readonly AttemptRecord[] = Object.freeze([]);

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
  const fail = (error: unknown, request: FetchpipeRequest): never => {
    maskError(error, request.context.masker);
    if (onEvent) emit(request, 'done', { error: errorName(error) });
    throw error;
  };
  const run = (request: FetchpipeRequest): Promise<Response> => {
    if (!onEvent) return chain(request).then(undefined, (error: unknown) => fail(error, request));
    emit(request, 'start', {});
    return chain(request).then(
      (response) => (emit(request, 'done', { status: response.status }), response),
      (error: unknown) => fail(error, request),
    );
  };

  return function fetchpipe(input, init) {
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
