// pool()'s slot queue alone: against a model over any sequence of takes, frees and give-ups.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SlotQueue } from '../../src/middleware/pool/queue.ts';

type Op = { op: 'take'; key: string } | { op: 'free'; key: string } | { op: 'leave'; key: string; nth: number };

const KEYS = ['https://a', 'https://b', ''];
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('take' as const), key: fc.constantFrom(...KEYS) }),
  fc.record({ op: fc.constant('free' as const), key: fc.constantFrom(...KEYS) }),
  fc.record({ op: fc.constant('leave' as const), key: fc.constantFrom(...KEYS), nth: fc.nat(3) }),
);

describe('SlotQueue', () => {
  it('holds at most maxsize per origin, admits waiters in order, hands a freed slot straight on, and forgets idle origins', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.array(op, { maxLength: 60 }), (maxsize, ops) => {
        const queue = new SlotQueue(maxsize);
        // The model: holders and waiters (by id) per origin.
        const holders = new Map<string, number>();
        const waiters = new Map<string, number[]>();
        const admitted: number[] = [];
        const expectedAdmitted: number[] = [];
        const admits = new Map<number, () => void>();
        let id = 0;
        for (const step of ops) {
          const held = holders.get(step.key) ?? 0;
          const queued = waiters.get(step.key) ?? [];
          if (step.op === 'take') {
            const taken = queue.tryTake(step.key);
            expect(taken).toBe(held < maxsize);
            if (taken) holders.set(step.key, held + 1);
            else {
              const me = id++;
              const admit = () => admitted.push(me);
              admits.set(me, admit);
              expect(queue.enqueue(step.key, admit)).toBe(queued.length + 1);
              waiters.set(step.key, [...queued, me]);
            }
          } else if (step.op === 'free') {
            if (held === 0) continue; // only a holder frees
            queue.free(step.key);
            if (queued.length > 0) {
              expectedAdmitted.push(queued[0]!);
              waiters.set(step.key, queued.slice(1));
            } else holders.set(step.key, held - 1);
          } else {
            const gone = queued[step.nth];
            const left = queue.leave(step.key, gone === undefined ? () => {} : admits.get(gone)!);
            expect(left).toBe(gone !== undefined);
            if (gone !== undefined) waiters.set(step.key, queued.filter((w) => w !== gone));
          }
          for (const key of KEYS) {
            const slots = queue.origins.get(key);
            expect({ active: slots?.active ?? 0, waiting: slots?.waiting.length ?? 0 }).toEqual({ active: holders.get(key) ?? 0, waiting: (waiters.get(key) ?? []).length });
            expect(slots?.active ?? 0).toBeLessThanOrEqual(maxsize);
          }
          expect(queue.origins.size).toBe(KEYS.filter((key) => (holders.get(key) ?? 0) > 0 || (waiters.get(key) ?? []).length > 0).length);
        }
        expect(admitted).toEqual(expectedAdmitted);
      }),
    );
  });
});
