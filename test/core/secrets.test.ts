// The call's and the client's secrets: what registerSecret() and the sensitiveHeaders option
// accept, what they mask and for whom, and that nothing a user holds lists the secrets.
import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  createClient,
  defineMiddleware,
  isMaskedError,
  redirect,
  registerSecret,
  type FetchFunction,
  type FetchpipeEvent,
  type FetchpipeRequest,
} from '../../src/index.ts';
import { percentEncode, secretForms } from '../../src/core/secret-forms.ts';

const failing = (text: () => string): FetchFunction => async () => {
  throw new Error(text());
};

async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as Error,
  );
}

describe('registerSecret', () => {
  it('masks a value registered for the call in what that call reports, and only there', async () => {
    const token = 'rt-4f9a-refreshed';
    let register = true;
    const refresh = defineMiddleware((request, next) => {
      if (register) registerSecret(request, token);
      return next(request);
    }, { name: 'refresh' });
    const client = createClient([refresh], { fetch: failing(() => `rejected ${token}`) });

    expect((await rejection(client('https://h/x'))).message).toBe('rejected ...');
    register = false;
    expect((await rejection(client('https://h/x'))).message).toBe(`rejected ${token}`);
  });

  it("masks a value registered with scope 'client' in every later call of that client, and in no other client", async () => {
    const token = 'rt-client-scope-77';
    let register = true;
    const refresh = defineMiddleware((request, next) => {
      if (register) registerSecret(request, token, { scope: 'client' });
      register = false;
      return next(request);
    }, { name: 'refresh' });
    const fetch = failing(() => `rejected ${token}`);
    const client = createClient([refresh], { fetch });
    const other = createClient([], { fetch });

    await rejection(client('https://h/first'));
    expect((await rejection(client('https://h/later'))).message).toBe('rejected ...');
    expect((await rejection(other('https://h/later'))).message).toBe(`rejected ${token}`);
  });

  it('refuses what is not a request value, a string or a known scope, with a ConfigError naming the argument', () => {
    let request: FetchpipeRequest | undefined;
    const capture = createClient([defineMiddleware(async (r) => ((request = r), new Response('ok')), { name: 'capture' })]);
    return capture('https://h/').then(() => {
      const r = request!;
      const cases: Array<[() => void, string]> = [
        [() => registerSecret({} as FetchpipeRequest, 'x'), 'registerSecret: request: expected the request value a middleware received'],
        [() => registerSecret(null as unknown as FetchpipeRequest, 'x'), 'registerSecret: request: expected the request value a middleware received'],
        [() => registerSecret(r, 42 as unknown as string), 'registerSecret: value: expected a string, received number'],
        [() => registerSecret(r, 'x', { scope: 'global' as 'call' }), `registerSecret: scope: expected 'call' or 'client', received "global"`],
        [() => registerSecret(r, 'x', { scop: 'call' } as { scope?: 'call' }), 'registerSecret: scop: unknown option'],
        [() => registerSecret(r, 'x', 'call' as unknown as { scope?: 'call' }), 'registerSecret: options: expected an options object'],
      ];
      for (const [call, message] of cases) {
        expect(call).toThrow(ConfigError);
        expect(call).toThrow(message);
      }
    });
  });
});

describe('sensitive headers', () => {
  it('masks a header named in sensitiveHeaders whoever set it', async () => {
    const client = createClient([], { fetch: failing(() => 'rejected sess-8d1c-xyz'), sensitiveHeaders: ['X-Session'] });
    const error = await rejection(client('https://h/x', { headers: { 'x-session': 'sess-8d1c-xyz' } }));
    expect(error.message).toBe('rejected ...');
  });

  it('strips a sensitiveHeaders header when a redirect leaves the origin, and keeps it on the origin', async () => {
    const seen: Array<[string, string | null]> = [];
    const fetch: FetchFunction = async (input, init) => {
      const url = String(input);
      seen.push([url, new Headers(init?.headers).get('x-session')]);
      if (url.endsWith('/start')) return new Response(null, { status: 302, headers: { location: 'https://h/same' } });
      if (url.endsWith('/same')) return new Response(null, { status: 302, headers: { location: 'https://other.example/away' } });
      return new Response('ok');
    };
    const client = createClient([redirect()], { fetch, sensitiveHeaders: ['X-Session'] });
    await (await client('https://h/start', { headers: { 'x-session': 'sess-1' } })).text();
    expect(seen).toEqual([
      ['https://h/start', 'sess-1'],
      ['https://h/same', 'sess-1'],
      ['https://other.example/away', null],
    ]);
  });

  it('refuses a sensitiveHeaders option that is not a list of header names', () => {
    expect(() => createClient([], { sensitiveHeaders: 'x-session' as unknown as string[] })).toThrow(
      'createClient: sensitiveHeaders: expected an array of header names, received "x-session"',
    );
    expect(() => createClient([], { sensitiveHeaders: ['ok', 'bad name'] })).toThrow(
      'createClient: sensitiveHeaders.1: expected a valid header name (RFC 9110 token), received "bad name"',
    );
    expect(() => createClient([], { sensitiveHeaders: [1 as unknown as string] })).toThrow(ConfigError);
  });

  it('masks the start event URL with credentials in every form the URL parser accepts', async () => {
    for (const url of ['http://robot:pw-9x7@h/x', 'http:robot:pw-9x7@h/x', 'http:/robot:pw-9x7@h/x', 'http:\\\\robot:pw-9x7@h/x', 'http://robot:pw-9\t x7@h/x']) {
      const events: FetchpipeEvent[] = [];
      const client = createClient([], { fetch: async () => new Response('ok'), onEvent: (event) => events.push(event) });
      await (await client(url)).text();
      const start = events.find((event) => event.type === 'start')!;
      expect(start.url, url).not.toContain('pw-9');
      expect(start.url, url).not.toContain('robot');
    }
  });
});

