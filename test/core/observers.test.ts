// A failing observer never fails, loses or delays the call it observes (issue #14 §6): an
// onEvent listener or a logger() sink that throws, rejects (async), or never settles.
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backoff, createClient, logger, retry, type FetchFunction } from '../../src/index.ts';

type Failure = 'throws' | 'throws a string' | 'rejects' | 'never settles' | 'thenable that throws';

/** An observer that fails in the given way, counting its calls. */
function failing(failure: Failure) {
  const seen = { calls: 0 };
  const observer = (): unknown => {
    seen.calls++;
    switch (failure) {
      case 'throws':
        throw new Error('observer broke');
      case 'throws a string':
        throw 'observer broke';
      case 'rejects':
        return Promise.reject(new Error('observer rejected'));
      case 'never settles':
        return new Promise(() => {});
      case 'thenable that throws':
        return { then: () => { throw new Error('bad thenable'); } };
    }
  };
  return { observer: observer as () => void, seen };
}

const failures = fc.constantFrom<Failure>('throws', 'throws a string', 'rejects', 'never settles', 'thenable that throws');

/** A fetch that plays `steps` in order (a status, or 'network' for a failure), then 200. */
function scripted(steps: ReadonlyArray<number | 'network'>): FetchFunction {
  let call = 0;
  return async () => {
    const step = steps[call++] ?? 200;
    if (step === 'network') throw new TypeError('fetch failed');
    return new Response(`body ${call}`, { status: step });
  };
}

let unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeEach(() => {
  unhandled = [];
  process.on('unhandledRejection', onUnhandled);
});
afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
});

/** Lets a rejection that nobody handles reach the process's unhandledRejection event. */
const drained = () => new Promise((resolve) => setTimeout(resolve, 20));

async function settle(promise: Promise<Response>) {
  try {
    const response = await promise;
    return { status: response.status, text: await response.text() };
  } catch (error) {
    return { error: (error as Error).name };
  }
}

describe('failing observers', () => {
  it('an async onEvent listener that rejects causes no unhandled rejection after a good call', async () => {
    const client = createClient([], { fetch: scripted([]), onEvent: async () => Promise.reject(new Error('listener')) });
    expect((await client('http://h.test/x')).status).toBe(200);
    await drained();
    expect(unhandled).toEqual([]);
  });

  it('a logger sink that throws leaves a 200 a 200, and its body readable', async () => {
    const client = createClient([logger({ write: () => { throw new Error('disk full'); } })], { fetch: scripted([]) });
    const response = await client('http://h.test/x');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('body 1');
  });

  it('an async logger sink that rejects causes no unhandled rejection', async () => {
    const client = createClient([logger({ write: async () => Promise.reject(new Error('sink')) })], { fetch: scripted([]) });
    expect((await client('http://h.test/x')).status).toBe(200);
    await drained();
    expect(unhandled).toEqual([]);
  });

  it('the call ends as it would with no observer, whatever the observers do (property)', async () => {
    const step = fc.constantFrom<number | 'network'>(200, 404, 503, 'network');
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 3 }), failures, failures, async (steps, listenerFailure, sinkFailure) => {
        const middlewares = () => [retry({ total: 2, statusForcelist: [503] }), backoff({ clock: { sleep: async () => {} } })];
        const plain = await settle(createClient(middlewares(), { fetch: scripted(steps) })('http://h.test/x'));
        const listener = failing(listenerFailure);
        const sink = failing(sinkFailure);
        const observed = createClient([logger({ write: sink.observer }), ...middlewares()], {
          fetch: scripted(steps),
          onEvent: listener.observer,
        });
        expect(await settle(observed('http://h.test/x'))).toEqual(plain);
        expect(listener.seen.calls).toBeGreaterThanOrEqual(2);
        expect(sink.seen.calls).toBe(1);
        await drained();
        expect(unhandled).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });
});
