// logger(): one compact line per call, with its retries and redirects, URLs masked.
// formatEvent() renders a single event the same way, for `createClient(mws, { onEvent })`.
import {
  defineMiddleware,
  fn,
  maskText,
  observe,
  optional,
  parseOptions,
  strictObject,
  type AttemptRecord,
  type EventBase,
  type FetchpipeEvent,
  type Input,
  type Middleware,
  type Same,
} from '../../kit/index.ts';

export interface LoggerOptions {
  /** Receives one masked line per call; what it throws or rejects with is dropped, never the call's. @default console.log */
  write?: (line: string) => void;
}

const schema = strictObject({
  write: optional(fn<(line: string) => void>('a function receiving a line of text')),
});
true satisfies Same<Input<typeof schema>, LoggerOptions>;

function outcomeOf(record: AttemptRecord): string {
  if (record.kind === 'redirect') return `${record.status}→`;
  if (record.status !== undefined) return String(record.status);
  return record.error instanceof Error ? record.error.name : record.kind;
}

/**
 * Logs one line per call: method, masked URL, outcome, time, and what each earlier attempt got.
 * Place it first to see the whole call.
 * @example
 * createClient([logger(), retry(), backoff({ factor: 100 })]);
 * // GET https://api.example.com/x → 200 in 612 ms after 3 attempts (503, 503)
 */
export function logger(options: LoggerOptions = {}): Middleware {
  // 1. Config, once: the options are validated and resolved when the factory is called.
  const { write = (line: string) => console.log(line) } = parseOptions('logger', schema, options);
  // 2. Per client: nothing; the handler keeps no state, so one serves every client.
  // 3. Per request:
  return defineMiddleware(
    async function logger(request, next) {
      const started = Date.now();
      const line = (outcome: string) => {
        const { history, masker } = request.context;
        const earlier = history.length > 0 ? ` after ${history.length + 1} attempts (${history.map(outcomeOf).join(', ')})` : '';
        // A failing sink must not turn a 200 into a rejection, nor an async one into an unhandled rejection.
        observe(write, `${request.method} ${maskText(request.url, masker)} → ${outcome} in ${Date.now() - started} ms${earlier}`);
      };
      try {
        const response = await next(request);
        line(String(response.status));
        return response;
      } catch (error) {
        // A thrown string or object may quote a header value or the URL: whatever it is, the line is masked.
        const { masker } = request.context;
        line(error instanceof Error ? `${error.name}: ${maskText(String(error.message), masker)}` : maskText(describeThrown(error), masker));
        throw error;
      }
    },
    { name: 'logger', options: {} },
  );
}

function describeThrown(value: unknown): string {
  try {
    return String(value);
  } catch {
    return typeof value;
  }
}

function ms(value: number): string {
  return value >= 1000 ? `${Number((value / 1000).toFixed(2))} s` : `${Math.round(value)} ms`;
}

/** One event as one short line (its URL is already masked). */
export function formatEvent(event: FetchpipeEvent): string {
  const head = `+${ms(event.elapsedMs).padStart(7)}  #${event.attempt}`;
  switch (event.type) {
    case 'start':
      return `${head}  ${event.method} ${event.url}`;
    case 'attempt':
      return `${head}  ← ${event.status ?? event.error} (${ms(event.durationMs)})`;
    case 'retry':
      return `${head}  retry: ${event.reason} (${event.kind})`;
    case 'wait':
      return `${head}  wait ${ms(event.delayMs)} (${event.reason})`;
    case 'redirect':
      return `${head}  redirect ${event.status} → ${event.location}${event.stripped.length ? ` (stripped ${event.stripped.join(', ')})` : ''}`;
    case 'pool-wait':
      return `${head}  queued for ${event.origin} (${event.queued} waiting)`;
    case 'give-up':
      return `${head}  give up: ${event.reason}`;
    case 'done':
      return `${head}  done: ${event.status ?? event.error}`;
    default:
      return `${head}  ${event.type}${details(event)}`;
  }
}

const BASE_FIELDS: ReadonlySet<string> = new Set<keyof EventBase | 'type'>(['type', 'elapsedMs', 'method', 'url', 'attempt']);

// A custom event's own fields as ` key=value`, in the order it gave them (already masked by emit()).
function details(event: FetchpipeEvent): string {
  let out = '';
  for (const [key, value] of Object.entries(event)) {
    if (!BASE_FIELDS.has(key) && value !== undefined) out += ` ${key}=${Array.isArray(value) ? value.join(',') : String(value)}`;
  }
  return out;
}
