// The request value every middleware receives, the types of the chain, and the helpers
// middlewares share to read a request and to record what happened to it.
import type { AttemptRecord, RequestSummary } from '../errors/index.ts';
import type { CallContext } from './context.ts';
import { maskText } from './mask.ts';

/**
 * A request body, as fetch takes it. Named from RequestInit rather than as `BodyInit`, which only
 * the DOM lib declares: a Node-only program (@types/node, no DOM) knows RequestInit but not BodyInit.
 */
export type RequestBody = NonNullable<RequestInit['body']>;

/** The request value every middleware receives. Frozen: pass changes down as a copy, `next({ ...request, url })`. */
export interface FetchpipeRequest {
  /** The URL as a string; may stay relative until `baseUrl()` resolves it. */
  readonly url: string;
  /** Upper-cased. */
  readonly method: string;
  /** Read-only headers: to change them, pass `new Headers(request.headers)` with your changes. */
  readonly headers: Headers;
  /** As given. A ReadableStream is one-shot; every other body can be sent again. */
  readonly body: RequestBody | null;
  /** The caller's signal (or a timeout's, further down the chain). */
  readonly signal: AbortSignal | null;
  /** The remaining RequestInit options (credentials, mode, cache, …), passed to fetch untouched. */
  readonly init: Readonly<RequestInit>;
  /** 1 for the first attempt of a call; each retry or redirect hop adds one. */
  readonly attempt: number;
  /** State shared by every hop of one call. */
  readonly context: CallContext;
}

/** A function of the request value and the rest of the chain. */
export type Next = (request: FetchpipeRequest) => Promise<Response>;

/**
 * What a middleware declares about itself, read once by `createClient()` and by `explain()`,
 * which resolve the same chain from it (see order.ts). In `provides`, `needs`, `after` and
 * `before`, a name is a middleware's `name` or a capability some middleware `provides`.
 */
export interface MiddlewareMeta {
  readonly name: string;
  /** The resolved options, for `explain()`. */
  readonly options?: Readonly<Record<string, unknown>>;
  /** Values to mask wherever this client reports anything, and the query parameters to hide. */
  readonly secrets?: { readonly values: readonly string[]; readonly queryParams?: readonly string[] };
  /** Header names that carry credentials: stripped when a redirect leaves their origin. */
  readonly authHeaderNames?: readonly string[];
  /** Capabilities this middleware provides besides its name (`nodeTimeout` provides `'timeout'`). */
  readonly provides?: readonly string[];
  /**
   * Names that must be present somewhere in the chain. One that is missing is added from
   * `fills`, or else `createClient()` throws a ConfigError naming both.
   */
  readonly needs?: readonly string[];
  /** Middlewares to add for a need that nothing in the chain provides: name → factory. Added as deep inside as the order allows. */
  readonly fills?: Readonly<Record<string, () => Middleware>>;
  /** This middleware must stand after (inside) every middleware of these names, when any is present. */
  readonly after?: readonly string[];
  /** This middleware must stand before (outside) every middleware of these names, when any is present. */
  readonly before?: readonly string[];
}

export type Handler = (request: FetchpipeRequest, next: Next) => Promise<Response>;

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

const ABSOLUTE_URL = /^[a-z][a-z\d+\-.]*:/i;

/** Whether `url` has a scheme (the request value's URL may stay relative until `baseUrl()`). */
export function isAbsoluteUrl(url: string): boolean {
  return ABSOLUTE_URL.test(url);
}

/** The origin of an absolute URL, or `''` for a relative or unparsable one: the key of per-origin state. */
export function originOf(url: string): string {
  if (!isAbsoluteUrl(url)) return '';
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}

/** A body that can be read only once: a ReadableStream, or an async iterable (Node accepts those). */
export function isStream(body: unknown): boolean {
  return body instanceof ReadableStream || (typeof body === 'object' && body !== null && Symbol.asyncIterator in body);
}

/** The method and masked URL of a request, for errors. */
export function summarize(request: FetchpipeRequest): RequestSummary {
  return { method: request.method, url: maskText(request.url, request.context.masker) };
}

/** Appends an attempt to the call's history, its texts masked, and returns the new history; the history is shared by every hop. */
export function recordAttempt(request: FetchpipeRequest, record: AttemptRecord): readonly AttemptRecord[] {
  return request.context.record(record);
}
