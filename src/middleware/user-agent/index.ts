// userAgent(): sets the User-Agent, or appends to it as qBraid's add_user_agent does.
import {
  applyHeaders,
  defineMiddleware,
  headerNameProblem,
  headerValueProblem,
  is,
  isExplicit,
  memoizeHeaders,
  optional,
  parseOptions,
  rule,
  strictObject,
  type Input,
  type Middleware,
  type Same,
} from '../../kit/index.ts';

const valueSchema = strictObject({
  value: rule<string>((v) => headerValueProblem(v) ?? ((v as string).trim() === '' ? 'a non-empty header value' : undefined)),
});

const optionsSchema = strictObject(
  {
    mode: optional(is<'set' | 'append'>('"set" or "append"', (v) => v === 'set' || v === 'append')),
    fallbackHeader: optional(rule<string>(headerNameProblem)),
  },
  { error: 'expected an options object' },
);

export interface UserAgentOptions {
  /**
   * `'set'`: use `value` unless the call gave its own User-Agent. `'append'`: qBraid's
   * add_user_agent, `current + ' ' + value`, unless `value` is already part of it.
   * @default 'set'
   */
  mode?: 'set' | 'append';
  /**
   * Another header that carries the same value, e.g. `'X-User-Agent'`. Chromium silently drops
   * a `User-Agent` set by page scripts, so in browsers only this header reaches the server.
   * The call's own value of this header wins. @default undefined (none)
   */
  fallbackHeader?: string;
}
true satisfies Same<Input<typeof optionsSchema>, UserAgentOptions>;

const USER_AGENT = 'user-agent';

/**
 * Identifies the client in the User-Agent header (and optionally a fallback header for browsers,
 * where Chromium silently drops a User-Agent set by page scripts).
 * @example
 * const client = createClient([userAgent('my-sdk/1.2.0', { mode: 'append', fallbackHeader: 'X-User-Agent' })]);
 */
export function userAgent(given: string, options: UserAgentOptions = {}): Middleware {
  // 1. Config, once: the options are validated and resolved when the factory is called.
  // Trimmed as fetch sends it, so that append mode finds it again in the header it built.
  const value = parseOptions('userAgent', valueSchema, { value: given }).value.trim();
  const { mode = 'set', fallbackHeader } = parseOptions('userAgent', optionsSchema, options);
  const layer = memoizeHeaders((incoming) => {
    const current = incoming.get(USER_AGENT);
    let agent: string;
    if (mode === 'set') {
      // A User-Agent the call gave wins; one from headers() defaults is replaced.
      agent = current !== null && isExplicit(incoming, USER_AGENT) ? current : value;
    } else {
      agent = current === null ? value : current.includes(value) ? current : `${current} ${value}`;
    }
    const merged = agent === current ? incoming : applyHeaders(incoming, [[USER_AGENT, agent]], 'override');
    // 'auth' mode: a fallback header the call gave itself wins.
    return fallbackHeader === undefined ? merged : applyHeaders(merged, [[fallbackHeader, agent]], 'auth');
  });
  // 2. Per client: nothing; the handler keeps no state, so one serves every client.
  // 3. Per request:
  return defineMiddleware(
    function userAgent(request, next) {
      return next({ ...request, headers: layer(request.headers) });
    },
    { name: 'userAgent', options: { value, mode, fallbackHeader } },
  );
}
