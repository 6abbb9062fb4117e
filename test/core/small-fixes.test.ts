// Three small promises of issue #14 §6, each pinned: a symbol key in a header record is a
// ConfigError; `client(request, { body: null })` keeps the Request's body, as fetch does; a
// custom terminal fetch may change the init it receives.
import fc from 'fast-check';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, authHeaders, createClient, headers, type FetchFunction } from '../../src/index.ts';
import { qbraid } from '../../src/presets/index.ts';

let server: Server;
let origin = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => res.end(`${req.method} [${Buffer.concat(chunks).toString()}]`));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('a symbol key in a header record', () => {
  const factories = {
    headers: (init: Record<PropertyKey, string>) => headers(init as Record<string, string>),
    authHeaders: (init: Record<PropertyKey, string>) => authHeaders(init as Record<string, string>),
    'qbraid headers': (init: Record<PropertyKey, string>) => qbraid({ headers: init as Record<string, string> }),
    'qbraid authHeaders': (init: Record<PropertyKey, string>) => qbraid({ authHeaders: init as Record<string, string> }),
  };
  it('is a ConfigError naming the factory, with or without string keys beside it (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(factories) as Array<keyof typeof factories>)),
        fc.string({ maxLength: 8 }),
        fc.dictionary(fc.stringMatching(/^[a-z][a-z-]{0,8}$/), fc.constant('v'), { maxKeys: 3 }),
        (name, description, strings) => {
          const init = { ...strings, [Symbol(description)]: 'value' };
          let error: unknown;
          try {
            factories[name](init);
          } catch (caught) {
            error = caught;
          }
          expect(error).toBeInstanceOf(ConfigError);
          expect((error as Error).message).toMatch(/^(headers|authHeaders|qbraid): .*string header names only \(a symbol key was given\)/);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('is a ConfigError even when the symbol is not enumerable (undici’s Headers reads it and throws)', () => {
    const init = Object.defineProperty({ accept: 'text/plain' }, Symbol('hidden'), { value: 'x', enumerable: false });
    expect(() => headers(init)).toThrow(ConfigError);
  });
});

describe('client(request, { body: null })', () => {
  it('keeps the Request’s body, as fetch does on Node (checked beside it)', async () => {
    const request = () => new Request(`${origin}/`, { method: 'POST', body: 'from the request' });
    const platform = await (await fetch(request(), { body: null })).text();
    const client = createClient([]);
    expect(await (await client(request(), { body: null })).text()).toBe(platform);
    expect(platform).toBe('POST [from the request]');
  });

  it('still lets a non-null body on the call replace it', async () => {
    const client = createClient([]);
    const response = await client(new Request(`${origin}/`, { method: 'POST', body: 'from the request' }), { body: 'from the call' });
    expect(await response.text()).toBe('POST [from the call]');
  });
});

describe('a custom terminal fetch', () => {
  it('may change the headers and fields of the init it receives, call after call, without touching the next call', async () => {
    const seen: Array<[string, string][]> = [];
    const signing: FetchFunction = async (input, init = {}) => {
      const own = init.headers as Headers;
      own.set('x-signature', `sig-${seen.length}`);
      own.delete('x-drop');
      init.method = 'PUT';
      seen.push([...own]);
      return new Response(init.method);
    };
    const client = createClient([headers({ 'x-default': 'd', 'x-drop': 'gone' })], { fetch: signing });
    expect(await (await client('http://h.test/a')).text()).toBe('PUT');
    expect(await (await client('http://h.test/b', { headers: { 'x-call': 'c' } })).text()).toBe('PUT');
    expect(await (await client('http://h.test/c')).text()).toBe('PUT');
    expect(seen).toEqual([
      [['x-default', 'd'], ['x-signature', 'sig-0']],
      [['x-call', 'c'], ['x-default', 'd'], ['x-signature', 'sig-1']],
      [['x-default', 'd'], ['x-signature', 'sig-2']],
    ]);
  });
});
