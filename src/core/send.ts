// The terminal of every chain: the only place that calls fetch. It resolves what fetch cannot
// take (a relative URL, credentials in the URL), and maps a platform's failure to fetchpipe's classes.
import { InvalidURLError } from '../errors/index.ts';
import { emit, errorName } from './emit.ts';
import { mapFetchFailure } from '../errors/fetch-failure.ts';
import { applyHeaders } from './headers.ts';
import { maskText } from './mask.ts';
import { maskInPlace } from './mask-error.ts';
import { basicToken } from './secret-forms.ts';
import { isAbsoluteUrl, isStream, summarize, type FetchFunction, type FetchpipeRequest } from './request.ts';

/** Builds a native `Request` from the request value, for middleware that needs one. */
export function toRequest(request: FetchpipeRequest): Request {
  const { url, headers } = resolveForSend(request);
  return new Request(url, fetchInit(request, headers));
}

function fetchInit(request: FetchpipeRequest, headers: Headers): RequestInit {
  const { method, body, signal, init } = request;
  const out: RequestInit & { duplex?: string } = { ...init, method, headers, body, signal };
  // Node, Deno and Chromium refuse a stream (or async iterable) body without `duplex: 'half'`.
  if (isStream(body) && !('duplex' in init)) out.duplex = 'half';
  return out;
}

function resolveForSend(request: FetchpipeRequest): { url: string; headers: Headers } {
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
 * does, the credentials become an `Authorization: Basic` header. The call's secrets learn them
 * (and the token) from the request value send() noted, by the same URL parsing.
 */
function moveCredentials(request: FetchpipeRequest, url: string, headers: Headers): { url: string; headers: Headers } {
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
  const token = basicToken(decodeOrKeep(parsed.username), decodeOrKeep(parsed.password));
  parsed.username = '';
  parsed.password = '';
  const withAuth = headers.has('authorization') ? headers : applyHeaders(headers, [['authorization', `Basic ${token}`]], 'auth');
  return { url: parsed.href, headers: withAuth };
}

// A malformed escape (`%E0`) in the userinfo is sent as it stands, as fetch would.
function decodeOrKeep(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

// One `.then` per attempt: it maps a platform failure to fetchpipe's classes, masked.
export function send(request: FetchpipeRequest, customFetch: FetchFunction | undefined): Promise<Response> {
  const listener = request.context.listener;
  request.context.masker.note(request);
  const started = listener ? Date.now() : 0;
  let pending: Promise<Response>;
  try {
    const { url, headers } = resolveForSend(request);
    // A custom fetch may change the init it gets, as code may with any fetch's: it gets its own
    // Headers, not the request's read-only (and shared) ones. The platform's fetch only reads
    // them, so the default path skips the copy.
    const result: unknown = customFetch
      ? customFetch(url, fetchInit(request, new Headers(headers)))
      : globalThis.fetch(url, fetchInit(request, headers));
    // A custom fetch that answers synchronously is still a fetch.
    pending = result instanceof Promise ? result : Promise.resolve(result as Response);
  } catch (error) {
    pending = Promise.reject(error);
  }
  const onError = (error: unknown): never => {
    // Masked in place only: a middleware above may catch the very error its fetch threw. What
    // cannot be masked in place is replaced where the call ends (createClient's `fail`).
    const mapped = mapFetchFailure(error, summarize(request));
    maskInPlace(mapped, request.context.masker);
    if (listener) emit(request, 'attempt', { error: errorName(mapped), durationMs: Date.now() - started });
    throw mapped;
  };
  if (!listener) return pending.then(undefined, onError);
  return pending.then((response) => {
    emit(request, 'attempt', { status: response.status, durationMs: Date.now() - started });
    return response;
  }, onError);
}
