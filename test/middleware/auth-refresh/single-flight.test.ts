import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { abortable, tokenSource } from '../../../src/middleware/auth-refresh/single-flight.ts';

describe('the single-flight token source', () => {
  it('starts one refresh for any number of concurrent renewals of the same generation', async () => {
    let calls = 0;
    const source = tokenSource(async () => `t${++calls}`);
    const all = await Promise.all(Array.from({ length: 10 }, () => source.renew(0)));
    expect(source.refreshes).toBe(1);
    expect(new Set(all.map((i) => i.token))).toEqual(new Set(['t1']));
  });

  it('answers a late renewal for an old generation with the newer token, without refreshing', async () => {
    let calls = 0;
    const source = tokenSource(async () => `t${++calls}`);
    const first = await source.renew(0);
    expect(await source.renew(0)).toEqual(first);
    expect(source.refreshes).toBe(1);
    expect((await source.renew(first.generation)).token).toBe('t2');
  });

  it('rejects every waiter of a failed refresh, keeps no token, and lets a later renewal try again', async () => {
    let calls = 0;
    const source = tokenSource(async () => {
      calls++;
      if (calls === 1) throw new Error('auth server down');
      return 'fresh';
    });
    const sentEpoch = source.epoch;
    const results = await Promise.allSettled([source.renew(0, sentEpoch), source.renew(0, sentEpoch)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(source.issued).toBeUndefined();
    // A renewal for a request sent before the failure gets that failure, with no new refresh.
    await expect(source.renew(0, sentEpoch)).rejects.toThrow('auth server down');
    expect(calls).toBe(1);
    // One sent after it may try again.
    expect((await source.renew(0, source.epoch)).token).toBe('fresh');
    expect(calls).toBe(2);
  });

  it('refuses a refresh that resolves to something other than a non-empty string', async () => {
    const source = tokenSource(async () => '' as string);
    await expect(source.renew(0)).rejects.toThrow('refresh() must resolve to a non-empty string, received an empty string');
    const sync = tokenSource((() => {
      throw new Error('sync');
    }) as never);
    await expect(sync.renew(0)).rejects.toThrow('sync');
  });

  it('for any interleaving of renewals, refreshes once per generation asked for', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(3), { minLength: 1, maxLength: 30 }), async (staleAsks) => {
        let calls = 0;
        const source = tokenSource(async () => `t${++calls}`);
        const results: number[] = [];
        for (const stale of staleAsks) {
          const wanted = Math.min(stale, source.issued?.generation ?? 0);
          results.push((await source.renew(wanted)).generation);
          expect(results.at(-1)!).toBeGreaterThan(wanted);
        }
        // Generations only grow, and each refresh made exactly one.
        expect(source.refreshes).toBe(source.issued!.generation);
      }),
    );
  });

  it('abortable() rejects with the signal reason at once and leaves the promise running', async () => {
    const controller = new AbortController();
    let resolveIt!: (v: string) => void;
    const slow = new Promise<string>((r) => (resolveIt = r));
    const waiting = abortable(slow, controller.signal);
    const reason = new DOMException('stop', 'AbortError');
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    resolveIt('later');
    await expect(slow).resolves.toBe('later');
    await expect(abortable(Promise.resolve(1), null)).resolves.toBe(1);
  });
});
