// Type-level checks of the public API; `tsc` (npm run typecheck) is what enforces them.
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  createClient,
  registerSecret,
  retry,
  type FetchFunction,
  type FetchpipeRequest,
  type Middleware,
  type RetryOptions,
} from '../src/index.ts';
import { caveclient, qbraid } from '../src/presets/index.ts';

describe('public types', () => {
  it('createClient returns a function with fetch’s signature', () => {
    const client = createClient([]);
    expectTypeOf(client).toEqualTypeOf<FetchFunction>();
    expectTypeOf(client).toMatchTypeOf<(input: string | URL | Request, init?: RequestInit) => Promise<Response>>();
  });
  it('a middleware is a plain function of the request value and next', () => {
    const stamp: Middleware = (request, next) => next({ ...request, url: request.url + '?v=1' });
    expectTypeOf(stamp).parameter(0).toEqualTypeOf<FetchpipeRequest>();
    expectTypeOf<FetchpipeRequest['headers']>().toEqualTypeOf<Headers>();
    expectTypeOf<FetchpipeRequest['url']>().toEqualTypeOf<string>();
  });
  it('registerSecret has the signature middlewares code against', () => {
    expectTypeOf(registerSecret).toEqualTypeOf<(request: FetchpipeRequest, value: string, options?: { scope?: 'call' | 'client' }) => void>();
  });
  it('presets return readonly arrays of middlewares, to spread', () => {
    expectTypeOf(caveclient()).toEqualTypeOf<readonly Middleware[]>();
    expectTypeOf(qbraid()).toEqualTypeOf<readonly Middleware[]>();
    expectTypeOf(createClient([...caveclient(), retry()])).toEqualTypeOf<FetchFunction>();
  });
  it('options types come from the schemas', () => {
    expectTypeOf<RetryOptions['total']>().toEqualTypeOf<number | false | null | undefined>();
    expect(() =>
      // @ts-expect-error: an unknown option is a type error as well as a ConfigError.
      retry({ totl: 3 }),
    ).toThrow('retry: totl: unknown option');
  });
});
