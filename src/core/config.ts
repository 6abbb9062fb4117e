// The one place that touches zod. Every factory validates its options here, once,
// so swapping `zod/mini` for `zod` (or another validator) changes this file and src/core/zod.ts only.
//
// Option schemas are zod objects (strict: unknown keys are errors) whose fields are `rule`s:
// one zod custom schema running a plain predicate. zod/mini's own number, union, array and
// record schemas would each add 0.4–0.8 kB min+gz to every bundle; predicates add almost nothing.
import * as z from './zod.ts';
import { ConfigError } from '../errors/index.ts';
import { maskUrlCredentials } from './mask.ts';

// By name, not as the `z` namespace: re-exporting a namespace keeps every function in it.
export { nullable, optional, strictObject, type Input } from './zod.ts';

/** What a predicate reports for a bad value: what was expected, and where inside the value (for lists and records). */
export type Problem = string | readonly [path: readonly PropertyKey[], expected: string];

/**
 * `true` only when A and B are the same type. Each factory states its options type as an
 * interface (explicit public types, as JSR asks) and checks it against its schema with
 * `true satisfies Same<Input<typeof schema>, Options>`, so that the two cannot drift apart.
 */
export type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** A schema that accepts `T` and gives it back. */
export type Rule<T> = z.ZodMiniCustom<T, T>;

/** A schema accepting what `find` finds no problem with; a problem becomes "expected …" at its path. */
export function rule<T>(find: (value: unknown) => Problem | undefined): Rule<T> {
  return z.custom<T>().check((payload) => {
    const problem = find(payload.value);
    if (problem === undefined) return;
    const [path, expected] = typeof problem === 'string' ? [[], problem] : problem;
    payload.issues.push({ code: 'custom', message: `expected ${expected}`, input: payload.value, path: [...path] });
  });
}

/** A schema accepting what `test` accepts, reporting "expected <expected>" for anything else. */
export const is = <T>(expected: string, test: (value: unknown) => boolean): Rule<T> =>
  rule<T>((value) => (test(value) ? undefined : expected));

/** The first problem among `entries`, with its key put in front of its path. */
function firstProblem(entries: Iterable<[PropertyKey, unknown]>, item: (value: unknown, key: PropertyKey) => Problem | undefined): Problem | undefined {
  for (const [key, value] of entries) {
    const problem = item(value, key);
    if (problem !== undefined) return typeof problem === 'string' ? [[key], problem] : [[key, ...problem[0]], problem[1]];
  }
  return undefined;
}

/** An array whose items all pass `item`; a bad item is reported at its index. */
export const listOf = <T>(expected: string, item: (value: unknown) => Problem | undefined): Rule<readonly T[]> =>
  rule<T[]>((value) => (Array.isArray(value) ? firstProblem(value.entries(), item) : expected));

export const isString = (value: unknown): value is string => typeof value === 'string';
export const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
const isDuration = (value: unknown): value is number => typeof value === 'number' && value >= 0 && Number.isFinite(value);
const isStatus = (value: unknown): boolean => Number.isInteger(value) && (value as number) >= 100 && (value as number) <= 599;

export const count = (expected = 'a non-negative integer'): Rule<number> => is<number>(expected, isCount);
export const milliseconds = (expected = 'a non-negative number of milliseconds'): Rule<number> => is<number>(expected, isDuration);
export const seconds = (expected = 'a non-negative number of seconds'): Rule<number> => is<number>(expected, isDuration);
export const flag = (): Rule<boolean> => is<boolean>('true or false', (value) => typeof value === 'boolean');
export const text = (expected = 'a string'): Rule<string> => is<string>(expected, isString);
export const statusList = (): Rule<readonly number[]> =>
  listOf<number>('an array of HTTP statuses', (value) => (isStatus(value) ? undefined : 'an HTTP status from 100 to 599'));

/**
 * A header value may not contain CR, LF or NUL (header injection), nor characters above U+00FF
 * (fetch sends bytes and throws at request time): both are refused at construction.
 */
export function headerValueProblem(value: unknown): string | undefined {
  if (!isString(value)) return 'a string';
  if (/[\r\n\0]/.test(value)) return 'a header value without CR, LF or NUL';
  if (/[^\x00-\xff]/.test(value)) return 'a header value of Latin-1 characters (encode others)';
  return undefined;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
export function headerNameProblem(name: unknown): string | undefined {
  if (!isString(name)) return 'a string';
  return TOKEN.test(name) ? undefined : 'a valid header name (RFC 9110 token)';
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && [Object.prototype, null].includes(Object.getPrototypeOf(value));

// Any own symbol key, enumerable or not: undici's Headers reads them all, and throws at request time.
const hasSymbolKey = (value: object): boolean => Object.getOwnPropertySymbols(value).length > 0;

/** Header names to string values, as a plain object. */
export const headerRecord = (expected = 'an object of header names to string values'): Rule<Record<string, string>> =>
  rule<Record<string, string>>((value) =>
    isPlainObject(value)
      ? // Object.entries skips symbol keys, which fetch's Headers cannot convert: refused here, by name.
        hasSymbolKey(value)
        ? 'string header names only (a symbol key was given)'
        : firstProblem(Object.entries(value), (v, name) =>
          headerNameProblem(name) === undefined ? headerValueProblem(v) : 'the key to be a valid header name (RFC 9110 token)',
        )
      : expected,
  );

/** `[name, value]` pairs of headers. */
export const headerPairs = (expected: string): Rule<ReadonlyArray<readonly [string, string]>> =>
  listOf<readonly [string, string]>(expected, (pair) =>
    Array.isArray(pair) && pair.length === 2
      ? firstProblem(pair.entries(), (v, index) => (index === 0 ? headerNameProblem(v) : headerValueProblem(v)))
      : 'a [name, value] pair',
  );

export const objectLike = <T>(expected: string): Rule<T> => is<T>(expected, (value) => typeof value === 'object' && value !== null);

export const fn = <T extends (...args: never[]) => unknown>(expected = 'a function'): Rule<T> =>
  is<T>(expected, (value) => typeof value === 'function');

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
