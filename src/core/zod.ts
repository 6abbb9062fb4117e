// The zod/mini functions fetchpipe uses, by name. Re-exporting zod's whole namespace would
// keep all of zod (locales, JSON Schema) in every bundle; named exports let bundlers drop the rest.
// The library's own options need only strict objects of custom rules (see config.ts);
// fetchpipe/testing and fetchpipe/schemas, separate entries, use a few more.
export {
  array,
  boolean,
  custom,
  gt,
  gte,
  int,
  literal,
  lt,
  lte,
  minLength,
  null as null_,
  nullable,
  number,
  optional,
  record,
  refine,
  regex,
  safeParse,
  strictObject,
  string,
  toJSONSchema,
  tuple,
  union,
  unknown,
  type ZodMiniCustom,
  type ZodMiniType,
} from 'zod/mini';
// Renamed: `infer` is a keyword in type positions, and bundled .d.ts files choke on it.
export type { infer as Infer, input as Input } from 'zod/mini';
