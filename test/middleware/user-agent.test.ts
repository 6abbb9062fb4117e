import { describe, expect, it } from 'vitest';
import { ConfigError, createClient, defineMiddleware, headers, userAgent, type Middleware } from '../../src/index.ts';

async function agentOf(middlewares: Middleware[], init?: RequestInit): Promise<Headers> {
  let seen: Headers | undefined;
  const capture = defineMiddleware(async (request) => {
    seen = request.headers;
    return new Response('ok');
  }, { name: 'capture' });
  await createClient([...middlewares, capture])('http://h/x', init);
  return seen!;
}

describe('userAgent', () => {
  describe("in 'set' mode (the default)", () => {
    it('sets the User-Agent of a call that gave none', async () => {
      expect((await agentOf([userAgent('my-sdk/1.0')])).get('user-agent')).toBe('my-sdk/1.0');
    });

    it('keeps the User-Agent the call gave', async () => {
      const seen = await agentOf([userAgent('my-sdk/1.0')], { headers: { 'User-Agent': 'app/2' } });
      expect(seen.get('user-agent')).toBe('app/2');
    });

    it('replaces a User-Agent from headers() defaults, in either order', async () => {
      expect((await agentOf([headers({ 'User-Agent': 'default/0' }), userAgent('my-sdk/1.0')])).get('user-agent')).toBe('my-sdk/1.0');
      expect((await agentOf([userAgent('my-sdk/1.0'), headers({ 'User-Agent': 'default/0' })])).get('user-agent')).toBe('my-sdk/1.0');
    });
  });

  describe("in 'append' mode (qBraid's add_user_agent)", () => {
    it('appends with a single space', async () => {
      const seen = await agentOf([headers({ 'User-Agent': 'qbraid-core/0.1' }), userAgent('qbraid-cli/1.0', { mode: 'append' })]);
      expect(seen.get('user-agent')).toBe('qbraid-core/0.1 qbraid-cli/1.0');
    });

    it('does not append a value that is already a substring', async () => {
      const seen = await agentOf([headers({ 'User-Agent': 'app/2 qbraid-cli/1.0 x' }), userAgent('qbraid-cli/1.0', { mode: 'append' })]);
      expect(seen.get('user-agent')).toBe('app/2 qbraid-cli/1.0 x');
    });

    it('finds a value given with surrounding spaces again, since fetch trims it', async () => {
      const seen = await agentOf([userAgent(' cli/1 ', { mode: 'append' }), userAgent(' cli/1 ', { mode: 'append' })]);
      expect(seen.get('user-agent')).toBe('cli/1');
    });

    it('uses the value alone when there is no User-Agent yet', async () => {
      expect((await agentOf([userAgent('qbraid-cli/1.0', { mode: 'append' })])).get('user-agent')).toBe('qbraid-cli/1.0');
    });

    it("appends to the call's own User-Agent and stacks with another userAgent()", async () => {
      const seen = await agentOf([userAgent('a/1'), userAgent('b/2', { mode: 'append' }), userAgent('c/3', { mode: 'append' })], {});
      expect(seen.get('user-agent')).toBe('a/1 b/2 c/3');
      const own = await agentOf([userAgent('b/2', { mode: 'append' })], { headers: { 'user-agent': 'app/9' } });
      expect(own.get('user-agent')).toBe('app/9 b/2');
    });
  });

  it('sets the fallback header to the same value, for browsers that drop User-Agent', async () => {
    const set = await agentOf([userAgent('my-sdk/1.0', { fallbackHeader: 'X-User-Agent' })]);
    expect(set.get('x-user-agent')).toBe('my-sdk/1.0');
    const appended = await agentOf([headers({ 'User-Agent': 'core/1' }), userAgent('cli/2', { mode: 'append', fallbackHeader: 'X-User-Agent' })]);
    expect(appended.get('x-user-agent')).toBe('core/1 cli/2');
  });

  it("lets the call's own fallback header win", async () => {
    const seen = await agentOf([userAgent('my-sdk/1.0', { fallbackHeader: 'X-User-Agent' })], { headers: { 'x-user-agent': 'mine' } });
    expect(seen.get('x-user-agent')).toBe('mine');
    expect(seen.get('user-agent')).toBe('my-sdk/1.0');
  });

  it('reuses one precomputed Headers for calls without headers of their own', async () => {
    const middleware = userAgent('my-sdk/1.0', { mode: 'append', fallbackHeader: 'X-User-Agent' });
    expect(await agentOf([middleware])).toBe(await agentOf([middleware]));
  });

  it.each([
    [[42], 'userAgent: value: expected a string, received 42'],
    [[''], 'userAgent: value: expected a non-empty header value, received ""'],
    [['  '], 'userAgent: value: expected a non-empty header value, received "  "'],
    [['a\r\nb'], 'userAgent: value: expected a header value without CR, LF or NUL, received "a\\r\\nb"'],
    [['a', { mode: 'add' }], 'userAgent: mode: expected "set" or "append", received "add"'],
    [['a', { mode: 1 }], 'userAgent: mode: expected "set" or "append", received 1'],
    [['a', { fallbackHeader: 'X User Agent' }], 'userAgent: fallbackHeader: expected a valid header name (RFC 9110 token), received "X User Agent"'],
    [['a', { fallbackHeader: 5 }], 'userAgent: fallbackHeader: expected a string, received 5'],
    [['a', { fallback: 'X-UA' }], 'userAgent: fallback: unknown option'],
    [['a', 'append'], 'userAgent: options: expected an options object, received "append"'],
  ])('refuses userAgent(%j) with a ConfigError naming the option', (args, message) => {
    const call = () => (userAgent as (...a: unknown[]) => Middleware)(...args);
    expect(call).toThrow(ConfigError);
    expect(call).toThrow(message);
  });
});
