// fetchpipe/otel: OpenTelemetry traces and metrics from a client's event stream. One span per
// call (INTERNAL) and, under it, one CLIENT span per physical attempt, with the attributes of
// the HTTP client semantic conventions, plus the `http.client.request.duration` histogram.
// @opentelemetry/api is an optional peer dependency: only this entry imports it.
import { SpanKind, SpanStatusCode, context, metrics, trace, type Histogram, type Meter, type Span, type Tracer } from '@opentelemetry/api';
import { defineMiddleware, fn, is, optional, parseOptions, strictObject, type FetchpipeEvent, type Input, type Middleware, type Same } from '../kit/index.ts';
import { attemptAttributes, errorType, metricAttributes, methodAttributes, redactUrl, serverAttributes, spanName, type AttemptFacts } from './attributes.ts';

export { attemptAttributes, metricAttributes, redactUrl } from './attributes.ts';

/** Options of `otel()`. */
export interface OtelOptions {
  /** Where spans go. @default `trace.getTracer('fetchpipe')` (the global provider) */
  tracer?: Tracer;
  /** Where the duration histogram goes. @default `metrics.getMeter('fetchpipe')` (the global provider) */
  meter?: Meter;
  /** Extra attributes for the call span, from the request. @default none */
  callAttributes?: (request: { method: string; url: string }) => Record<string, string | number | boolean>;
}

const schema = strictObject({
  tracer: optional(is<Tracer>('an OpenTelemetry Tracer', (v) => typeof (v as Partial<Tracer> | null)?.startSpan === 'function')),
  meter: optional(is<Meter>('an OpenTelemetry Meter', (v) => typeof (v as Partial<Meter> | null)?.createHistogram === 'function')),
  callAttributes: optional(fn<NonNullable<OtelOptions['callAttributes']>>()),
});
true satisfies Same<Input<typeof schema>, OtelOptions>;

// The conventions' advised buckets for http.client.request.duration, in seconds.
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

/**
 * Traces every call: a span for the call and a CLIENT span per physical attempt (retries and
 * redirect hops each get one, with `http.request.resend_count`), their URLs masked as fetchpipe
 * masks everything, and records `http.client.request.duration`. Place it first.
 * @example
 * import { otel } from 'fetchpipe/otel';
 * createClient([otel(), retry(), backoff({ factor: 100 })]);
 */
export function otel(options: OtelOptions = {}): Middleware {
  const o = parseOptions('otel', schema, options);
  const tracer = o.tracer ?? trace.getTracer('fetchpipe');
  const meter = o.meter ?? metrics.getMeter('fetchpipe');
  const duration: Histogram = meter.createHistogram('http.client.request.duration', {
    unit: 's',
    description: 'Duration of HTTP client requests.',
    advice: { explicitBucketBoundaries: DURATION_BUCKETS },
  });
  const callAttributes = o.callAttributes;

  return defineMiddleware(
    function otel(request, next) {
      const parent = context.active();
      const call: Span = tracer.startSpan(
        `fetchpipe ${spanName(request.method)}`,
        { kind: SpanKind.INTERNAL, attributes: { ...methodAttributes(request.method), ...callAttributes?.({ method: request.method, url: request.url }) } },
        parent,
      );
      const under = trace.setSpan(parent, call);
      let attempts = 0;
      let first: AttemptFacts | undefined;

      request.context.listen((event: FetchpipeEvent) => {
        if (event.type !== 'attempt') return;
        const facts: AttemptFacts = { method: event.method, url: event.url, attempt: event.attempt, status: event.status, error: event.error };
        first ??= facts;
        attempts++;
        const end = Date.now();
        const span = tracer.startSpan(spanName(event.method), { kind: SpanKind.CLIENT, startTime: end - event.durationMs, attributes: attemptAttributes(facts) }, under);
        if (errorType(event.status, event.error) !== undefined) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end(end);
        duration.record(event.durationMs / 1000, metricAttributes(facts));
      });

      const finish = (status: number | undefined, error: unknown) => {
        const errorName = error === undefined ? undefined : error instanceof Error ? error.name : typeof error;
        const type = errorType(status, errorName);
        if (first !== undefined) call.setAttributes({ 'url.full': redactUrl(first.url), ...serverAttributes(first.url) });
        call.setAttributes({
          ...(status !== undefined && { 'http.response.status_code': status }),
          ...(attempts > 1 && { 'http.request.resend_count': attempts - 1 }),
          ...(type !== undefined && { 'error.type': type }),
        });
        if (type !== undefined) call.setStatus({ code: SpanStatusCode.ERROR, ...(errorName !== undefined && { message: errorName }) });
        call.end();
      };
      return next(request).then(
        (response) => (finish(response.status, undefined), response),
        (error: unknown) => {
          finish(undefined, error);
          throw error;
        },
      );
    },
    { name: 'otel', options: { customTracer: o.tracer !== undefined, customMeter: o.meter !== undefined } },
  );
}
