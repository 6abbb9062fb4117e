// fetch's refusals are told apart from network failures (src/errors/fetch-failure.ts): pinned
// here against the shapes each runtime throws, over the whole class of inputs; the shared
// suite checks the real runtimes (test/runtimes/shared/refusal-cases.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mapFetchFailure } from '../../src/errors/fetch-failure.ts';

// The Fetch standard's bad ports (https://fetch.spec.whatwg.org/#bad-port).
const BAD_PORTS = [
  0, 1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110,
  111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540,
  548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000,
  6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
];

const undici = (code: string, message: string) => new TypeError('fetch failed', { cause: Object.assign(new Error(message), { code }) });
const request = (port: number) => ({ method: 'GET', url: `http://127.0.0.1:${port}/x` });

describe('programming errors from fetch', () => {
  it.each([
    ['UND_ERR_NOT_SUPPORTED', 'expect header not supported'],
    ['UND_ERR_INVALID_ARG', 'invalid transfer-encoding header'],
    ['UND_ERR_INVALID_ARG', 'invalid upgrade header'],
    ['UND_ERR_INVALID_ARG', 'invalid keep-alive header'],
    ['UND_ERR_INVALID_ARG', 'invalid connection header'],
    ['UND_ERR_REQ_CONTENT_LENGTH_MISMATCH', 'Request body length does not match content-length header'],
  ])('undici’s %s (%s) is an InvalidHeaderError quoting what undici said', (code, message) => {
    const mapped = mapFetchFailure(undici(code, message), request(8080)) as Error;
    expect(mapped.name).toBe('InvalidHeaderError');
    expect(mapped.message).toBe(`Invalid request header for GET http://127.0.0.1:8080/x: fetch refused it before sending (${message}) (${code})`);
  });

  it('leaves another undici argument error as the TypeError it is (not retried, not a network failure)', () => {
    const error = undici('UND_ERR_INVALID_ARG', 'invalid method');
    expect(mapFetchFailure(error, request(8080))).toBe(error);
  });

  it('maps Node’s and Deno’s bad-port errors to InvalidURLError', () => {
    const node = new TypeError('fetch failed', { cause: new Error('bad port') });
    const deno = new TypeError('Fetch failed: Requests to port 6000 are blocked');
    for (const error of [node, deno]) expect((mapFetchFailure(error, request(6000)) as Error).name).toBe('InvalidURLError');
  });

  it('reads a bare "Failed to fetch" as the refusal for exactly the bad ports, and as a network failure elsewhere (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...BAD_PORTS), fc.integer({ min: 0, max: 65_535 })), (port) => {
        const mapped = mapFetchFailure(new TypeError('Failed to fetch'), request(port)) as Error;
        expect(mapped.name).toBe(BAD_PORTS.includes(port) ? 'InvalidURLError' : 'ConnectionError');
      }),
      { numRuns: 400 },
    );
  });

  it('keeps a refused connection on a bad port a connect error where the runtime really connected (Bun)', () => {
    const bun = Object.assign(new TypeError('ECONNREFUSED: Unable to connect'), { code: 'ECONNREFUSED' });
    expect(mapFetchFailure(bun, request(1))).toMatchObject({ name: 'ConnectionError', phase: 'connect' });
  });
});
