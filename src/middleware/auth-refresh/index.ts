// authRefresh(): keeps a bearer token fresh. On a 401 (or the user's rule) it refreshes once
// for every concurrent caller (single-flight.ts), then replays each call once with the new
// token. Place it before retry(): a refresh failure then ends the call instead of being retried.
import {
  ConfigError,
  FetchpipeError,
  applyHeaders,
  defineEvents,
  type EventKit,
  defineMiddleware,
  discard,
  fn,
  headerNameProblem,
  headerValueProblem,
  isStream,
  optional,
  parseOptions,
  recordAttempt,
  registerSecret,
  rule,
  strictObject,
  summarize,
  type FetchpipeErrorOptions,
  type FetchpipeRequest,
  type Input,
  type Middleware,
  type Same,
} from '../../kit/index.ts';
import { abortable, tokenSource, type Issued } from './single-flight.ts';

/** Options of `authRefresh()`. */
export interface AuthRefreshOptions {
  /** Gets a new token. Called once for all the calls that need one at the same time. */
  refresh: () => Promise<string>;
  /** Whether a response says the token expired. @default status 401 */
  isExpired?: (response: Response, request: FetchpipeRequest) => boolean;
  /** The token to start with; without one, the first call refreshes first. Masked everywhere. @default none */
  token?: string;
  /** The header that carries the token. @default 'authorization' */
  header?: string;
  /** The header's value for a token. @default token => `Bearer ${token}` */
  format?: (token: string) => string;
}

const schema = strictObject({
  refresh: fn<() => Promise<string>>('a function returning a promise of the new token'),
  isExpired: optional(fn<(response: Response, request: FetchpipeRequest) => boolean>()),
  token: optional(rule<string>((v) => (v === '' ? 'a non-empty string' : headerValueProblem(v) === undefined ? undefined : `a non-empty string that is a header value`))),
  header: optional(rule<string>(headerNameProblem)),
  format: optional(fn<(token: string) => string>()),
});
true satisfies Same<Input<typeof schema>, AuthRefreshOptions>;

/** The token could not be refreshed: the call fails with the refresh's own error as `cause`. Never retried. */
export class AuthRefreshError extends FetchpipeError {
  override name = 'AuthRefreshError';
  // `retryable` stays the family's default, false: a retry would only repeat the failed refresh.

  constructor(message: string, options: FetchpipeErrorOptions) {
    super(message, options);
  }
}

/** The custom events of `authRefresh()`: a refresh asked for (joined or started), and a replay with a newer token. */
export type AuthRefreshEvents = { 'authRefresh.refresh': { staleGeneration: number }; 'authRefresh.replay': { generation: number } };
/** Emits and recognises `authRefresh()`'s events: `authRefreshEvents.is(event, 'authRefresh.replay')`. */
export const authRefreshEvents: EventKit<AuthRefreshEvents> = defineEvents<AuthRefreshEvents>();

/**
 * Sends a bearer token, and on a 401 refreshes it once for all concurrent callers, then replays
 * each call once with the new one. A 401 for a request sent with an older token is replayed with
 * the newer token, without a second refresh. Every token is masked everywhere. A failed refresh
 * fails the call with `AuthRefreshError`; a one-shot stream body is never replayed (the 401 is
 * returned). Place it before `retry()`.
 * @example
 * createClient([authRefresh({ refresh: () => login().then((r) => r.accessToken) }), retry()]);
 */
export function authRefresh(options: AuthRefreshOptions): Middleware {
  const o = parseOptions('authRefresh', schema, options, { secret: true });
  const header = (o.header ?? 'authorization').toLowerCase();
  const isExpired = o.isExpired ?? ((response: Response) => response.status === 401);
  const format = o.format ?? ((token: string) => `Bearer ${token}`);
  // Per middleware value: clients given the same authRefresh() share its token, as they share its refresh.
  const source = tokenSource(o.refresh);
  const initial: Issued | undefined = o.token === undefined ? undefined : { token: o.token, generation: 0 };
  const formatted: unknown = o.token === undefined ? undefined : format(o.token);
  const initialSecrets = o.token === undefined ? [] : typeof formatted === 'string' ? [o.token, formatted] : [o.token];

  const sendWith = (request: FetchpipeRequest, next: (r: FetchpipeRequest) => Promise<Response>, issued: Issued) => {
    const value: unknown = format(issued.token);
    const problem = headerValueProblem(value);
    if (problem !== undefined) throw new ConfigError(`authRefresh: format: expected it to return ${problem}`, { option: 'format' });
    // Masked in this call and every later one of the client: the token outlives the call.
    registerSecret(request, issued.token, { scope: 'client' });
    registerSecret(request, value as string, { scope: 'client' });
    return next({ ...request, headers: applyHeaders(request.headers, [[header, value as string]], 'override') });
  };

  const renew = async (request: FetchpipeRequest, stale: number, sentEpoch: number): Promise<Issued> => {
    authRefreshEvents.emit(request, 'authRefresh.refresh', { staleGeneration: stale });
    try {
      return await abortable(source.renew(stale, sentEpoch), request.signal);
    } catch (error) {
      if (request.signal?.aborted) throw error;
      const summary = summarize(request);
      const why = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new AuthRefreshError(`Token refresh failed for ${summary.method} ${summary.url} (${why})`, { request: summary, cause: error });
    }
  };

  return defineMiddleware(
    async function authRefresh(request, next) {
      const issued = source.issued ?? initial ?? (await renew(request, 0, source.epoch));
      const sentEpoch = source.epoch;
      const response = await sendWith(request, next, issued);
      if (!isExpired(response, request)) return response;
      const fresh = await renew(request, issued.generation, sentEpoch).catch(async (error: unknown) => {
        await discard(response);
        throw error;
      });
      // A one-shot stream was read by the first send: sending it again would send it empty.
      if (isStream(request.body)) return response;
      await discard(response);
      // The expired attempt, in the history: a kind of its own, which no retry counter spends.
      recordAttempt(request, { method: request.method, url: summarize(request).url, kind: 'authRefresh.replay', status: response.status });
      authRefreshEvents.emit(request, 'authRefresh.replay', { generation: fresh.generation });
      return sendWith(request, next, fresh);
    },
    {
      name: 'authRefresh',
      options: { header, customIsExpired: o.isExpired !== undefined, customFormat: o.format !== undefined, initialToken: initial !== undefined },
      secrets: { values: initialSecrets },
      authHeaderNames: [header],
      // In front of retry(): a failed refresh ends the call, and a replay gets a fresh retry budget.
      before: ['retry'],
    },
  );
}
