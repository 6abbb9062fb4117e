// The request value every middleware receives, the types of the chain, and the helpers
// middlewares share to read a request and to leave per-call state for one another.
import type { AttemptRecord, RequestSummary } from '../errors/index.ts';
import type { EventListener } from './events.ts';
import { maskText } from './mask.ts';
import type { CallSecrets } from './secrets.ts';

/** The request value every middleware receives. Frozen: pass changes down as a copy, `next({ ...request, url })`. */
export interface FetchpipeRequest {
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
export type RedirectPolicy = (request: FetchpipeRequest, response: Response, location: string) => 'follow' | 'return';

/** Per-call state: the history of attempts, what to mask, who listens. */
export interface CallContext {
  /** Every retried attempt and followed redirect of this call so far, oldest first. */
  readonly history: readonly AttemptRecord[];
  /**
   * What must be masked in errors and events of this call: `maskText(text, context.masker)`.
   * Add to it with `registerSecret()`. Its lists are private: it prints as an empty object.
   */
  readonly masker: CallSecrets;
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
  readonly currentHop: FetchpipeRequest | undefined;
}

/** A function of the request value and the rest of the chain. */
export type Next = (request: FetchpipeRequest) => Promise<Response>;

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

/** A body that can be read only once: a ReadableStream, or an async iterable (Node accepts those). */
export function isStream(body: unknown): boolean {
  return body instanceof ReadableStream || (typeof body === 'object' && body !== null && Symbol.asyncIterator in body);
}

/** The method and masked URL of a request, for errors. */
export function summarize(request: FetchpipeRequest): RequestSummary {
  return { method: request.method, url: maskText(request.url, request.context.masker) };
}

/** Appends an attempt to the call's history. For retry-like middleware; the history is shared by every hop. */
export function recordAttempt(request: FetchpipeRequest, record: AttemptRecord): readonly AttemptRecord[] {
  const context = request.context as { history: readonly AttemptRecord[]; masker: CallSecrets };
  // A frozen record cannot be masked later: every text it holds (a URL, an invalid Retry-After echoing a secret) is masked now.
  const masked: Record<string, unknown> = { ...record };
  for (const [key, value] of Object.entries(masked)) {
    if (typeof value === 'string' && key !== 'kind' && key !== 'method') masked[key] = context.masker.mask(value);
  }
  context.history = Object.freeze([...context.history, Object.freeze(masked as unknown as AttemptRecord)]);
  return context.history;
}

/** Sets a per-call field that cooperating middlewares read (`redirectPolicy`, `deadline`, `currentHop`). */
export function setCallState<K extends 'redirectPolicy' | 'deadline' | 'currentHop'>(request: FetchpipeRequest, key: K, value: CallContext[K]): void {
  (request.context as { -readonly [P in K]: CallContext[P] })[key] = value;
}
