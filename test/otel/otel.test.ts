import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader, type HistogramMetricData } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, authHeaders, backoff, createClient, redirect, retry } from '../../src/index.ts';
import { attemptAttributes, otel, redactUrl } from '../../src/otel/index.ts';
import { closedPort, startServer, type LocalServer } from '../support/server.ts';

const spans = new InMemorySpanExporter();
const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }).getTracer('test');
const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });
const meter = new MeterProvider({ readers: [reader] }).getMeter('test');

const attemptsOf = (all: ReadableSpan[]) => all.filter((s) => s.kind === SpanKind.CLIENT);
const callOf = (all: ReadableSpan[]) => all.find((s) => s.kind === SpanKind.INTERNAL)!;

describe('otel options', () => {
  it('refuses bad options, naming each', () => {
    expect(() => otel({ tracer: 'x' as never })).toThrow('otel: tracer: expected an OpenTelemetry Tracer, received "x"');
    expect(() => otel({ meter: 1 as never })).toThrow('otel: meter: expected an OpenTelemetry Meter, received 1');
    expect(() => otel({ tracerProvider: {} } as never)).toThrow(ConfigError);
  });
});

describe('otel on a real socket', () => {
  let server: LocalServer;
  const counts = new Map<string, number>();
  beforeAll(async () => {
    server = await startServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0]!;
      const n = (counts.get(path) ?? 0) + 1;
      counts.set(path, n);
      if (path === '/moved') {
        res.writeHead(302, { location: '/landed' });
        return void res.end();
      }
      res.statusCode = path === '/flaky' && n <= 2 ? 503 : 200;
      res.end();
    });
  });
  afterAll(() => server.close());
  beforeEach(() => spans.reset());

  it('makes one call span and one CLIENT span per attempt, with the HTTP client conventions', async () => {
    const client = createClient([otel({ tracer, meter }), retry({ total: 3, statusForcelist: [503] }), backoff({ factor: 0 })]);
    expect((await client(`${server.origin}/flaky`)).status).toBe(200);
    const all = spans.getFinishedSpans();
    const attempts = attemptsOf(all);
    const call = callOf(all);
    expect(all).toHaveLength(4);
    expect(attempts.map((s) => s.name)).toEqual(['GET', 'GET', 'GET']);
    for (const s of attempts) expect(s.parentSpanContext?.spanId).toBe(call.spanContext().spanId);
    expect(attempts.map((s) => s.attributes)).toEqual([
      { 'http.request.method': 'GET', 'url.full': `${server.origin}/flaky`, 'server.address': '127.0.0.1', 'server.port': server.port, 'url.scheme': 'http', 'http.response.status_code': 503, 'error.type': '503' },
      { 'http.request.method': 'GET', 'url.full': `${server.origin}/flaky`, 'server.address': '127.0.0.1', 'server.port': server.port, 'url.scheme': 'http', 'http.response.status_code': 503, 'http.request.resend_count': 1, 'error.type': '503' },
      { 'http.request.method': 'GET', 'url.full': `${server.origin}/flaky`, 'server.address': '127.0.0.1', 'server.port': server.port, 'url.scheme': 'http', 'http.response.status_code': 200, 'http.request.resend_count': 2 },
    ]);
    expect(attempts.map((s) => s.status.code)).toEqual([SpanStatusCode.ERROR, SpanStatusCode.ERROR, SpanStatusCode.UNSET]);
    expect(call.name).toBe('fetchpipe GET');
    expect(call.attributes).toMatchObject({ 'http.request.method': 'GET', 'http.response.status_code': 200, 'http.request.resend_count': 2, 'server.address': '127.0.0.1' });
    expect(call.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('gives each redirect hop its own span, and masks url.full as fetchpipe masks everything', async () => {
    const client = createClient([otel({ tracer, meter }), authHeaders({ 'x-api-key': 'k-123456' }, { maskQueryParams: ['api_key'] }), redirect()]);
    await client(`${server.origin}/moved?api_key=topsecret&sig=abc&page=2`);
    const attempts = attemptsOf(spans.getFinishedSpans());
    expect(attempts.map((s) => s.attributes['url.full'])).toEqual([`${server.origin}/moved?api_key=...&sig=REDACTED&page=2`, `${server.origin}/landed`]);
    expect(attempts.map((s) => s.attributes['http.request.resend_count'])).toEqual([undefined, 1]);
    expect(JSON.stringify(spans.getFinishedSpans().map((s) => s.attributes))).not.toContain('topsecret');
  });

  it('records error.type as the error class for a failed attempt and marks the call span as an error', async () => {
    const port = await closedPort();
    const client = createClient([otel({ tracer, meter }), retry({ total: 1 })]);
    await client(`http://127.0.0.1:${port}/`).catch(() => {});
    const all = spans.getFinishedSpans();
    expect(attemptsOf(all).map((s) => s.attributes['error.type'])).toEqual(['ConnectionError', 'ConnectionError']);
    expect(callOf(all).attributes['error.type']).toBe('MaxRetryError');
    expect(callOf(all).status).toEqual({ code: SpanStatusCode.ERROR, message: 'MaxRetryError' });
  });

  it('records http.client.request.duration in seconds per attempt, without the URL', async () => {
    const client = createClient([otel({ tracer, meter })]);
    await client(`${server.origin}/plain`);
    await reader.forceFlush();
    const metrics = metricExporter.getMetrics().at(-1)!.scopeMetrics.flatMap((s) => s.metrics);
    const histogram = metrics.find((m) => m.descriptor.name === 'http.client.request.duration') as HistogramMetricData;
    expect(histogram.descriptor.unit).toBe('s');
    const point = histogram.dataPoints.find((p) => p.attributes['http.response.status_code'] === 200 && p.attributes['server.port'] === server.port)!;
    expect(point.value.count).toBeGreaterThanOrEqual(1);
    expect(point.value.sum).toBeLessThan(5);
    expect(point.attributes['url.full']).toBeUndefined();
    expect(point.attributes).toMatchObject({ 'http.request.method': 'GET', 'server.address': '127.0.0.1', 'url.scheme': 'http' });
  });

  it('keeps the client\'s own onEvent listener working beside it', async () => {
    const seen: string[] = [];
    const client = createClient([otel({ tracer, meter })], { onEvent: (e) => seen.push(e.type) });
    await client(`${server.origin}/plain`);
    expect(seen).toEqual(['start', 'attempt', 'done']);
    expect(attemptsOf(spans.getFinishedSpans())).toHaveLength(1);
  });
});

describe('otel attributes', () => {
  it('maps unknown methods to _OTHER with the original kept', () => {
    expect(attemptAttributes({ method: 'PURGE', url: 'https://h/x', attempt: 1, status: 200 })).toMatchObject({
      'http.request.method': '_OTHER',
      'http.request.method_original': 'PURGE',
      'server.port': 443,
    });
  });

  it('redacts the signed-URL query keys the conventions name, and nothing else, for any query', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('sig', 'Signature', 'AWSAccessKeyId', 'X-Goog-Signature', 'page', 'q'), fc.stringMatching(/^[a-z0-9]{0,8}$/)), { maxLength: 6 }), (pairs) => {
        const url = `https://h/p?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`;
        const redacted = new URL(redactUrl(url)).searchParams;
        const original = new URL(url).searchParams;
        for (const [key, value] of original) {
          const sensitive = ['sig', 'Signature', 'AWSAccessKeyId', 'X-Goog-Signature'].includes(key);
          expect(redacted.getAll(key)).toContain(sensitive ? 'REDACTED' : value);
        }
      }),
    );
  });
});
