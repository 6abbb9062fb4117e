import { createClient, defineMiddleware, type Middleware } from '../../src/index.ts';

/** A client that sends a call through `middlewares` and records the headers the rest of the chain saw. */
export function through(middlewares: Middleware[]) {
  const seen: Headers[] = [];
  const capture = defineMiddleware(async (request) => {
    seen.push(request.headers);
    return new Response('ok');
  }, { name: 'capture' });
  return { seen, client: createClient([...middlewares, capture]) };
}
