import { describe, expect, it } from 'vitest';
import { authHeaders, backoff, createClient, explain, formatEvent, logger, renderPlan, retry, type FetchpipeEvent } from '../src/index.ts';
import { caveclient, qbraid } from '../src/presets/index.ts';
import { recordingClock, sequence } from '../src/testing/index.ts';

describe('explain()', () => {
  it('shows caveclient waits 0, 0.2, 0.4 s and that it returns the last response', () => {
    const plan = explain(caveclient());
    // redirect() in front of retry(): requests' Session follows outside the Retry budget (issue #15).
    expect(plan.order.map((m) => m.name)).toEqual(['redirect', 'retry', 'backoff', 'pool']);
    expect(plan.retry!.waits.map((w) => w.waitMs / 1000)).toEqual([0, 0.2, 0.4]);
    expect(plan.retry!.waits.map((w) => w.cumulativeMs)).toEqual([0, 200, 600]);
    expect(plan.retry!.whenExhausted).toBe('returns the last response');
    expect(plan.retry!.methods).toEqual(['GET', 'POST']);
    expect(plan.retry!.statuses).toEqual([502, 503, 504]);
    expect(plan.retry!.counters.total).toBe(3);
  });
  it('shows qbraid waits 0 and 1 s, POST on the forcelist, and that it throws', () => {
    const plan = explain(qbraid({ baseUrl: 'https://api.qbraid.com/api' }));
    expect(plan.retry!.waits.map((w) => w.waitMs / 1000)).toEqual([0, 1]);
    expect(plan.retry!.postOnForcelist).toBe(true);
    expect(plan.retry!.whenExhausted).toBe('throws MaxRetryError');
    expect(plan.retry!.counters).toMatchObject({ total: 2, connect: 1 });
  });
  it('caps the listed waits at max and notes jitter', () => {
    const plan = explain([retry({ total: 4 }), backoff({ factor: 1000, max: 3000, jitter: 250 })]);
    expect(plan.retry!.waits.map((w) => [w.waitMs, w.jitterMs])).toEqual([[0, 0], [2000, 250], [3000, 250], [3000, 250]]);
    expect(renderPlan(plan)).toContain('+ up to 0.25 s jitter');
  });
  it('says when nothing retries, and never shows a secret', () => {
    const text = renderPlan(explain([authHeaders({ Authorization: 'Bearer sekrit-token-1' })]));
    expect(text).toContain('no retry()');
    expect(text).not.toContain('sekrit');
  });
  it('draws a bar per wait, longest full width', () => {
    const lines = renderPlan(explain(caveclient()), 10).split('\n').filter((l) => l.includes('retry  '));
    expect(lines.map((l) => (l.match(/█/g) ?? []).length)).toEqual([0, 5, 10]);
  });
});

describe('events', () => {
  it('emits start, attempt, retry, wait and done, masked, and only when someone listens', async () => {
    const events: FetchpipeEvent[] = [];
    const upstream = sequence([503, 200]);
    const client = createClient(
      [retry({ statusForcelist: [503] }), backoff({ clock: recordingClock() }), authHeaders({ 'x-api-key': 'k-123456789' }, { maskQueryParams: ['token'] })],
      { fetch: upstream, onEvent: (e) => events.push(e) },
    );
    await client('http://alice:pw-987654321@h/x?token=abcdefgh');
    expect(events.map((e) => e.type)).toEqual(['start', 'attempt', 'retry', 'wait', 'attempt', 'done']);
    const text = JSON.stringify(events) + events.map(formatEvent).join('\n');
    for (const secret of ['pw-987654321', 'abcdefgh', 'k-123456789']) expect(text).not.toContain(secret);
    expect(events.every(Object.isFrozen)).toBe(true);
  });
  it('keeps the request alive when a listener throws', async () => {
    const client = createClient([], { fetch: sequence([200]), onEvent: () => { throw new Error('listener bug'); } });
    expect((await client('http://h/x')).status).toBe(200);
  });
});

describe('logger()', () => {
  it('writes one masked line per call with the earlier attempts', async () => {
    const lines: string[] = [];
    const client = createClient([logger({ write: (l) => lines.push(l) }), retry({ statusForcelist: [503] }), backoff({ clock: recordingClock() })], {
      fetch: sequence([503, 503, 200]),
    });
    await client('http://bob:hunter22hunter22@h/x');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^GET http:\/\/\.\.\.@h\/x → 200 in \d+ ms after 3 attempts \(503, 503\)$/);
  });
  it('rejects a write that is not a function', () => {
    expect(() => logger({ write: 'stdout' as never })).toThrow('logger: write: expected a function receiving a line of text, received "stdout"');
  });
});
