// The option schemas users validate their own configuration with (a JSON file, environment
// variables), as zod schemas. Each one runs the very validation of its factory, so the rules and
// the messages cannot drift from what `retry()`, `caveclient()` … accept: it calls the factory
// (or, for setSessionDefaults, which changes state, its schema) and turns the ConfigError into a
// zod issue at the option's path. Factories only validate and precompute, so calling one is free
// of effects; the middleware it returns is dropped.
import { ConfigError, isConfigError } from '../errors/index.ts';
import { createClient, type ClientOptions } from '../core/client.ts';
import { custom, type ZodMiniCustom } from '../core/zod.ts';
import { authHeaders, type AuthHeadersOptions } from '../middleware/auth-headers/index.ts';
import { backoff, type BackoffOptions } from '../middleware/backoff/index.ts';
import { baseUrl } from '../middleware/base-url/index.ts';
import { headers, type HeadersInput } from '../middleware/headers/index.ts';
import { httpErrors, type HTTPErrorsOptions } from '../middleware/http-errors/index.ts';
import { logger, type LoggerOptions } from '../middleware/logger/index.ts';
import { pool, type PoolOptions } from '../middleware/pool/index.ts';
import { redirect, type RedirectOptions } from '../middleware/redirect/index.ts';
import { retry, type RetryOptions } from '../middleware/retry/index.ts';
import { timeout, type TimeoutOptions } from '../middleware/timeout/index.ts';
import { userAgent, type UserAgentOptions } from '../middleware/user-agent/index.ts';
import { caveclient, checkSessionDefaults, type CaveclientOverrides, type SessionDefaults } from '../presets/caveclient.ts';
import { qbraid, type QbraidOptions } from '../presets/qbraid.ts';

/** A zod schema that accepts what a factory accepts and reports what it would throw. */
export type OptionSchema<T> = ZodMiniCustom<T, T>;

/** The arguments each schema describes, by name: a factory's (first or second) argument. */
export interface OptionTypes {
  createClient: ClientOptions;
  retry: RetryOptions;
  backoff: BackoffOptions;
  baseUrl: string;
  headers: HeadersInput;
  authHeaders: Readonly<Record<string, string>> | ReadonlyArray<readonly [string, string]>;
  authHeadersOptions: AuthHeadersOptions;
  userAgent: string;
  userAgentOptions: UserAgentOptions;
  timeout: TimeoutOptions;
  redirect: RedirectOptions;
  pool: PoolOptions;
  httpErrors: HTTPErrorsOptions;
  logger: LoggerOptions;
  caveclient: CaveclientOverrides;
  setSessionDefaults: Partial<SessionDefaults>;
  qbraid: QbraidOptions;
}

export type OptionName = keyof OptionTypes;

/**
 * How each argument is checked: the factory call, and the key under which the factory wraps a
 * single value (`baseUrl('x')` reports `base: …`), which is not part of the argument's own path.
 */
const CHECKS: { readonly [K in OptionName]: readonly [check: (value: never) => unknown, wrappedAs?: string] } = {
  createClient: [(value: ClientOptions) => createClient([], value)],
  retry: [retry],
  backoff: [backoff],
  baseUrl: [baseUrl, 'base'],
  headers: [headers, 'init'],
  authHeaders: [authHeaders, 'init'],
  authHeadersOptions: [(value: AuthHeadersOptions) => authHeaders({}, value)],
  userAgent: [userAgent, 'value'],
  userAgentOptions: [(value: UserAgentOptions) => userAgent('fetchpipe', value)],
  timeout: [timeout],
  redirect: [redirect],
  pool: [pool],
  httpErrors: [httpErrors],
  logger: [logger],
  caveclient: [caveclient],
  setSessionDefaults: [checkSessionDefaults],
  qbraid: [qbraid],
};

/** The names `optionSchemas` has, in a stable order. */
export const OPTION_NAMES: readonly OptionName[] = Object.freeze(Object.keys(CHECKS) as OptionName[]);

/**
 * Validates `value` as the argument `name` describes, exactly as the factory does: returns it,
 * or throws the factory's own ConfigError (`retry: total: expected …, received -1`).
 * @example
 * validateOptions('retry', JSON.parse(readFileSync('retry.json', 'utf8')));
 */
export function validateOptions<K extends OptionName>(name: K, value: unknown): OptionTypes[K] {
  const entry = CHECKS[name] as (typeof CHECKS)[OptionName] | undefined;
  if (entry === undefined) throw new ConfigError(`validateOptions: name: expected one of ${OPTION_NAMES.join(', ')}, received ${String(name)}`, { option: 'name' });
  (entry[0] as (value: unknown) => unknown)(value);
  return value as OptionTypes[K];
}

function schemaFor<K extends OptionName>(name: K): OptionSchema<OptionTypes[K]> {
  const wrappedAs = CHECKS[name][1];
  return custom<OptionTypes[K]>().check((payload) => {
    try {
      validateOptions(name, payload.value);
    } catch (error) {
      if (!isConfigError(error)) throw error;
      // "retry: total: expected …" → path ['total'], message "expected …": zod adds the path itself.
      const option = error.option ?? '';
      const path = option === '' || option === 'options' || option === wrappedAs ? [] : option.replace(new RegExp(`^${wrappedAs}\\.`), '').split('.');
      const message = error.message.replace(`${error.message.split(':')[0]}: `, '').replace(`${option}: `, '');
      payload.issues.push({ code: 'custom', message, input: payload.value, path });
    }
  });
}

/**
 * Every middleware's and preset's option schema, by factory name (`authHeadersOptions` and
 * `userAgentOptions` are those factories' second argument). Compose them into your own zod 4
 * schemas: `z.object({ retry: optionSchemas.retry })`.
 */
export const optionSchemas: { readonly [K in OptionName]: OptionSchema<OptionTypes[K]> } = Object.freeze(
  Object.fromEntries(OPTION_NAMES.map((name) => [name, schemaFor(name)])) as { [K in OptionName]: OptionSchema<OptionTypes[K]> },
);
