// The host promise of baseUrl(), attacked with generated inputs on every runtime's own URL
// parser: whatever string the caller passes, the URL handed to fetch has the base's origin and
// a path under the base's path (as sent, and as a server decoding it would read it), or the
// call fails with InvalidURLError before anything is sent.
import fc from 'fast-check';
import { authHeaders, baseUrl, createClient, defineMiddleware, isInvalidURLError, type FetchFunction } from '../../../src/index.ts';
import type { Case } from './cases.ts';

// The pieces attackers combine: separators and their encodings and look-alikes, what the URL
// parser trims or drops, dots, scheme-like prefixes, userinfo and host-like words.
const PIECES = [
  '/', '//', '\\', '\\\\', ' ', '\t', '\n', '\r', '\u0000', '\u0001', '\u001f', '\u007f',
  '%2f', '%2F', '%5c', '%5C', '%2e', '%2E', '%252f', '%252e', '.', '..', ';', ';x=1',
  'https:', 'http:', 'HTTPS:', 'javascript:', 'file:', 'evil.example', 'evil.example:81', '@', 'user:pw@',
  '?', '#', ':', 'a', 'v1', '\uFF0F', '\uFF3C', '\uFF0E', '\u2024', '\u3002', '%EF%BC%8F',
];
const hostile = fc.array(fc.constantFrom(...PIECES), { maxLength: 12 }).map((parts) => parts.join(''));
const BASES = ['http://h.example:81/api/v1', 'https://h.example/a/b/', 'http://127.0.0.1:8080', 'https://h.example/'];
const SCHEME_FIRST = /^[a-z][a-z\d+\-.]*:/i;

/**
 * The path a server reads, written independently of baseUrl's own check: decode the escapes
 * (twice, as some servers and proxies do), NFKC-normalise, read `\` as `/`, drop `;` parameters,
 * then let the URL parser resolve the dot segments.
 */
function serverPath(pathname: string): string {
  let view = pathname;
  for (let pass = 0; pass < 2; pass++) {
    view = view.replace(/(?:%[0-9a-f]{2})+/gi, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run.replace(/%([0-7][0-9a-f])/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
      }
    });
  }
  view = view.normalize('NFKC').replace(/\\/g, '/').replace(/;[^/]*/g, '').replace(/[?#%]/g, '_');
  // Appended to an origin, so that a leading `//` stays a path.
  return new URL(`http://server.invalid${view}`).pathname;
}

function rootOf(base: string): URL {
  const root = new URL(base);
  root.pathname = root.pathname.replace(/\/+$/, '') + '/';
  return root;
}

export const hostCases: readonly Case[] = [
  {
    name: 'baseUrl keeps every generated input on the base origin and under the base path, or refuses it with InvalidURLError (property)',
    async run({ assert }) {
      let sent: string[] = [];
      let passedOn: string[] = [];
      const capture: FetchFunction = async (input) => {
        sent.push(String(input));
        return new Response('ok');
      };
      // What baseUrl() handed to the rest of the chain, before the terminal moves any userinfo.
      const after = defineMiddleware((request, next) => (passedOn.push(request.url), next(request)), { name: 'after' });
      let accepted = 0;
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...BASES), hostile, async (base, input) => {
          sent = [];
          passedOn = [];
          const client = createClient([baseUrl(base), after, authHeaders({ 'X-API-Key': 'k3y' })], { fetch: capture });
          const outcome = await client(input).then(
            (response) => ({ ok: true as const, response }),
            (error: unknown) => ({ ok: false as const, error }),
          );
          if (SCHEME_FIRST.test(input)) {
            // An input that starts with a scheme is the caller's own URL (SPEC §5): kept as it is.
            assert.deepEqual(passedOn, [input]);
            return;
          }
          if (!outcome.ok) {
            assert.ok(isInvalidURLError(outcome.error), `${JSON.stringify(input)} failed with ${String(outcome.error)}`);
            assert.equal(sent.length, 0, 'nothing was sent');
            return;
          }
          accepted++;
          const root = rootOf(base);
          assert.equal(sent.length, 1);
          const url = new URL(sent[0]!);
          assert.equal(url.origin, root.origin, `${JSON.stringify(input)} was sent to ${url.href}`);
          assert.equal(url.username + url.password, '', 'no userinfo appeared');
          assert.ok(url.pathname.startsWith(root.pathname), `${JSON.stringify(input)} left the base path: ${url.href}`);
          assert.ok(serverPath(url.pathname).startsWith(serverPath(root.pathname)), `${JSON.stringify(input)} climbs out for a server: ${url.href}`);
        }),
        { numRuns: 400 },
      );
      // Not a vacuous pass: most of these strings are odd paths that are kept, not refused.
      assert.ok(accepted > 100, `only ${accepted} of 400 inputs were accepted`);
    },
  },
  {
    name: 'baseUrl refuses every way of climbing out of the base path that a server would decode',
    async run({ assert }) {
      const sent: string[] = [];
      const capture: FetchFunction = async (input) => (sent.push(String(input)), new Response('ok'));
      const client = createClient([baseUrl('http://h.example/api/v1')], { fetch: capture });
      const climbs = ['../x', '..%2fx', '..%5cx', '%2e%2e/x', '..%252fx', '..;x/y', '\uFF0E\uFF0E/x', '..\uFF0Fx', 'a/../../x', '\t/../x'];
      for (const input of climbs) {
        const error = await client(input).then(() => undefined, (e: unknown) => e);
        assert.ok(isInvalidURLError(error), `${JSON.stringify(input)} was not refused`);
      }
      assert.equal(sent.length, 0, 'nothing was sent for a refused input');
      const swaps = ['/ //evil.example/x', '/ https://evil.example/x', '\\\\evil.example\\x', '\t//evil.example', ' https://evil.example/x'];
      for (const input of swaps) await client(input);
      assert.equal(sent.length, swaps.length);
      for (const url of sent) assert.match(url, /^http:\/\/h\.example\/api\/v1\//);
    },
  },
];
