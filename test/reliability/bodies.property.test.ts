// Bodies: a replayable request body reaches the server byte-identical on every attempt of a
// retried call, whatever mix of resets and retried statuses comes first; a one-shot stream is
// sent once, whole, and never again (retry's documented choice: a stream is not replayed).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backoff, createClient, retry, type FetchFunction } from '../../src/index.ts';
import { startFaultServer, type FaultServer } from './fault-server.ts';
import { outcome } from './support.ts';

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer();
});
afterAll(() => server.close());

const instant = { sleep: async () => {} };
const failure = fc.constantFrom('reset-before', '503', '502~retry-after=0', '429~retry-after=1');

// A FormData body gets a fresh multipart boundary from the platform on every send; the parts are what must not change.
function withoutBoundary(bytes: Buffer): string {
  return bytes.toString('latin1').replace(/-+formdata-[\w-]+?\d+/g, 'BOUNDARY');
}

type BodyCase = { label: string; make: () => BodyInit; bytes: Buffer; multipart?: boolean };

const bodyCase: fc.Arbitrary<BodyCase> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 2000 }).map((text) => ({ label: 'string', make: () => text, bytes: Buffer.from(text, 'utf8') })),
  fc.uint8Array({ minLength: 0, maxLength: 70_000 }).map((bytes) => ({ label: 'Uint8Array', make: () => bytes, bytes: Buffer.from(bytes) })),
  fc.uint8Array({ minLength: 16, maxLength: 4096 }).map((bytes) => {
    // A view into the middle of a larger buffer: only the view may be sent.
    const view = new Uint8Array(bytes.buffer, 4, bytes.length - 8);
    return { label: 'offset view', make: () => view, bytes: Buffer.from(view) };
  }),
  fc.uint8Array({ maxLength: 4096 }).map((bytes) => ({ label: 'ArrayBuffer', make: () => bytes.slice().buffer, bytes: Buffer.from(bytes) })),
  fc.uint8Array({ maxLength: 4096 }).map((bytes) => {
    const blob = new Blob([bytes]);
    return { label: 'Blob', make: () => blob, bytes: Buffer.from(bytes) };
  }),
  fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.string({ maxLength: 20 }), { maxKeys: 5 }).map((record) => {
    const params = new URLSearchParams(record);
    return { label: 'URLSearchParams', make: () => params, bytes: Buffer.from(params.toString()) };
  }),
  fc.string({ maxLength: 200 }).map((text) => {
    const form = new FormData();
    form.append('field', text);
    form.append('file', new Blob([text]), 'f.txt');
    return { label: 'FormData', make: () => form, bytes: Buffer.alloc(0), multipart: true };
  }),
);

describe('bodies', () => {
  it('sends a replayable body byte-identical on every attempt of a retried call', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(bodyCase, fc.array(failure, { minLength: 0, maxLength: 3 }), fc.constantFrom('PUT', 'POST'), async (body, failures, method) => {
        const key = `body-${++run}`;
        const steps = [...failures, 'ok'].join(',');
        const client = createClient([
          retry({ total: 3, statusForcelist: [502, 503], allowedMethods: null }),
          backoff({ clock: instant }),
        ]);
        const response = await client(server.url(`/seq?key=${key}&steps=${steps}`), { method, body: body.make() });
        expect(response.status).toBe(200);
        await response.arrayBuffer();
        const attempts = server.attempts(key);
        expect(attempts).toHaveLength(failures.length + 1);
        if (body.multipart) {
          const first = withoutBoundary(attempts[0]!.body);
          for (const attempt of attempts) expect(withoutBoundary(attempt.body)).toBe(first);
        } else {
          for (const attempt of attempts) expect(attempt.body.equals(body.bytes)).toBe(true);
        }
      }),
      { numRuns: 80 },
    );
  });

  it('sends a one-shot stream body once and whole, and never again, whatever fails', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 20_000 }), { minLength: 1, maxLength: 6 }),
        fc.array(failure, { minLength: 1, maxLength: 3 }),
        async (chunks, failures) => {
          const key = `stream-${++run}`;
          const steps = [...failures, 'ok'].join(',');
          const client = createClient([
            retry({ total: 3, statusForcelist: [502, 503], allowedMethods: null }),
            backoff({ clock: instant }),
          ]);
          const stream = new ReadableStream<Uint8Array>({
            start(controller) {
              for (const chunk of chunks) controller.enqueue(chunk);
              controller.close();
            },
          });
          const result = await outcome(() => client(server.url(`/seq?key=${key}&steps=${steps}`), { method: 'PUT', body: stream }));
          const attempts = server.attempts(key);
          expect(attempts).toHaveLength(1);
          expect(attempts[0]!.body.equals(Buffer.concat(chunks))).toBe(true);
          // Not replayed: the first failure is what the caller gets, as it was.
          const first = failures[0]!;
          if (first === 'reset-before') expect(result).toMatchObject({ kind: 'error', name: 'ConnectionError' });
          else expect(result).toMatchObject({ kind: 'response', status: Number(first.slice(0, 3)) });
          if (result.kind === 'response') await result.response.arrayBuffer();
        },
      ),
      { numRuns: 40 },
    );
  });

  it('does not resend a stream body after a refused connection, and reports the refusal', async () => {
    let sends = 0;
    const refusing: FetchFunction = (_input, init) => {
      sends++;
      return fetch(`${server.refusedOrigin}/`, init);
    };
    const client = createClient([retry({ total: 3 }), backoff({ clock: instant })], { fetch: refusing });
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('once'));
        controller.close();
      },
    });
    await expect(client(server.url('/ok'), { method: 'POST', body: stream })).rejects.toMatchObject({ name: 'ConnectionError', phase: 'connect' });
    expect(sends).toBe(1);
  });

  it('sends an async-iterable body, which Node fetch accepts with duplex: half, and does not replay it', async () => {
    async function* parts(): AsyncGenerator<Uint8Array> {
      yield new TextEncoder().encode('hello ');
      yield new TextEncoder().encode('world');
    }
    const client = createClient([retry({ total: 3, statusForcelist: [503] }), backoff({ clock: instant })]);
    const response = await client(server.url('/seq?key=iter&steps=503,ok'), { method: 'PUT', body: parts() as unknown as BodyInit });
    await response.arrayBuffer();
    expect(response.status).toBe(503);
    expect(server.attempts('iter').map((a) => a.body.toString())).toEqual(['hello world']);
  });
});
