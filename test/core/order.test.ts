// Order declarations: createClient() and explain() resolve the same chain, fills included,
// and every misorder that would change behaviour is a ConfigError naming both and the fix.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  authHeaders,
  backoff,
  baseUrl,
  createClient,
  defineMiddleware,
  explain,
  headers,
  httpErrors,
  pool,
  redirect,
  retry,
  timeout,
  userAgent,
  type Middleware,
  type MiddlewareMeta,
} from '../../src/index.ts';
import { resolveChain } from '../../src/kit/index.ts';

const ok = async () => new Response('ok');

function configError(make: () => unknown): ConfigError {
  try {
    make();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('misorders that change behaviour are ConfigErrors naming both middlewares and the fix', () => {
  it.each([
    ['backoff() in front of retry() (every wait dropped)', () => [backoff(), retry()], 'backoff: must stand after retry(): move backoff() after retry() in the middlewares'],
    [
      'httpErrors() inside retry({ statusForcelist: [503] }) (the first 503 thrown, never retried)',
      () => [retry({ statusForcelist: [503] }), httpErrors()],
      'httpErrors: must stand before retry(): move retry() after httpErrors() in the middlewares',
    ],
    ['timeout() in front of retry() (one timer for every attempt)', () => [timeout(1_000), retry()], 'timeout: must stand after retry(): move timeout() after retry() in the middlewares'],
    ['timeout() in front of backoff() (the timer runs during the wait)', () => [retry(), timeout(1_000), backoff()], 'timeout: must stand after backoff(): move timeout() after backoff() in the middlewares'],
    ['timeout() in front of redirect() (one timer for every hop)', () => [timeout({ read: 1_000 }), redirect()], 'timeout: must stand after redirect(): move timeout() after redirect() in the middlewares'],
    ['a blocking pool() in front of retry() (a slot held across retries)', () => [pool({ block: true }), retry()], 'pool: must stand after retry(): move pool() after retry() in the middlewares'],
    ['a blocking pool() in front of timeout() (queueing escapes the timer)', () => [pool({ block: true }), timeout(1_000)], 'pool: must stand after timeout(): move pool() after timeout() in the middlewares'],
  ])('%s', (_, middlewares, message) => {
    const fromClient = configError(() => createClient(middlewares()));
    expect(fromClient.message).toBe(message);
    expect(fromClient.option).toBe('middlewares');
    expect(configError(() => explain(middlewares())).message).toBe(message);
  });

  it('accepts the README order and both orders of retry() and redirect()', () => {
    const readme = () => [httpErrors(), retry(), backoff(), baseUrl('https://h/'), headers({ a: 'b' }), authHeaders({ 'x-api-key': 'k1234' }), userAgent('ua/1'), redirect(), timeout(1_000), pool({ block: true })];
    expect(() => createClient(readme())).not.toThrow();
    expect(() => createClient([retry(), backoff(), redirect()])).not.toThrow();
    expect(() => createClient([redirect(), retry(), backoff()])).not.toThrow();
  });

  it('lets order-free middlewares stand anywhere: a no-op timeout(null) or a non-blocking pool() declares nothing', () => {
    expect(() => createClient([timeout(null), pool(), retry(), backoff()])).not.toThrow();
  });
});

describe('explain() shows the chain that runs', () => {
  it('adds redirect() for authHeaders() where the order allows, and the client runs exactly that chain', async () => {
    expect(explain([authHeaders({ 'x-api-key': 'k1234' })]).order.map((m) => m.name)).toEqual(['authHeaders', 'redirect']);
    expect(explain([authHeaders({ 'x-api-key': 'k1234' }), timeout(1_000), pool({ block: true })]).order.map((m) => m.name)).toEqual([
      'authHeaders',
      'redirect',
      'timeout',
      'pool',
    ]);
    // What the added redirect() does: the custom credential does not follow a hop to another origin.
    const seen: Array<string | null> = [];
    const fetch = async (input: string | URL | Request, init?: RequestInit) => {
      seen.push(new Headers(init?.headers).get('x-api-key'));
      return String(input).startsWith('http://a.example')
        ? new Response(null, { status: 302, headers: { location: 'http://b.example/' } })
        : new Response('ok');
    };
    await createClient([authHeaders({ 'x-api-key': 'k1234' })], { fetch })('http://a.example/');
    expect(seen).toEqual(['k1234', null]);
  });

  it('refuses a need that nothing provides and no fill supplies, naming both', () => {
    const lonely = defineMiddleware((request, next) => next(request), { name: 'lonely', needs: ['helper'] });
    expect(configError(() => createClient([lonely])).message).toBe('lonely: needs helper() in the middlewares: add helper() to them');
  });

  // Spies with random declarations: whatever they declare, createClient() and explain() agree,
  // either on the same ConfigError or on the order in which a call enters the middlewares.
  it('agrees with what runs for any declarations of after, before, needs and fills', async () => {
    const NAMES = ['a', 'b', 'c', 'd', 'e'];
    const declaration = fc.record(
      {
        after: fc.subarray(NAMES, { maxLength: 2 }),
        before: fc.subarray(NAMES, { maxLength: 2 }),
        needs: fc.subarray(['f', 'g'], { maxLength: 1 }),
        provides: fc.subarray(['cap'], { maxLength: 1 }),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom(...NAMES), declaration), { maxLength: 5 }), async (specs) => {
        const entered: string[] = [];
        const spy = (meta: MiddlewareMeta): Middleware =>
          defineMiddleware(function spy(request, next) {
            entered.push(meta.name);
            return next(request);
          }, meta);
        const fills = { f: () => spy({ name: 'f', after: ['cap'] }), g: () => spy({ name: 'g', before: ['a'] }) };
        const make = () => specs.map(([name, d]) => spy({ name, ...d, fills }));
        let planned: string[] | ConfigError;
        try {
          planned = explain(make()).order.map((m) => m.name);
        } catch (error) {
          planned = error as ConfigError;
        }
        if (planned instanceof Error) {
          expect(planned).toBeInstanceOf(ConfigError);
          expect(() => createClient(make())).toThrow(planned.message);
          return;
        }
        await createClient(make(), { fetch: ok })('http://h/x');
        expect(entered).toEqual(planned);
        // And the chain it resolved keeps every declared rule.
        const chain = resolveChain(make());
        chain.forEach((m, at) => {
          for (const x of m.meta?.after ?? []) {
            const first = chain.findIndex((o, i) => i !== at && (o.meta?.name === x || o.meta?.provides?.includes(x)));
            expect(first === -1 || first < at).toBe(true);
          }
          for (const x of m.meta?.before ?? []) {
            const last = chain.findLastIndex((o, i) => i !== at && (o.meta?.name === x || o.meta?.provides?.includes(x)));
            expect(last === -1 || last > at).toBe(true);
          }
        });
      }),
    );
  });
});
