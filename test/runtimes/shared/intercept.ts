// msw for Node, Deno and Bun alike. msw/node's setupServer does not see Deno's or Bun's
// native fetch; `defineNetwork` with the web FetchInterceptor patches `globalThis.fetch`,
// which every runtime uses. Interception is on only while a case has handlers installed,
// so the real-server cases meet each runtime's own fetch and its own errors.
import { FetchInterceptor } from '@mswjs/interceptors/fetch/web';
import type { RequestHandler } from 'msw';
import { defineNetwork, InterceptorSource, NetworkReadyState } from 'msw/experimental';

export interface Interception {
  /** Installs handlers and turns interception on. */
  use(...handlers: RequestHandler[]): Promise<void>;
  /** Removes every handler and turns interception off. */
  reset(): Promise<void>;
}

export function interception(): Interception {
  const network = defineNetwork({
    // The web interceptor is typed against the browser build of @mswjs/interceptors, msw
    // against the Node build: the same class in two declaration files.
    sources: [new InterceptorSource({ interceptors: [new FetchInterceptor() as never] })],
    // A mocked case that reaches an unmocked URL is a broken case: fail it.
    onUnhandledFrame: 'error',
    context: { quiet: true },
  });
  return {
    async use(...handlers) {
      network.use(...handlers);
      if (network.readyState === NetworkReadyState.DISABLED) await network.enable();
    },
    async reset() {
      network.resetHandlers();
      if (network.readyState === NetworkReadyState.ENABLED) await network.disable();
    },
  };
}
