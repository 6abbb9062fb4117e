import { afterEach, describe, expect, it } from 'vitest';
import {
  ConfigError,
  HTTPError,
  authHeaders,
  baseUrl,
  createClient,
  httpErrors,
  isHTTPError,
  type FetchFunction,
  type HTTPErrorMessage,
} from '../../src/index.ts';
import { startServer, type LocalServer } from '../support/server.ts';

const answer = (status: number, body: BodyInit | null = null, init: ResponseInit = {}): FetchFunction => async () =>
  new Response(body, { status, ...init });

async function failure(promise: Promise<unknown>): Promise<HTTPError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isHTTPError(error)).toBe(true);
  return error as HTTPError;
}

// The qBraid preset's extractor: JSON `message`, `error.message`, string `error`, else the text; one final '.'.
const qbraidMessage: HTTPErrorMessage = async (response) => {
  const text = await response.text();
  let found = text;
  try {
    const json = JSON.parse(text) as { message?: unknown; error?: unknown };
    const nested = typeof json.error === 'object' && json.error !== null ? (json.error as { message?: unknown }).message : undefined;
    const pick = [json.message, nested, json.error].find((v) => typeof v === 'string' && v !== '');
    if (typeof pick === 'string') found = pick;
  } catch {
    // Not JSON: the raw text is the message.
  }
  return found === '' ? '' : `${found.replace(/\.+$/, '')}.`;
};

describe('httpErrors', () => {
  it('returns 2xx and 3xx responses untouched', async () => {
    for (const status of [200, 204, 302, 304, 399]) {
      const response = new Response(null, { status });
      const client = createClient([httpErrors()], { fetch: async () => response });
      expect(await client('http://h/x')).toBe(response);
    }
  });

  it("turns a 503 into requests' message: 503 Server Error: Service Unavailable for url", async () => {
    const client = createClient([httpErrors()], { fetch: answer(503, 'down', { statusText: 'Service Unavailable' }) });
    const error = await failure(client('http://h/api/x?y=1'));
    expect(error).toBeInstanceOf(HTTPError);
    expect(error.name).toBe('HTTPError');
    expect(error.message).toBe('503 Server Error: Service Unavailable for url: http://h/api/x?y=1');
    expect(error.status).toBe(503);
    expect(error.request).toEqual({ method: 'GET', url: 'http://h/api/x?y=1' });
  });

  it('calls a 4xx a Client Error', async () => {
    const client = createClient([httpErrors()], { fetch: answer(404, null, { statusText: 'Not Found' }) });
    expect((await failure(client('http://h/x', { method: 'delete' }))).message).toBe('404 Client Error: Not Found for url: http://h/x');
  });

  it('takes the reason from the standard table when the response has no status text (HTTP/2)', async () => {
    const client = createClient([httpErrors()], { fetch: answer(429) });
    expect((await failure(client('http://h/x'))).message).toBe('429 Client Error: Too Many Requests for url: http://h/x');
    const other = createClient([httpErrors()], { fetch: answer(599) });
    expect((await failure(other('http://h/x'))).message).toBe('599 Server Error for url: http://h/x');
  });

  it('keeps the response on the error, body unread', async () => {
    const client = createClient([httpErrors()], { fetch: answer(500, '{"message":"boom"}') });
    const error = await failure(client('http://h/x'));
    expect(await error.response.json()).toEqual({ message: 'boom' });
  });

  it('uses the message a custom extractor builds, and the response stays readable', async () => {
    const bodies = [
      ['{"message":"Job not found"}', 'Job not found.'],
      ['{"error":{"message":"Quota exceeded..."}}', 'Quota exceeded.'],
      ['{"error":"Forbidden device"}', 'Forbidden device.'],
      ['plain text failure', 'plain text failure.'],
    ] as const;
    for (const [body, expected] of bodies) {
      const client = createClient([httpErrors({ message: qbraidMessage })], { fetch: answer(400, body) });
      const error = await failure(client('http://h/x'));
      expect(error.message).toBe(expected);
      expect(await error.response.text()).toBe(body);
    }
  });

  it('falls back to the standard message when the extractor throws or returns nothing', async () => {
    for (const message of [() => { throw new Error('bad extractor'); }, async () => '', () => 42 as unknown as string]) {
      const client = createClient([httpErrors({ message })], { fetch: answer(502) });
      expect((await failure(client('http://h/x'))).message).toBe('502 Server Error: Bad Gateway for url: http://h/x');
    }
  });

  it('masks secrets in the message and the request, even placed outside authHeaders', async () => {
    const echoBody = answer(401, JSON.stringify({ message: 'token Bearer abc.def+ghi?123 is not valid for ?api_key=k3y-99 today' }));
    const client = createClient(
      [httpErrors({ message: qbraidMessage }), baseUrl('https://user-x:p4ssw0rd-x@h/api'), authHeaders({ Authorization: 'Bearer abc.def+ghi?123' }, { maskQueryParams: ['api_key'] })],
      { fetch: echoBody },
    );
    const error = await failure(client('items?api_key=k3y-99'));
    expect(error.message).toBe('token ... is not valid for ?api_key=... today.');
    // Inside baseUrl the request URL is absolute and still carries the base's credentials.
    const standard = createClient(
      [baseUrl('https://user-x:p4ssw0rd-x@h/api'), httpErrors(), authHeaders({ 'X-Key': 'k3y-k3y-k3y' }, { maskQueryParams: ['api_key'] })],
      { fetch: answer(503) },
    );
    const plain = await failure(standard('items?api_key=k3y-99'));
    expect(plain.message).toBe('503 Server Error: Service Unavailable for url: https://...@h/api/items?api_key=...');
    expect(plain.request).toEqual({ method: 'GET', url: 'https://...@h/api/items?api_key=...' });
    expect(JSON.stringify(plain)).not.toMatch(/p4ssw0rd|k3y-99/);
    expect(plain.stack).not.toMatch(/p4ssw0rd|k3y-99/);
  });

  describe('against a real local server', () => {
    let server: LocalServer | undefined;
    afterEach(async () => {
      await server?.close();
      server = undefined;
    });

    it('reports the final URL of the response and the reason phrase the server sent', async () => {
      server = await startServer((_req, res) => {
        res.statusCode = 503;
        res.end('busy');
      });
      const client = createClient([httpErrors(), baseUrl(server.url)]);
      const error = await failure(client('/jobs/7'));
      expect(error.message).toBe(`503 Server Error: Service Unavailable for url: ${server.origin}/jobs/7`);
      expect(await error.response.text()).toBe('busy');
    });
  });

  it.each([
    [{ message: 'oops' }, 'httpErrors: message: expected a function (response, request) => string, received "oops"'],
    [{ message: null }, 'httpErrors: message: expected a function (response, request) => string, received null'],
    [{ onError: () => '' }, 'httpErrors: onError: unknown option'],
    [[], 'httpErrors: options: expected an options object, received an array of 0'],
    ['strict', 'httpErrors: options: expected an options object, received "strict"'],
  ])('refuses %j with a ConfigError naming httpErrors and the option', (options, message) => {
    expect(() => httpErrors(options as never)).toThrow(ConfigError);
    expect(() => httpErrors(options as never)).toThrow(message);
  });
});
