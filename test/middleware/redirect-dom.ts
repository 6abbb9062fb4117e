// The redirect tests a DOM shim must not change (issue #14 §5): jsdom and happy-dom give Node a
// `document`, which redirect() used to read as "a browser follows redirects itself", so undici
// followed and forwarded X-API-Key. Registered by redirect.jsdom.test.ts and
// redirect.happy-dom.test.ts, each under its own vitest environment. The calls go through
// undici's fetch, as they would in a Node app: happy-dom installs a fetch of its own.
import { fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authHeaders, createClient, redirect, retry, type FetchFunction } from '../../src/index.ts';
import { startServer, type LocalServer } from '../support/server.ts';

const KEY = 'dom-k3y-0042';
const fetch = undiciFetch as unknown as FetchFunction;

export function registerDomRedirectTests(environment: 'jsdom' | 'happy-dom'): void {
  describe(`redirect() under ${environment}, through undici's fetch`, () => {
    let first: LocalServer;
    let second: LocalServer;

    beforeAll(async () => {
      second = await startServer((_req, res) => void res.end('second'));
      first = await startServer((req, res) => {
        if (req.url === '/away') return void res.writeHead(302, { location: `${second.origin}/landed` }).end();
        if (req.url === '/stay') return void res.writeHead(307, { location: '/landed' }).end();
        res.end('first');
      });
    });
    afterAll(async () => {
      await first.close();
      await second.close();
    });

    it('runs where a document exists', () => {
      expect(typeof document).toBe('object');
    });

    it('strips X-API-Key and Authorization on the cross-origin hop, in either order, and records the hop', async () => {
      for (const order of [
        [redirect(), retry(), authHeaders({ 'X-API-Key': KEY })],
        [retry(), redirect(), authHeaders({ 'X-API-Key': KEY })],
      ]) {
        const before = second.requests.length;
        const response = await createClient(order, { fetch })(`${first.origin}/away`, { headers: { authorization: 'Bearer t0k' } });
        expect(await response.text()).toBe('second');
        expect(response.redirected).toBe(true);
        const landed = second.requests.slice(before);
        expect(landed).toHaveLength(1);
        expect(landed[0]!.headers['x-api-key']).toBeUndefined();
        expect(landed[0]!.headers.authorization).toBeUndefined();
      }
    });

    // jsdom leaves Node's own fetch in place (happy-dom puts its own, CORS-checking one there).
    if (environment === 'jsdom') {
      it('strips them with the global fetch too, which jsdom leaves as Node’s', async () => {
        const before = second.requests.length;
        const response = await createClient([redirect(), authHeaders({ 'X-API-Key': KEY })])(`${first.origin}/away`);
        expect(await response.text()).toBe('second');
        expect(second.requests.slice(before).map((r) => r.headers['x-api-key'])).toEqual([undefined]);
      });
    }

    it('keeps them on a same-origin hop', async () => {
      await createClient([redirect(), authHeaders({ 'X-API-Key': KEY })], { fetch })(`${first.origin}/stay`);
      const landed = first.requests.at(-1)!;
      expect([landed.url, landed.headers['x-api-key']]).toEqual(['/landed', KEY]);
    });
  });
}
