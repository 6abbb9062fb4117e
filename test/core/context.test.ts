// Per-call slots: typed keys declared by their writer, shared by every hop of one call, never
// by two calls, and costing a call that uses none nothing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, callKey, createClient, defineMiddleware, type CallKey, type FetchpipeRequest } from '../../src/index.ts';

const ok = async () => new Response('ok');

describe('callKey()', () => {
  it('takes a namespaced name and refuses any other with a ConfigError naming it', () => {
    expect(callKey<number>('timeout.deadline').name).toBe('timeout.deadline');
    for (const bad of ['deadline', '.deadline', 'timeout.', '', 42 as unknown as string]) {
      expect(() => callKey(bad)).toThrow(ConfigError);
      expect(() => callKey(bad)).toThrow(/callKey: name: expected "<owner>\.<field>"/);
    }
  });

  it('makes two keys of the same name two slots: only who holds a key reaches its slot', async () => {
    const mine = callKey<string>('mine.value');
    const impostor = callKey<string>('mine.value');
    let seen: unknown = 'unset';
    const writer = defineMiddleware((request, next) => (request.context.set(mine, 'secret'), next(request)), { name: 'writer' });
    const reader = defineMiddleware((request, next) => ((seen = request.context.get(impostor)), next(request)), { name: 'reader' });
    await createClient([writer, reader], { fetch: ok })('http://h/x');
    expect(seen).toBeUndefined();
  });
});

describe('request.context.get/set', () => {
  it('returns, for any sequence of writes over several keys, the last value written to each', () => {
    const keys: CallKey<number>[] = [0, 1, 2, 3].map((n) => callKey<number>(`test.key${n}`));
    fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer()), { maxLength: 20 }), async (writes) => {
        const expected = new Map<number, number>();
        let read: Array<number | undefined> = [];
        const probe = defineMiddleware((request, next) => {
          for (const [key, value] of writes) {
            request.context.set(keys[key]!, value);
            expected.set(key, value);
          }
          read = keys.map((key) => request.context.get(key));
          return next(request);
        }, { name: 'probe' });
        await createClient([probe], { fetch: ok })('http://h/x');
        expect(read).toEqual(keys.map((_, index) => expected.get(index)));
      }),
    );
  });

  it('shares a slot between every hop and attempt of one call, and never between two calls', async () => {
    const count = callKey<number>('test.count');
    const seen: number[] = [];
    const counter = defineMiddleware(async function counter(request, next) {
      const n = (request.context.get(count) ?? 0) + 1;
      request.context.set(count, n);
      seen.push(n);
      // A second hop of the same call, sent with a copy of the request value.
      if (n === 1) await next({ ...request, attempt: request.attempt + 1 }).then((r) => r.text());
      return next(request);
    }, { name: 'counter' });
    const inner = defineMiddleware((request, next) => {
      seen.push(-(request.context.get(count) ?? 0));
      return next(request);
    }, { name: 'inner' });
    const client = createClient([counter, inner], { fetch: ok });
    await client('http://h/a');
    await client('http://h/b');
    expect(seen).toEqual([1, -1, -1, 1, -1, -1]);
  });

  it('is typed by the key: the value read has the key’s type', () => {
    const key = callKey<{ readonly at: number }>('test.typed');
    const read = (request: FetchpipeRequest) => request.context.get(key)?.at;
    expect(typeof read).toBe('function');
    // @ts-expect-error: a string is not what the key holds.
    const write = (request: FetchpipeRequest) => request.context.set(key, 'nope');
    expect(typeof write).toBe('function');
  });
});
