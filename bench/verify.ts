// Before any figure is taken, each client must be seen to do the same work: the same URL,
// method and headers reach fetch, as many times as expected, and the body comes back.
// A client that did different work gives a worthless figure, so a mismatch throws.
import type { ClientSpec, StubFetch } from './clients.ts';
import { OK_BODY, type ExpectedRequest } from './config.ts';

export interface SeenRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** Answers for the nth fetch of a recording stub (0-based, across calls). */
export type Answer = (n: number) => Response;

export const answerOk: Answer = () => new Response(OK_BODY);
/** 503, 503, then 200, over and over: each call that retries twice ends on the 200. */
export const answer503Twice: Answer = (n) => (n % 3 === 2 ? new Response(OK_BODY) : new Response('unavailable', { status: 503 }));

/** A fetch that records what fetch itself would send: `new Request(input, init)` resolves every form a client may use. */
export function recordingStub(answer: Answer): { fetch: StubFetch; seen: SeenRequest[] } {
  const seen: SeenRequest[] = [];
  const fetch: StubFetch = async (input, init) => {
    const request = new Request(input, init);
    seen.push({ url: request.url, method: request.method, headers: Object.fromEntries(request.headers) });
    return answer(seen.length - 1);
  };
  return { fetch, seen };
}

export class VerificationError extends Error {
  override name = 'VerificationError' as const;
}

function describe(request: SeenRequest | ExpectedRequest): string {
  const headers = Object.entries(request.headers)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => `${name}: ${value}`)
    .join(', ');
  return `${request.method} ${request.url} {${headers}}`;
}

function sameRequest(seen: SeenRequest, expected: ExpectedRequest): boolean {
  return describe(seen) === describe(expected);
}

/**
 * Runs `calls` calls of each client against a recording stub and throws one error listing every
 * client that sent a different request, a different number of fetches, or returned another body.
 * `fetchesPerCall` is 1 for the 200 stub and 3 for the 503, 503, 200 stub.
 */
export async function verifyClients(
  clients: readonly ClientSpec[],
  base: string,
  expected: ExpectedRequest,
  options: { answer: Answer; fetchesPerCall: number; calls?: number },
): Promise<void> {
  const calls = options.calls ?? 3;
  const problems: string[] = [];
  for (const client of clients) {
    const { fetch, seen } = recordingStub(options.answer);
    const call = client.create(fetch, base);
    for (let i = 0; i < calls; i++) {
      let body: unknown;
      try {
        body = await call();
      } catch (error) {
        problems.push(`${client.name}: call ${i + 1} threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
        break;
      }
      if (body !== OK_BODY) problems.push(`${client.name}: call ${i + 1} returned ${JSON.stringify(body)}, expected ${JSON.stringify(OK_BODY)}`);
    }
    const wanted = calls * options.fetchesPerCall;
    if (seen.length !== wanted) problems.push(`${client.name}: ${seen.length} fetches for ${calls} calls, expected ${wanted}`);
    const odd = seen.find((request) => !sameRequest(request, expected));
    if (odd) problems.push(`${client.name}: sent ${describe(odd)}\n    expected ${describe(expected)}`);
  }
  if (problems.length > 0) {
    throw new VerificationError(`clients did not send the same requests; no figure was taken:\n  ${problems.join('\n  ')}`);
  }
}
