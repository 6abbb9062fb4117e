import { describe, expect, it } from 'vitest';
import { ConfigError, authHeaders, headers } from '../../src/index.ts';
import { through } from '../support/capture.ts';

describe('headers', () => {
  it('adds default headers to a call that gave none', async () => {
    const { seen, client } = through([headers({ Accept: 'application/json', 'X-Trace': 'on' })]);
    await client('http://h/x');
    expect(Object.fromEntries(seen[0]!)).toEqual({ accept: 'application/json', 'x-trace': 'on' });
  });

  it('lets a header given on the call win over the default', async () => {
    const { seen, client } = through([headers({ Accept: 'application/json', 'X-Trace': 'on' })]);
    await client('http://h/x', { headers: { accept: 'text/plain' } });
    expect(seen[0]!.get('accept')).toBe('text/plain');
    expect(seen[0]!.get('x-trace')).toBe('on');
  });

  it('accepts an array of pairs and a Headers, as fetch does', async () => {
    const { seen, client } = through([headers([['X-A', '1'], ['X-B', '2']]), headers(new Headers({ 'X-C': '3' }))]);
    await client('http://h/x');
    expect(Object.fromEntries(seen[0]!)).toEqual({ 'x-a': '1', 'x-b': '2', 'x-c': '3' });
  });

  it('reuses one precomputed read-only Headers for every call without headers of its own', async () => {
    const { seen, client } = through([headers({ Accept: 'application/json' })]);
    await client('http://h/x');
    await client('http://h/y', { method: 'POST', body: 'x' });
    expect(seen[0]).toBe(seen[1]);
    expect(() => seen[0]!.set('accept', 'x')).toThrow(TypeError);
  });

  it('does not change the headers object the caller passed', async () => {
    const own = new Headers({ 'X-Own': '1' });
    const { seen, client } = through([headers({ Accept: 'application/json' })]);
    await client('http://h/x', { headers: own });
    expect([...own]).toEqual([['x-own', '1']]);
    expect(seen[0]!.get('accept')).toBe('application/json');
  });

  it('yields to authHeaders on a clash, in either order', async () => {
    for (const order of [
      [headers({ Authorization: 'default' }), authHeaders({ Authorization: 'Bearer t0ken-value' })],
      [authHeaders({ Authorization: 'Bearer t0ken-value' }), headers({ Authorization: 'default' })],
    ]) {
      const { seen, client } = through(order);
      await client('http://h/x');
      expect(seen[0]!.get('authorization')).toBe('Bearer t0ken-value');
    }
  });

  it('describes itself for explain() with the lower-cased defaults', () => {
    expect(headers({ Accept: 'application/json' }).meta).toMatchObject({ name: 'headers', options: { init: { accept: 'application/json' } } });
  });

  it.each([
    [42, 'headers: init: expected an object of header names to string values, an array of [name, value] pairs or a Headers, received 42'],
    ['Accept: x', 'headers: init: expected an object of header names to string values, an array of [name, value] pairs or a Headers, received "Accept: x"'],
    [null, 'headers: init: expected an object of header names to string values, an array of [name, value] pairs or a Headers, received null'],
    [{ Accept: 1 }, 'headers: init.Accept: expected a string, received 1'],
    [{ 'X-A': 'a\r\nInjected: 1' }, 'headers: init.X-A: expected a header value without CR, LF or NUL, received "a\\r\\nInjected: 1"'],
    [{ 'X-A': 'a\0b' }, 'headers: init.X-A: expected a header value without CR, LF or NUL'],
    [{ 'bad name': 'x' }, 'headers: init.bad name: expected the key to be a valid header name (RFC 9110 token)'],
    [[['X-A']], 'headers: init.0: expected a [name, value] pair, received an array of 1'],
    [[['X-A', 1]], 'headers: init.0.1: expected a string, received 1'],
    [[['bad:name', 'x']], 'headers: init.0.0: expected a valid header name (RFC 9110 token), received "bad:name"'],
    [[['X-A', 'a\nb']], 'headers: init.0.1: expected a header value without CR, LF or NUL'],
  ])('refuses %j with a ConfigError naming headers and the option', (init, message) => {
    expect(() => headers(init as Record<string, string>)).toThrow(ConfigError);
    expect(() => headers(init as Record<string, string>)).toThrow(message);
  });
});
