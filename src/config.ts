// The one place that touches zod. Every factory validates its options here, once,
// so swapping `zod/mini` for `zod` (or another validator) changes this file and src/zod.ts only.
import * as z from './zod.ts';
import { ConfigError } from './errors.ts';
import { maskUrlCredentials } from './mask.ts';

export { z };

/** A schema whose type and range failures all report the same human phrase. */
function described<T extends z.ZodMiniType>(make: (error: string) => T, expected: string): T {
  return make(`expected ${expected}`);
}

export const count = (expected = 'a non-negative integer') =>
  described((error) => z.int({ error }).check(z.gte(0, { error })), expected);

export const milliseconds = (expected = 'a non-negative number of milliseconds') =>
  described((error) => z.number({ error }).check(z.gte(0, { error }), z.refine(Number.isFinite, { error })), expected);

export const seconds = (expected = 'a non-negative number of seconds') =>
  described((error) => z.number({ error }).check(z.gte(0, { error }), z.refine(Number.isFinite, { error })), expected);

export const flag = () => z.boolean({ error: 'expected true or false' });

export const statusCode = () =>
  described((error) => z.int({ error }).check(z.gte(100, { error }), z.lte(599, { error })), 'an HTTP status from 100 to 599');

export const statusList = () => z.array(statusCode(), { error: 'expected an array of HTTP statuses' });

/**
 * A header value may not contain CR, LF or NUL (header injection), nor characters above U+00FF
 * (fetch sends bytes and throws at request time): both are refused at construction.
 */
export const headerValue = () =>
  z.string({ error: 'expected a string' }).check(
    z.refine((v: string) => !/[\r\n\0]/.test(v), { error: 'expected a header value without CR, LF or NUL' }),
    z.refine((v: string) => !/[^\x00-\xff]/.test(v), { error: 'expected a header value of Latin-1 characters (encode others)' }),
  );

export const headerName = () =>
  z.string({ error: 'expected a string' }).check(
    z.regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, { error: 'expected a valid header name (RFC 9110 token)' }),
  );

export const headerRecord = () =>
  z.record(headerName(), headerValue(), { error: 'expected an object of header names to string values' });

export const fn = <T extends (...args: never[]) => unknown>(expected = 'a function') =>
  z.custom<T>((v) => typeof v === 'function', { error: `expected ${expected}` });

/** Validates `input` against `schema` or throws a ConfigError naming the middleware and option. */
export function parseOptions<S extends z.ZodMiniType>(
  owner: string,
  schema: S,
  input: unknown,
  { secret = false }: { secret?: boolean } = {},
): z.Infer<S> {
  const result = z.safeParse(schema, input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    const where = [...path, key].join('.');
    throw new ConfigError(`${owner}: ${where}: unknown option`, { option: where });
  }
  const where = path.length > 0 ? path.join('.') : 'options';
  const received = describeValue(valueAt(input, issue.path), secret);
  throw new ConfigError(`${owner}: ${where}: ${issue.message}, received ${received}`, { option: where });
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/**
 * A short rendering of a bad value that never carries a secret: options that hold secrets
 * show strings by length only, and URL credentials are always masked.
 */
function describeValue(value: unknown, secret = false): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') {
    if (secret || value.length > 60) return `a string of ${value.length} character${value.length === 1 ? '' : 's'}`;
    return JSON.stringify(maskUrlCredentials(value));
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'symbol') return 'a symbol';
  return `an object (${Object.prototype.toString.call(value).slice(8, -1)})`;
}
