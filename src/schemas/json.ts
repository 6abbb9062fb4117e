// The JSON Schema of every option schema, generated with zod's toJSONSchema. The factories
// validate with custom predicates, which JSON Schema cannot express (and which keep the main
// bundle small), so this entry carries their JSON-expressible twins: zod schemas of the same
// rules over JSON values. Only fetchpipe/schemas imports this file. Function-valued options
// (`shouldRetry`, `clock`, `fetch` …) have no JSON form and are absent: a JSON file cannot hold
// one, and the strict objects refuse the key. A property test checks, on generated JSON values,
// that each JSON Schema accepts exactly what the factory accepts (base URLs excepted, see BASE_URL).
import * as z from '../core/zod.ts';
import type { OptionName } from './options.ts';

/** A JSON Schema (draft 2020-12) document, as plain JSON data. */
export type JSONSchema = { readonly [key: string]: unknown };

const count = () => z.int().check(z.gte(0));
const counter = () => z.optional(z.union([count(), z.literal(false), z.null_()]));
// Milliseconds: 0, or at least 1 (a positive value below 1 is seconds passed by mistake).
const milliseconds = () => z.union([z.literal(0), z.number().check(z.gte(1))]);
const seconds = () => z.number().check(z.gte(0));
const flag = () => z.optional(z.boolean());
const positiveCount = () => z.int().check(z.gte(1));
const statusList = () => z.array(z.int().check(z.gte(100), z.lte(599)));
// RFC 9110 tokens, and values of Latin-1 characters without CR, LF or NUL.
const headerName = () => z.string().check(z.regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/));
const VALUE_CHAR = '[\\u0001-\\u0009\\u000b\\u000c\\u000e-\\u00ff]';
const headerValue = () => z.string().check(z.regex(new RegExp(`^${VALUE_CHAR}*$`)));
const headerRecord = () => z.record(headerName(), headerValue());
const headerInit = () => z.union([headerRecord(), z.array(z.tuple([headerName(), headerValue()]))]);
// What String.prototype.trim removes among those characters: tab, VT, FF, space and NBSP.
const NON_BLANK = '[\\u0001-\\u0008\\u000e-\\u001f\\u0021-\\u009f\\u00a1-\\u00ff]';
const userAgentValue = () => z.string().check(z.regex(new RegExp(`^${VALUE_CHAR}*${NON_BLANK}${VALUE_CHAR}*$`)));
// The WHATWG URL parser cannot be written as a pattern; this one is looser than baseUrl():
// every base baseUrl() accepts matches, and a few it refuses (`http://`) match too.
const BASE_URL = /^[\u0000-\u0020]*[hH][tT][tT][pP][sS]?:[^?#]*$/;
const MAX_TIMER = 2_147_483_647;
const timer = () => z.number().check(z.gte(1), z.lte(MAX_TIMER));
const timerOrNull = () => z.optional(z.nullable(timer()));

const JSON_TWINS: { readonly [K in OptionName]: z.ZodMiniType } = {
  createClient: z.strictObject({}),
  retry: z.strictObject({
    total: counter(),
    connect: counter(),
    read: counter(),
    status: counter(),
    redirect: counter(),
    other: counter(),
    allowedMethods: z.optional(z.nullable(z.array(z.string()))),
    statusForcelist: z.optional(statusList()),
    postForcelist: flag(),
    respectRetryAfterHeader: flag(),
    retryAfterMax: z.optional(milliseconds()),
    strictRetryAfter: flag(),
    raiseOnStatus: flag(),
    raiseOnRedirect: flag(),
  }),
  backoff: z.strictObject({
    factor: z.optional(milliseconds()),
    max: z.optional(milliseconds()),
    jitter: z.optional(milliseconds()),
    respectRetryAfterHeader: flag(),
  }),
  baseUrl: z.string().check(z.regex(BASE_URL)),
  headers: headerInit(),
  authHeaders: headerInit(),
  authHeadersOptions: z.strictObject({ maskQueryParams: z.optional(z.array(z.string().check(z.minLength(1)))) }),
  userAgent: userAgentValue(),
  userAgentOptions: z.strictObject({ mode: z.optional(z.union([z.literal('set'), z.literal('append')])), fallbackHeader: z.optional(headerName()) }),
  timeout: z.union([
    timer(),
    z.tuple([timer(), timer()]),
    z.strictObject({ connect: timerOrNull(), read: timerOrNull(), total: timerOrNull() }),
    z.null_(),
  ]),
  redirect: z.strictObject({ max: z.optional(count()) }),
  pool: z.strictObject({ maxsize: z.optional(positiveCount()), block: flag(), poolTimeout: z.optional(z.nullable(milliseconds())) }),
  httpErrors: z.strictObject({}),
  logger: z.strictObject({}),
  caveclient: z.strictObject({ maxRetries: z.optional(count()), poolBlock: flag(), poolMaxsize: z.optional(positiveCount()) }),
  setSessionDefaults: z.strictObject({
    maxRetries: z.optional(count()),
    poolBlock: flag(),
    poolMaxsize: z.optional(positiveCount()),
    backoffFactor: z.optional(seconds()),
    backoffMax: z.optional(seconds()),
    statusForcelist: z.optional(statusList()),
  }),
  qbraid: z.strictObject({
    baseUrl: z.optional(z.string().check(z.regex(BASE_URL))),
    headers: z.optional(headerRecord()),
    authHeaders: z.optional(headerRecord()),
    retriesTotal: z.optional(count()),
    retriesConnect: z.optional(count()),
    backoffFactor: z.optional(seconds()),
    // Each one becomes userAgent(ua, { mode: 'append' }), which refuses a blank or non-Latin-1 value.
    userAgents: z.optional(z.array(userAgentValue())),
  }),
};

/** Where the shipped copies live: `fetchpipe/schemas/<name>.json`. */
export const jsonSchemaId = (name: string): string => `https://unpkg.com/fetchpipe/schemas/${name}.json`;

/**
 * The JSON Schema of one option schema (`'retry'`, `'caveclient'` …), for editors and other
 * validators. The package ships the same documents as `fetchpipe/schemas/<name>.json`.
 * @example
 * writeFileSync('retry.schema.json', JSON.stringify(jsonSchema('retry'), null, 2));
 */
export function jsonSchema(name: OptionName): JSONSchema {
  const twin = JSON_TWINS[name];
  if (twin === undefined) throw new TypeError(`jsonSchema: no option schema is named ${String(name)}`);
  return { $id: jsonSchemaId(name), title: `fetchpipe ${name} options`, ...(z.toJSONSchema(twin, { target: 'draft-2020-12', io: 'input' }) as JSONSchema) };
}