describe('URL credentials', () => {
  it('sends userinfo with a malformed escape as Basic credentials as it stands, instead of failing with URIError', async () => {
    let authorization: string | null = null;
    const client = createClient([], { fetch: async (_input, init) => ((authorization = new Headers(init?.headers).get('authorization')), new Response('ok')) });
    await (await client('http://a%E0:b@h/x')).text();
    expect(authorization).toBe(`Basic ${btoa('a%E0:b')}`);
  });
});

describe('the list of secrets', () => {
  it('is not reachable by enumeration from a request value a middleware attached to its error', async () => {
    const key = 'k-enumerate-me-123';
    const attach = defineMiddleware(async (request) => {
      // Frozen, so that it cannot be rewritten in place: the client replaces it.
      throw Object.freeze(Object.assign(new Error('failed'), { request }));
    }, { name: 'attach' });
    const client = createClient([attach], { sensitiveHeaders: ['x-key'] });
    const error = await rejection(client('https://h/x', { headers: { 'x-key': key } }));

    expect(isMaskedError(error)).toBe(true);
    for (const text of [inspect(error, { depth: Infinity }), JSON.stringify(error), String(error.stack)]) expect(text).not.toContain(key);
  });

  it('prints as an empty object, with no own keys', async () => {
    let request: FetchpipeRequest | undefined;
    const client = createClient([defineMiddleware(async (r) => ((request = r), new Response('ok')), { name: 'capture' })], {
      sensitiveHeaders: ['x-key'],
    });
    await client('https://robot:pw-42-secret@h/x', { headers: { 'x-key': 'k-hidden-456' } });
    const { masker } = request!.context;
    expect(Reflect.ownKeys(masker)).toEqual([]);
    expect(JSON.stringify(masker)).toBe('{}');
    const shown = inspect(request!.context, { depth: Infinity, showHidden: true });
    expect(shown).not.toContain('k-hidden-456');
    expect(shown).not.toContain('pw-42-secret');
  });
});

describe('encoded forms', () => {
  it("masks a registered secret in every WHATWG percent-encode set, as a Location header would carry it ('→%27)", async () => {
    const secret = "o'Brien tok/en?#";
    const events: FetchpipeEvent[] = [];
    const location = `https://other.example/next?q=${percentEncode(secret, ' "#<>\'')}`;
    const fetch: FetchFunction = async (input) =>
      String(input).includes('other.example') ? new Response('ok') : new Response(null, { status: 302, headers: { location } });
    const refresh = defineMiddleware((request, next) => (registerSecret(request, secret), next(request)), { name: 'refresh' });
    const client = createClient([refresh, redirect()], { fetch, onEvent: (event) => events.push(event) });
    await (await client('https://h/start')).text();

    const redirected = events.find((event) => event.type === 'redirect')!;
    expect(location).toContain('%27');
    expect(redirected.location).toBe('https://other.example/next?q=...');
  });

  it('gives every secret its forms: whole, each percent-encode set, form-encoded, JSON, without its scheme, a Basic token decoded', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 20 }), (credential) => {
        fc.pre(credential.trim() === credential && !/^\.+$/.test(credential) && !/\s/.test(credential));
        const forms = secretForms(`Token ${credential}`);
        for (const form of [credential, encodeURIComponent(credential), JSON.stringify(credential).slice(1, -1)]) expect(forms).toContain(form);
      }),
    );
    const basic = secretForms(`Basic ${btoa('robot:pa55-w0rd')}`);
    expect(basic).toEqual(expect.arrayContaining(['robot:pa55-w0rd', 'pa55-w0rd', 'robot']));
    expect(secretForms('a b')).toContain('a+b');
    expect(secretForms('...')).toEqual([]);
  });
});

describe('a token set by a ky beforeRequest hook (ky’s FAQ recipe for auth)', () => {
  it('is masked in what the client rejects with, though the client was never told about it', async () => {
    const token = 'ky-hook-t0ken-9d2';
    const { default: ky } = await import('ky');
    let sent: string | null = null;
    const echo: FetchFunction = async (input, init) => {
      sent = new Headers(init?.headers).get('authorization');
      throw new TypeError(`refused ${String(input)} ${JSON.stringify([...new Headers(init?.headers)])}`);
    };
    let rejected: unknown;
    const client = createClient([], { fetch: echo });
    const api = ky.create({
      fetch: (input, init) => client(input, init).catch((error: unknown) => ((rejected = error), Promise.reject(error))),
      retry: 0,
      hooks: { beforeRequest: [({ request }) => request.headers.set('Authorization', `Bearer ${token}`)] },
    });
    await api.get('https://h/x').text().catch(() => {});
    expect(sent).toBe(`Bearer ${token}`);
    expect(rejected).toBeInstanceOf(TypeError);
    for (const text of [String(rejected), (rejected as Error).stack, inspect(rejected, { depth: Infinity })]) expect(text).not.toContain(token);
  });
});
