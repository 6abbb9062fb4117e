// Custom events: namespaced with a dot, typed by the middleware's map, masked like the
// built-in ones, unable to pass for the base fields, and formatted by formatEvent() and logger().
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { authHeaders, createClient, defineEvents, defineMiddleware, emit, formatEvent, type FetchpipeEvent } from '../../src/index.ts';

type CircuitEvents = {
  'circuit.open': { origin: string; failures: number };
  'circuit.note': { text: string; hops: readonly string[] };
};
const events = defineEvents<CircuitEvents>();

async function collect(middleware: ReturnType<typeof defineMiddleware>, url = 'http://h/x'): Promise<FetchpipeEvent[]> {
  const seen: FetchpipeEvent[] = [];
  await createClient([authHeaders({ 'x-api-key': 'key-0123456789' }), middleware], { fetch: async () => new Response('ok'), onEvent: (e) => seen.push(e) })(url);
  return seen;
}

describe('custom events', () => {
  it('reach the listener between the built-in ones, typed, frozen and recognised by defineEvents().is', async () => {
    const breaker = defineMiddleware((request, next) => {
      events.emit(request, 'circuit.open', { origin: 'http://h', failures: 5 });
      return next(request);
    }, { name: 'circuit' });
    const seen = await collect(breaker);
    expect(seen.map((e) => e.type)).toEqual(['start', 'circuit.open', 'attempt', 'done']);
    const open = seen[1]!;
    expect(events.is(open, 'circuit.open')).toBe(true);
    if (events.is(open, 'circuit.open')) expect([open.origin, open.failures, open.method, open.attempt]).toEqual(['http://h', 5, 'GET', 1]);
    expect(Object.isFrozen(open)).toBe(true);
    expect(formatEvent(open)).toMatch(/#1 {2}circuit\.open origin=http:\/\/h failures=5$/);
  });

  it('mask every string they carry, in arrays too, and cannot replace the base fields', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string(), fc.string(), async (before, after) => {
        const text = `${before}key-0123456789${after}`;
        const noisy = defineMiddleware((request, next) => {
          emit(request, 'noisy.note', { text, hops: [text], url: 'http://evil/', type: 'done', attempt: 99 });
          return next(request);
        }, { name: 'noisy' });
        const seen = await collect(noisy, 'http://h/x?k=key-0123456789');
        const note = seen.find((e) => e.type === 'noisy.note')!;
        expect(JSON.stringify(note)).not.toContain('key-0123456789');
        expect(formatEvent(note)).not.toContain('key-0123456789');
        expect([note.type, note.url, note.attempt]).toEqual(['noisy.note', 'http://h/x?k=...', 1]);
      }),
      { numRuns: 50 },
    );
  });

  it('cost nothing without a listener: emit() returns before building anything', async () => {
    let built = 0;
    const quiet = defineMiddleware((request, next) => {
      emit(request, 'quiet.note', { get text() { built++; return 'x'; } } as never);
      return next(request);
    }, { name: 'quiet' });
    await createClient([quiet], { fetch: async () => new Response('ok') })('http://h/x');
    expect(built).toBe(0);
  });
});
