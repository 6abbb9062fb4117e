// idempotencyKey(): one `Idempotency-Key` per logical call (the IETF draft's header, as Stripe
// names it), the same on every attempt and every redirect hop. Placed before retry() and
// redirect(), it runs once per call, so whatever they send again carries the key it set.
import {
  ConfigError,
  applyHeaders,
  defineEvents,
  type EventKit,
  defineMiddleware,
  flag,
  fn,
  headerNameProblem,
  listOf,
  optional,
  parseOptions,
  rule,
  strictObject,
  type Input,
  type Middleware,
  type Same,
} from '../../kit/index.ts';
import { keyProblem, randomKey } from './key.ts';
import { idempotentSlot } from './slots.ts';

/** The custom events of `idempotencyKey()`: the key a call got. */
export type IdempotencyKeyEvents = { 'idempotencyKey.key': { header: string; key: string } };
/** Emits and recognises `idempotencyKey()`'s events: `idempotencyKeyEvents.is(event, 'idempotencyKey.key')`. */
export const idempotencyKeyEvents: EventKit<IdempotencyKeyEvents> = defineEvents<IdempotencyKeyEvents>();

/** Options of `idempotencyKey()`. */
export interface IdempotencyKeyOptions {
  /** The header that carries the key. @default 'Idempotency-Key' */
  header?: string;
  /** Methods that get a key, case-insensitive. @default ['POST', 'PATCH'] */
  methods?: readonly string[];
  /** Makes a key: called once per call. @default a random version-4 UUID */
  generate?: () => string;
  /** Opt-in: a keyed call is retried on the statuses and read errors `retry()` allows for idempotent methods. @default false */
  retryKeyed?: boolean;
}

const schema = strictObject({
  header: optional(rule<string>(headerNameProblem)),
  methods: optional(listOf<string>('an array of method names', (v) => (typeof v === 'string' && /^[A-Za-z]+$/.test(v) ? undefined : 'a method name'))),
  generate: optional(fn<() => string>()),
  retryKeyed: optional(flag()),
});
true satisfies Same<Input<typeof schema>, IdempotencyKeyOptions>;

/**
 * Gives each call of the listed methods one `Idempotency-Key`, the same on every retry and
 * redirect hop, unless the call set one itself. With `retryKeyed: true`, such a call is retried
 * like an idempotent method: the server's idempotency makes that safe. Place it before `retry()`.
 * @example
 * createClient([idempotencyKey({ retryKeyed: true }), retry({ statusForcelist: [503] })]);
 */
export function idempotencyKey(options: IdempotencyKeyOptions = {}): Middleware {
  const o = parseOptions('idempotencyKey', schema, options);
  const header = o.header ?? 'Idempotency-Key';
  const methods = (o.methods ?? ['POST', 'PATCH']).map((m) => m.toUpperCase());
  const keyed = new Set(methods);
  const generate = o.generate ?? randomKey;
  const retryKeyed = o.retryKeyed ?? false;

  return defineMiddleware(
    function idempotencyKey(request, next) {
      if (!keyed.has(request.method)) return next(request);
      if (retryKeyed) request.context.set(idempotentSlot, true);
      // A key the caller chose is theirs to keep (a replay of their own logical request).
      if (request.headers.has(header)) return next(request);
      const key = generate();
      const problem = keyProblem(key);
      if (problem !== undefined) throw new ConfigError(`idempotencyKey: generate: expected it to return ${problem}`, { option: 'generate' });
      idempotencyKeyEvents.emit(request, 'idempotencyKey.key', { header, key });
      return next({ ...request, headers: applyHeaders(request.headers, [[header, key]], 'override') });
    },
    {
      name: 'idempotencyKey',
      options: { header, methods, retryKeyed, customGenerate: o.generate !== undefined },
      // Outside retry() and redirect(): it runs once per call, so whatever they send again has its key.
      before: ['retry', 'redirect'],
    },
  );
}
