// The pure rules beside redirect(): requests' rebuild_method, the body and credential drops of
// resolve_redirects / rebuild_auth, and what a platform that hides redirects would forward.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { credentialsPlatformForwards, isHiddenRedirect, isSafeMethod } from '../../src/middleware/redirect/platform.ts';
import { CREDENTIAL_HEADERS, CUSTOM_CREDENTIAL_HEADERS, REDIRECT_STATUSES, hopHeaders, keepsBody, rebuildMethod } from '../../src/middleware/redirect/rebuild.ts';
import { shouldStripAuth } from '../../src/middleware/redirect/strip-auth.ts';

const status = fc.constantFrom(...REDIRECT_STATUSES);
const method = fc.oneof(fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'), fc.stringMatching(/^[A-Z]{1,8}$/));
const token = fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/);
const origin = fc.constantFrom('http://h', 'https://h', 'http://h:8080', 'http://other', 'https://other:8443', 'http://H');
const url = fc.tuple(origin, fc.stringMatching(/^[a-z0-9/]{0,10}$/)).map(([o, p]) => `${o}/${p}`);
const BODY_HEADERS = ['content-type', 'content-length', 'transfer-encoding'];

describe('rebuildMethod (requests\' rebuild_method)', () => {
  it('303 and 302 make GET of every method but HEAD; 301 makes GET of POST only; 307 and 308 change nothing', () => {
    fc.assert(
      fc.property(status, method, (s, m) => {
        const next = rebuildMethod(s, m);
        if (m === 'HEAD' || s === 307 || s === 308) return next === m;
        if (s === 302 || s === 303) return next === 'GET';
        return next === (m === 'POST' ? 'GET' : m);
      }),
    );
  });

  it('keeps the body only on 307 and 308', () => {
    fc.assert(fc.property(fc.integer({ min: 300, max: 399 }), (s) => keepsBody(s) === (s === 307 || s === 308)));
  });
});

describe('hopHeaders', () => {
  const headerSet = fc.uniqueArray(fc.oneof(token, fc.constantFrom(...CREDENTIAL_HEADERS, ...BODY_HEADERS, 'x-api-key', 'accept')), { maxLength: 8 });

  it('drops every credential (X-API-Key included, wherever it was set) and declared auth name when the hop changes origin, the body headers unless 307/308, and nothing else', () => {
    fc.assert(
      fc.property(headerSet, fc.uniqueArray(token, { maxLength: 3 }), status, url, url, (names, declared, s, from, to) => {
        const headers = new Headers(names.map((name) => [name, `v-${name}`]));
        const { headers: out, stripped } = hopHeaders(headers, { status: s, from, to, authHeaderNames: declared });
        const crossOrigin = shouldStripAuth(from, to);
        for (const name of names) {
          const credential = CREDENTIAL_HEADERS.includes(name) || CUSTOM_CREDENTIAL_HEADERS.includes(name) || declared.includes(name);
          const body = BODY_HEADERS.includes(name);
          const expected = !((crossOrigin && credential) || (body && !keepsBody(s)));
          expect(out.has(name), `${name} from ${from} to ${to} after ${s}`).toBe(expected);
          if (expected) expect(out.get(name)).toBe(`v-${name}`);
          expect(stripped.includes(name)).toBe(crossOrigin && credential);
        }
      }),
    );
  });

  it('treats a hop whose origin is unknown as leaving it', () => {
    const { stripped } = hopHeaders(new Headers({ authorization: 'a', 'x-api-key': 'k' }), {
      status: 302,
      from: undefined,
      to: 'http://h/x',
      authHeaderNames: ['x-api-key'],
    });
    expect(stripped.sort()).toEqual(['authorization', 'x-api-key']);
  });
});

describe('what a platform that hides redirects would do', () => {
  it('reads a hidden redirect from the response type alone', () => {
    const opaque = new Response(null);
    Object.defineProperty(opaque, 'type', { value: 'opaqueredirect' });
    expect(isHiddenRedirect(opaque)).toBe(true);
    for (const type of ['basic', 'cors', 'default', 'error', 'opaque'] as const) {
      const response = new Response(null, { status: 302, headers: { location: '/x' } });
      Object.defineProperty(response, 'type', { value: type });
      expect(isHiddenRedirect(response)).toBe(false);
    }
  });

  it('names every declared auth header and X-API-Key it would forward, never those it strips or forbids itself', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.oneof(token, fc.constantFrom(...CREDENTIAL_HEADERS)), { maxLength: 5 }), fc.boolean(), (declared, withKey) => {
        const headers = new Headers(withKey ? { 'x-api-key': 'k' } : {});
        const names = credentialsPlatformForwards(headers, new Set(declared));
        for (const name of CREDENTIAL_HEADERS) expect(names).not.toContain(name);
        for (const name of declared) if (!CREDENTIAL_HEADERS.includes(name)) expect(names).toContain(name);
        expect(names.includes('x-api-key')).toBe(withKey || declared.includes('x-api-key'));
      }),
    );
  });

  it('sends again to learn only safe methods (RFC 9110 §9.2.1)', () => {
    fc.assert(fc.property(method, (m) => isSafeMethod(m) === ['GET', 'HEAD', 'OPTIONS', 'TRACE'].includes(m)));
  });
});
