import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, InvalidURLError, baseUrl, createClient, defineMiddleware, type Middleware } from '../../src/index.ts';

/** Sends `input` through `middleware` and returns the URL the rest of the chain saw. */
async function resolve(middleware: Middleware, input: string | URL | Request): Promise<string> {
  let seen = '';
  const capture = defineMiddleware(async (request) => {
    seen = request.url;
    return new Response('ok');
  }, { name: 'capture' });
  await createClient([middleware, capture])(input);
  return seen;
}

const join = (base: string, input: string | Request) => resolve(baseUrl(base), input);

describe('baseUrl', () => {
  it.each([
    ['http://h/api', 'users', 'http://h/api/users'],
    ['http://h/api/', '/users', 'http://h/api/users'],
    ['http://h/api', '//other/x', 'http://h/api/other/x'],
    ['http://h/api', 'users?x=1', 'http://h/api/users?x=1'],
    ['http://h/api', '', 'http://h/api/'],
  ])('joins SPEC §5 vector (%s, %s) into %s', async (base, input, expected) => {
    expect(await join(base, input)).toBe(expected);
  });

  it('keeps the query and the fragment of the input', async () => {
    expect(await join('http://h/api', 'users/1?x=1&y=2#top')).toBe('http://h/api/users/1?x=1&y=2#top');
    expect(await join('http://h/api', '#frag')).toBe('http://h/api/#frag');
  });

  it('resolves dot segments inside the base path', async () => {
    expect(await join('http://h/api/v1', './a/./b/../c')).toBe('http://h/api/v1/a/c');
    expect(await join('http://h/api/v1', 'a/%2e%2e/b')).toBe('http://h/api/v1/b');
    expect(await join('http://h/api/v1', 'a/..')).toBe('http://h/api/v1/');
  });

  // SPEC §5 had ('http://h/api/v1', '../x') → http://h/api/x; issue #14 requires the path to
  // stay under the base's path, so climbing out of it is refused instead (docs/RELIABILITY.md B24).
  it.each([
    '../x',
    '../../../../x',
    '/..',
    'a/../../x',
    '%2e%2e/x',
    '.%2E/x',
    '..%2fx',
    '..%2Fx',
    'a/..%2f..%2fx',
    '..%5cx',
    '..\\x',
    '..;jsessionid=1/x',
    '\uFF0E\uFF0E/x',
    '..\uFF0Fx',
    '..\uFF3Cx',
    '\u2024\u2024/x',
    '%252e%252e/x',
    '..%252fx',
    ' /../x',
    '\t../x',
  ])('refuses the input %j, which climbs above the base path, with InvalidURLError', async (input) => {
    const error = await join('http://h/api/v1', input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidURLError);
    expect((error as Error).message).toMatch(/does not stay under the base URL http:\/\/h\/api\/v1\//);
  });

  it('keeps an encoded slash inside a name (GitLab-style ids), which stays under the base', async () => {
    expect(await join('http://h/api', 'projects/group%2Fproject/issues')).toBe('http://h/api/projects/group%2Fproject/issues');
  });

  it('gives the base exactly one trailing slash however many it had', async () => {
    expect(await join('http://h/api//', 'users')).toBe('http://h/api/users');
    expect(await join('http://h', 'users')).toBe('http://h/users');
    expect(await join('https://h:8443/a/b', '///users/')).toBe('https://h:8443/a/b/users/');
  });

  it.each([
    'https://other.example/x',
    'HTTP://other.example/x',
    'mailto:someone@example.com',
    'data:text/plain,hi',
    'blob:https://h/uuid',
  ])('passes the absolute input %s through unchanged', async (input) => {
    expect(await join('http://h/api', input)).toBe(input);
  });

  it('passes a Request input (already absolute) through unchanged', async () => {
    expect(await join('http://h/api', new Request('https://other.example/x?y=1'))).toBe('https://other.example/x?y=1');
  });

  it.each([
    ['//other/x', 'http://h/api/other/x'],
    ['\\\\other\\x', 'http://h/api/other/x'],
    ['/\\other/x', 'http://h/api/other/x'],
    ['\t//other/x', 'http://h/api/other/x'],
    ['/\t/other/x', 'http://h/api/other/x'],
    [' //other/x', 'http://h/api/other/x'],
    ['/\n/other/x', 'http://h/api/other/x'],
    // Without its slashes the input reads as a URL of another scheme: it must stay a path.
    ['/https:other/x', 'http://h/api/https:other/x'],
    ['//HTTPS:other/x', 'http://h/api/HTTPS:other/x'],
    ['\\https:other/x', 'http://h/api/https:other/x'],
    ['/javascript:alert(1)', 'http://h/api/javascript:alert(1)'],
  ])('never lets the relative input %j change the host', async (input, expected) => {
    expect(await join('http://h/api', input)).toBe(expected);
  });

  it.each(['http://h/api?', 'http://h/api#', 'http://h/api?#'])('drops the empty query or fragment marker of the base %s', async (base) => {
    expect(await join(base, 'users')).toBe('http://h/api/users');
  });

  it('keeps the host for any input that has no scheme (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 30 }), async (input) => {
        const cleaned = input.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '').replace(/[\t\n\r]/g, '');
        fc.pre(!/^[a-z][a-z\d+\-.]*:/i.test(cleaned));
        const out = new URL(await join('http://h.example:81/api/', input));
        expect(out.host).toBe('h.example:81');
        expect(out.protocol).toBe('http:');
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the host when what follows the leading slashes reads as a scheme (property)', async () => {
    const slashes = fc.constantFrom('/', '//', '///', '\\', '/\\', '\\\\');
    const scheme = fc.stringMatching(/^[A-Za-z][A-Za-z0-9+.-]{0,7}:$/);
    await fc.assert(
      fc.asyncProperty(slashes, scheme, fc.string({ maxLength: 20 }), async (lead, name, rest) => {
        const out = new URL(await join('http://h.example:81/api/', lead + name + rest));
        expect(out.host).toBe('h.example:81');
        expect(out.protocol).toBe('http:');
      }),
      { numRuns: 300 },
    );
  });

  it('joins plain paths by concatenation exactly as URL resolution would (property)', async () => {
    const name = fc.stringMatching(/^[A-Za-z0-9_~-]{1,8}$/);
    const segment = fc.array(name, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('.'));
    const path = fc
      .tuple(fc.nat(3), fc.array(segment, { maxLength: 5 }), fc.boolean())
      .map(([slashes, segments, trailing]) => '/'.repeat(slashes) + segments.join('/') + (trailing && segments.length > 0 ? '/' : ''));
    const base = fc.constantFrom('http://h/api', 'https://h.example:8443/a/b/', 'http://u:p@127.0.0.1/v1//', 'https://H.EXAMPLE');
    await fc.assert(
      fc.asyncProperty(base, path, async (b, p) => {
        const root = new URL(b);
        root.pathname = root.pathname.replace(/\/+$/, '') + '/';
        expect(await join(b, p)).toBe(new URL(p.replace(/^\/+/, ''), root).href);
      }),
      { numRuns: 300 },
    );
  });

  it('accepts a URL object as the base and does not change it', async () => {
    const base = new URL('http://h/api');
    expect(await resolve(baseUrl(base), 'users')).toBe('http://h/api/users');
    expect(base.href).toBe('http://h/api');
  });

  it('puts the credentials of the base among the secrets, so they are masked', () => {
    const middleware = baseUrl('https://alice:s%40cret-pw@h/api');
    expect(middleware.meta?.secrets?.values).toEqual(expect.arrayContaining(['alice', 's%40cret-pw', 's@cret-pw']));
    expect(JSON.stringify(middleware.meta?.options)).not.toContain('cret');
  });

  it('masks the base credentials in an error thrown further down the chain', async () => {
    const echo = defineMiddleware(async (request) => {
      throw new Error(`failed on ${request.url} (pw=s@cret-pw)`);
    }, { name: 'echo' });
    const client = createClient([baseUrl('https://alice:s%40cret-pw@h/api'), echo]);
    const error = (await client('users').catch((e: unknown) => e)) as Error;
    expect(error.message).not.toContain('s@cret-pw');
    expect(error.message).not.toContain('s%40cret-pw');
    expect(error.message).toContain('https://...@h/api/users');
  });

  it.each([
    [42, 'received 42'],
    [null, 'received null'],
    ['api/v1', 'received "api/v1"'],
    ['/api/v1', 'received "/api/v1"'],
    ['ftp://h/files', 'received "ftp://h/files"'],
    ['http://', 'received "http://"'],
    ['http://h/api?key=1', 'received "http://h/api?key=1"'],
    ['http://h/api#x', 'received "http://h/api#x"'],
  ])('refuses the base %j with a ConfigError naming baseUrl and base', (base, received) => {
    expect(() => baseUrl(base as string)).toThrow(ConfigError);
    expect(() => baseUrl(base as string)).toThrow(`baseUrl: base: expected an absolute http(s) URL without query or fragment, ${received}`);
  });

  it('never prints the credentials of a bad base in the ConfigError', () => {
    expect(() => baseUrl('ftp://alice:hunter22@h/')).toThrow(/received a string of \d+ characters/);
    expect(() => baseUrl('ftp://alice:hunter22@h/')).not.toThrow(/hunter22/);
  });
});
