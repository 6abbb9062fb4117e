// The kit's promises on every runtime: the error brand and `retryable`, slots, order checks and
// custom events behave the same on Node, Deno, Bun and Chromium. Property-tested with fast-check.
import fc from 'fast-check';
import {
  ConfigError,
  FetchpipeError,
  authHeaders,
  backoff,
  callKey,
  createClient,
  defineEvents,
  defineMiddleware,
  isFetchpipeError,
  retry,
  type FetchpipeEvent,
  type Retryable,
} from '../../../src/index.ts';
import type { Case } from './cases.ts';

const ok = async () => new Response('ok');

export const kitCases: readonly Case[] = [
  {
    name: 'kit: a subclass of FetchpipeError keeps the brand under any name, and retry() retries it only as its retryable says',
    async run({ assert }) {
      await fc.assert(
        fc.asyncProperty(fc.string(), fc.constantFrom<Retryable>(false, 'connect', 'other'), async (name, retryable) => {
          class Own extends FetchpipeError {
            override name = name;
            override readonly retryable = retryable;
          }
          let entered = 0;
          const failing = defineMiddleware(async () => {
            entered++;
            throw new Own('no');
          }, { name: 'failing' });
          const error = await createClient([retry({ total: 2 }), failing], { fetch: ok })('http://h/x').then(
            () => undefined,
            (e: unknown) => e,
          );
          assert.ok(isFetchpipeError(error) && isFetchpipeError(new Own('x')), 'branded');
          assert.equal(entered, retryable === false ? 1 : 3);
        }),
        { numRuns: 30 },
      );
    },
  },
  {
    name: 'kit: slots keep the last value per key within a call and nothing between calls',
    async run({ assert }) {
      const keys = [0, 1, 2].map((n) => callKey<number>(`kit.k${n}`));
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer()), { maxLength: 10 }), async (writes) => {
          const reads: Array<Array<number | undefined>> = [];
          const probe = defineMiddleware((request, next) => {
            reads.push(keys.map((key) => request.context.get(key)));
            for (const [key, value] of writes) request.context.set(keys[key]!, value);
            reads.push(keys.map((key) => request.context.get(key)));
            return next(request);
          }, { name: 'probe' });
          const client = createClient([probe], { fetch: ok });
          await client('http://h/a');
          await client('http://h/b');
          const last = keys.map((_, index) => writes.filter(([key]) => key === index).at(-1)?.[1]);
          assert.deepEqual(reads, [[undefined, undefined, undefined], last, [undefined, undefined, undefined], last]);
        }),
        { numRuns: 30 },
      );
    },
  },
  {
    name: 'kit: a misorder is a ConfigError naming both, and custom events arrive masked',
    async run({ assert }) {
      let message = '';
      try {
        createClient([backoff(), retry()]);
      } catch (error) {
        assert.ok(error instanceof ConfigError, 'a ConfigError');
        message = (error as Error).message;
      }
      assert.equal(message, 'backoff: must stand after retry(): move backoff() after retry() in the middlewares');
      const events = defineEvents<{ 'kit.note': { text: string } }>();
      const seen: FetchpipeEvent[] = [];
      const noting = defineMiddleware((request, next) => (events.emit(request, 'kit.note', { text: 'sent tok-123456789' }), next(request)), { name: 'noting' });
      await createClient([authHeaders({ 'x-api-key': 'tok-123456789' }), noting], { fetch: ok, onEvent: (e) => seen.push(e) })('http://h/x');
      const note = seen.find((e) => events.is(e, 'kit.note'));
      assert.equal(note && events.is(note, 'kit.note') ? note.text : undefined, 'sent ...');
    },
  },
];
