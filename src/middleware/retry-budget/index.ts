// retryBudget(): a limit on retries across the calls of a client (or of several clients that
// share one budget), so that an outage does not multiply the load by retry()'s `total`.
// It stands in front of retry() and answers retry()'s veto for every failure retry() counts.
import {
  ConfigError,
  defineEvents,
  type EventKit,
  defineMiddleware,
  is,
  optional,
  parseOptions,
  retryVetoSlot,
  strictObject,
  type Handler,
  type Input,
  type Middleware,
  type RetryVetoInfo,
  type Same,
} from '../../kit/index.ts';
import { budgetModel, type RetryBudget, type RetryBudgetModel } from './budget.ts';

export type { RetryBudget, RetryBudgetModel } from './budget.ts';

/** Options of `retryBudget()`: gRPC's retry throttling, or a budget shared with other clients. */
export interface RetryBudgetOptions extends RetryBudgetModel {
  /** A budget from `createRetryBudget()`, shared by every client given it; excludes `maxTokens` and `tokenRatio`. @default a budget per client */
  budget?: RetryBudget;
}

const modelFields = {
  maxTokens: optional(is<number>('a number from 1 to 1000', (v) => typeof v === 'number' && v >= 1 && v <= 1000)),
  tokenRatio: optional(is<number>('a number above 0 and at most 1', (v) => typeof v === 'number' && v > 0 && v <= 1)),
};
const modelSchema = strictObject(modelFields);
const schema = strictObject({
  ...modelFields,
  budget: optional(
    is<RetryBudget>('a budget from createRetryBudget()', (v) =>
      typeof v === 'object' && v !== null && (['allowsRetry', 'recordFailure', 'recordSuccess'] as const).every((k) => typeof (v as RetryBudget)[k] === 'function'),
    ),
  ),
});
true satisfies Same<Input<typeof modelSchema>, RetryBudgetModel>;
true satisfies Same<Input<typeof schema>, RetryBudgetOptions>;

/** The custom events of `retryBudget()`: a veto, with the tokens left. */
export type RetryBudgetEvents = { 'retryBudget.veto': { reason: string; tokens: number } };
/** Emits and recognises `retryBudget()`'s events: `retryBudgetEvents.is(event, 'retryBudget.veto')`. */
export const retryBudgetEvents: EventKit<RetryBudgetEvents> = defineEvents<RetryBudgetEvents>();

const DEFAULT_MAX_TOKENS = 10;
const DEFAULT_TOKEN_RATIO = 0.1;

/**
 * A retry budget to share: pass it to `retryBudget({ budget })` in several clients, and they
 * throttle their retries together.
 * @example
 * const budget = createRetryBudget({ maxTokens: 20 });
 * const a = createClient([retryBudget({ budget }), retry()]);
 * const b = createClient([retryBudget({ budget }), retry()]);
 */
export function createRetryBudget(options: RetryBudgetModel = {}): RetryBudget {
  const { maxTokens = DEFAULT_MAX_TOKENS, tokenRatio = DEFAULT_TOKEN_RATIO } = parseOptions('createRetryBudget', modelSchema, options);
  return budgetModel(maxTokens, tokenRatio);
}

/**
 * Throttles retries across calls, as gRPC does: every failure retry() counts takes a token,
 * every successful call gives back `tokenRatio`, and retries stop while half the tokens or
 * fewer are left. A vetoed retry ends as retry() ends when its own counters run out
 * (`MaxRetryError`, or the last response with `raiseOnStatus: false`). Place it before `retry()`.
 * @example
 * createClient([retryBudget({ maxTokens: 10, tokenRatio: 0.1 }), retry({ statusForcelist: [503] }), backoff({ factor: 100 })]);
 */
export function retryBudget(options: RetryBudgetOptions = {}): Middleware {
  const o = parseOptions('retryBudget', schema, options);
  if (o.budget !== undefined && (o.maxTokens !== undefined || o.tokenRatio !== undefined)) {
    const option = o.maxTokens !== undefined ? 'maxTokens' : 'tokenRatio';
    throw new ConfigError(`retryBudget: ${option}: a shared budget has its own; set it in createRetryBudget()`, { option });
  }
  const maxTokens = o.budget?.maxTokens ?? o.maxTokens ?? DEFAULT_MAX_TOKENS;
  const tokenRatio = o.budget?.tokenRatio ?? o.tokenRatio ?? DEFAULT_TOKEN_RATIO;

  // Per client, unless a budget is shared: createClient() calls setup() once.
  const setup = (): Handler => {
    const budget = o.budget ?? budgetModel(maxTokens, tokenRatio);
    return function retryBudget(request, next) {
      // The last failure retry() reported: a response that ends the call after it is that failure, not a success.
      let lastFailure: Response | undefined;
      request.context.set(retryVetoSlot, (info: RetryVetoInfo) => {
        lastFailure = info.response;
        budget.recordFailure();
        if (budget.allowsRetry()) return undefined;
        const reason = `retry budget spent (${budget.tokens} of ${budget.maxTokens} tokens left, retries need more than ${budget.maxTokens / 2})`;
        retryBudgetEvents.emit(request, 'retryBudget.veto', { reason, tokens: budget.tokens });
        return reason;
      });
      return next(request).then((response) => {
        if (response !== lastFailure) budget.recordSuccess();
        return response;
      });
    };
  };
  return defineMiddleware(
    setup(),
    // In front of retry(), whose veto it fills (behind it, the veto would be set too late); without
    // a retry() it would veto nothing, so the chain is refused rather than silently unguarded.
    { name: 'retryBudget', options: { maxTokens, tokenRatio, shared: o.budget !== undefined }, needs: ['retry'], before: ['retry'] },
    setup,
  );
}
