// Header inits as factories take them (headers(), authHeaders(), and user middlewares alike):
// validated once, then normalised the way fetch sends them.
import { headerPairs, headerRecord, parseOptions, strictObject } from './config.ts';

/** Headers as fetch accepts them: a record, an array of `[name, value]` pairs, or a `Headers`. */
export type HeadersInput = Readonly<Record<string, string>> | ReadonlyArray<readonly [string, string]> | Headers;

const EXPECTED = 'an object of header names to string values, an array of [name, value] pairs or a Headers';

const recordSchema = strictObject({ init: headerRecord(EXPECTED) });
const pairsSchema = strictObject({ init: headerPairs(EXPECTED) });

/**
 * Validates a header init for `owner` and returns it as lower-cased `[name, value]` pairs,
 * combined and trimmed the way fetch sends them. With `secret`, bad values are described by
 * length only.
 * @example
 * const pairs = parseHeaderInit('myAuth', { Authorization: `Bearer ${token}` }, true);
 */
export function parseHeaderInit(owner: string, init: unknown, secret: boolean): Array<[string, string]> {
  if (!(init instanceof Headers)) {
    parseOptions(owner, Array.isArray(init) ? pairsSchema : recordSchema, { init }, { secret });
  }
  return [...new Headers(init as HeadersInit)];
}
