// The page runs the sources of the package's browser build (vitest.config.ts swaps each
// `<name>.browser.ts` in, as tsdown.config.ts does): the failures a page's fetch gives map as
// on every runtime, and the server runtimes' tables are not there.
import { describe, expect, it } from 'vitest';
import { ConnectionError, InvalidURLError, createClient, mapFetchFailure, redirect } from '../../src/index.ts';

const request = { method: 'GET', url: 'https://api.example.com/v1/users' };

describe('the browser build in a page', () => {
  it("maps the page's own network failure to a ConnectionError in the read phase, the platform's error as its cause", async () => {
    const failure = await fetch('http://127.0.0.1:1/').then(
      () => undefined,
      (error: unknown) => error,
    );
    const mapped = mapFetchFailure(failure, { method: 'GET', url: 'http://127.0.0.1:1/' });
    // Port 1 is one of the Fetch standard's bad ports: the page refuses it before sending.
    expect(mapped).toBeInstanceOf(InvalidURLError);
    const network = mapFetchFailure(new TypeError('Failed to fetch'), request) as ConnectionError;
    expect(network).toBeInstanceOf(ConnectionError);
    expect(network.phase).toBe('read');
    expect(network.message).toBe('Connection failed for GET https://api.example.com/v1/users');
  });

  it("leaves out the server runtimes' code tables: an ECONNREFUSED code, which no page's fetch gives, maps by its message alone", () => {
    const coded = Object.assign(new TypeError('fetch failed'), { code: 'ECONNREFUSED' });
    const mapped = mapFetchFailure(coded, request) as ConnectionError;
    expect(mapped).toBeInstanceOf(ConnectionError);
    // On Node, Deno and Bun the same error is a 'connect'-phase "Cannot connect".
    expect(mapped.phase).toBe('read');
    expect(mapped.message).toBe('Connection failed for GET https://api.example.com/v1/users (ECONNREFUSED)');
  });

  it("leaves out redirect()'s hop-by-hop following, which no page's fetch can use: a visible 3xx, which only a custom fetch gives here, is handed back", async () => {
    const seen: string[] = [];
    const client = createClient([redirect()], {
      fetch: async (input, init) => {
        seen.push(`${String(input)} ${init?.redirect}`);
        return new Response(null, { status: 302, headers: { location: '/elsewhere' } });
      },
    });
    const response = await client('https://api.example.com/start');
    // On Node, Deno and Bun, redirect() would follow to /elsewhere (and fail there on the next 302s).
    expect(response.status).toBe(302);
    expect(seen).toEqual(['https://api.example.com/start manual']);
  });
});
