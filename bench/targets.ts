// The issue-18 scenarios beyond the typical call, each timed against its own baseline in the
// same process and the same interleaved rounds (rounds.ts), against a stub fetch, so that only
// the client's own work is timed:
// - a call that passes its own init with 4 headers, beside bare fetch given the same request;
// - the typical client with `onEvent`;
// - a failed call (connection refused): one attempt, and the typical three with MaxRetryError,
//   beside bare fetch's own failure; a real refused connection on loopback beside them;
// - the CPU cost of one retry above the attempt it sends;
// - the cost of one pass-through middleware (the slope over 0 … 200 layers).
// Runs as a child process of its own (see child.ts).
import { createServer } from 'node:net';
import { floor, type StubFetch } from './clients.ts';
import { childMain } from './child.ts';
import { AUTH_HEADER, DEFAULT_HEADER, OK_BODY, PATH, STUB_BASE, USER_AGENT } from './config.ts';
import { fetchpipeClient, passThroughClient } from './fetchpipe-client.ts';
import { ROUND_SETTINGS, timeInRounds, type Timed } from './rounds.ts';
import { median, slope, spread, type Spread } from './stats.ts';
import { recordingStub, type SeenRequest } from './verify.ts';

export interface TargetsOptions {
  readonly quick: boolean;
}

export interface TargetRow {
  readonly name: string;
  readonly ns: Spread;
  /** Per-round ratio to the group's baseline in the same round. */
  readonly ratio: Spread;
}

export interface TargetGroup {
  readonly id: 'ownInit' | 'onEvent' | 'failure' | 'failureRetried' | 'failureReal' | 'retry' | 'layers';
  readonly title: string;
  readonly baseline: string;
  readonly rows: readonly TargetRow[];
}

export interface TargetsResult {
  readonly rounds: number;
  readonly groups: readonly TargetGroup[];
  /** One retry's CPU above the attempt it sends: (call with one retry) − (call without) − (bare fetch of the 503), of the medians. */
  readonly retryCostNs: number;
  /** Least-squares slope of the median ns per call over the number of pass-through layers. */
  readonly perLayerNs: number;
  readonly layerCounts: readonly number[];
  /** The 4 headers and the init fields the own-init call passes. */
  readonly ownInit: string;
}

const URL_ = STUB_BASE + PATH;
const DEFAULTS: Record<string, string> = { [DEFAULT_HEADER[0]]: DEFAULT_HEADER[1], [AUTH_HEADER[0]]: AUTH_HEADER[1], 'user-agent': USER_AGENT };
const okStub: StubFetch = async () => new Response(OK_BODY);
const unavailableStub: StubFetch = async () => new Response('unavailable', { status: 503 });
const LAYERS = [0, 50, 100, 200] as const;
const OWN_INIT_TEXT =
  "`client(path, { headers: { 'x-request-id', 'x-tenant', 'content-language', 'x-feature' }, cache: 'no-store', credentials: 'same-origin' })`, an object literal per call; bare fetch gets the same literal with the client's three default headers written into it";

const expectBody = (name: string) => (result: unknown) => {
  if (result !== OK_BODY) throw new Error(`${name} returned ${JSON.stringify(result)}, expected ${JSON.stringify(OK_BODY)}`);
};
const expectError = (name: string, errorName: string) => (result: unknown) => {
  if (result !== errorName) throw new Error(`${name} failed with ${String(result)}, expected ${errorName}`);
};

/** What undici throws for a refused connection, rebuilt on every call as undici does. */
function refused(): TypeError {
  const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), {
    errno: -111,
    code: 'ECONNREFUSED',
    syscall: 'connect',
    address: '127.0.0.1',
    port: 9,
  });
  return new TypeError('fetch failed', { cause });
}
const refusingStub: StubFetch = async () => {
  throw refused();
};
const failureName = (promise: Promise<unknown>): Promise<string> =>
  promise.then(
    () => 'no error',
    (error: unknown) => (error instanceof Error ? error.name : typeof error),
  );

/** A port on 127.0.0.1 that nothing listens on: listened on once, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// The own-init call and its floor must put the same request on the wire: checked before timing.
async function verifySame(calls: ReadonlyArray<readonly [string, (fetch: StubFetch) => () => Promise<unknown>]>): Promise<void> {
  const seen: Array<[string, SeenRequest | undefined]> = [];
  for (const [name, make] of calls) {
    const stub = recordingStub(() => new Response(OK_BODY));
    await make(stub.fetch)();
    if (stub.seen.length !== 1) throw new Error(`${name}: ${stub.seen.length} fetches for one call, expected 1`);
    seen.push([name, stub.seen[0]]);
  }
  const describe = (r: SeenRequest | undefined) =>
    r === undefined ? 'nothing' : `${r.method} ${r.url} ${JSON.stringify(Object.entries(r.headers).sort(([a], [b]) => a.localeCompare(b)))}`;
  const [first, ...rest] = seen;
  for (const [name, request] of rest) {
    if (describe(request) !== describe(first![1])) {
      throw new Error(`${name} sent ${describe(request)}, but ${first![0]} sent ${describe(first![1])}: no figure was taken`);
    }
  }
}

export async function runTargets(options: TargetsOptions): Promise<TargetsResult> {
  const settings = options.quick ? ROUND_SETTINGS.quick : { ...ROUND_SETTINGS.full, rounds: 30 };
  const groups: TargetGroup[] = [];
  const rowsOf = (perRound: number[][], timed: readonly Timed[]): TargetRow[] =>
    timed.map((entry, index) => ({
      name: entry.name,
      ns: spread(perRound[index]!),
      ratio: spread(perRound[index]!.map((ns, round) => ns / perRound[0]![round]!)),
    }));
  const group = async (id: TargetGroup['id'], title: string, timed: readonly Timed[]): Promise<number[][]> => {
    const perRound = await timeInRounds(id, timed, settings);
    groups.push({ id, title, baseline: timed[0]!.name, rows: rowsOf(perRound, timed) });
    return perRound;
  };

  // A call with its own init and 4 headers.
  const ownFloor = (fetch: StubFetch) => async () =>
    (
      await fetch(URL_, {
        headers: { ...DEFAULTS, 'x-request-id': 'r-42', 'x-tenant': 'acme', 'content-language': 'en', 'x-feature': 'beta' },
        cache: 'no-store',
        credentials: 'same-origin',
      })
    ).text();
  const ownClient = (fetch: StubFetch) => {
    const client = fetchpipeClient(fetch, STUB_BASE);
    return async () =>
      (
        await client(PATH, {
          headers: { 'x-request-id': 'r-42', 'x-tenant': 'acme', 'content-language': 'en', 'x-feature': 'beta' },
          cache: 'no-store',
          credentials: 'same-origin',
        })
      ).text();
  };
  await verifySame([
    ['bare fetch, same init', ownFloor],
    ['fetchpipe, own init and 4 headers', ownClient],
  ]);
  await group('ownInit', 'A call with its own init and 4 headers', [
    { name: 'bare fetch, same init', call: ownFloor(okStub), check: expectBody('bare fetch') },
    { name: 'fetchpipe, own init and 4 headers', call: ownClient(okStub), check: expectBody('fetchpipe') },
  ]);

  // The typical client with onEvent.
  let events = 0;
  const listened = fetchpipeClient(okStub, STUB_BASE, { onEvent: () => void events++ });
  const plain = fetchpipeClient(okStub, STUB_BASE);
  await group('onEvent', 'The typical client with `onEvent`', [
    { name: floor.name, call: floor.create(okStub, STUB_BASE), check: expectBody('bare fetch') },
    { name: 'fetchpipe', call: async () => (await plain(PATH)).text(), check: expectBody('fetchpipe') },
    {
      name: 'fetchpipe with onEvent',
      call: async () => (await listened(PATH)).text(),
      check: (body) => {
        expectBody('fetchpipe with onEvent')(body);
        if (events === 0) throw new Error('fetchpipe with onEvent emitted no event');
      },
    },
  ]);

  // A failed call: connection refused, as undici reports it.
  const oneAttempt = fetchpipeClient(refusingStub, STUB_BASE, {}, { connect: false });
  const retried = fetchpipeClient(refusingStub, STUB_BASE);
  await group('failure', 'A failed call (connection refused), one attempt', [
    { name: "bare fetch's own failure", call: () => failureName(refusingStub(URL_, { headers: DEFAULTS })), check: expectError('bare fetch', 'TypeError') },
    {
      name: 'fetchpipe, connect retries off',
      call: () => failureName(oneAttempt(PATH)),
      check: expectError('fetchpipe', 'ConnectionError'),
    },
  ]);
  await group('failureRetried', 'A failed call (connection refused), three attempts', [
    {
      name: "bare fetch's own failure, three times",
      call: async () => {
        for (let i = 0; i < 2; i++) await failureName(refusingStub(URL_, { headers: DEFAULTS }));
        return failureName(refusingStub(URL_, { headers: DEFAULTS }));
      },
      check: expectError('bare fetch', 'TypeError'),
    },
    { name: 'fetchpipe, typical client (2 retries, MaxRetryError)', call: () => failureName(retried(PATH)), check: expectError('fetchpipe', 'MaxRetryError') },
  ]);
  const port = await closedPort();
  const realBase = `http://127.0.0.1:${port}/v1/`;
  const realFetch: StubFetch = (input, init) => globalThis.fetch(input, init);
  const realOne = fetchpipeClient(realFetch, realBase, {}, { connect: false });
  await group('failureReal', 'A refused connection on loopback (real fetch, one attempt)', [
    { name: "bare fetch's own failure", call: () => failureName(realFetch(realBase + PATH, { headers: DEFAULTS })), check: expectError('bare fetch', 'TypeError') },
    { name: 'fetchpipe, connect retries off', call: () => failureName(realOne(PATH)), check: expectError('fetchpipe', 'ConnectionError') },
  ]);

  // One retry: 503 then 200 on every call, against the same client on a 200 and a bare 503.
  let n = 0;
  const alternating: StubFetch = async () => (n++ % 2 === 0 ? new Response('unavailable', { status: 503 }) : new Response(OK_BODY));
  const onceRetried = fetchpipeClient(alternating, STUB_BASE);
  const retryRounds = await group('retry', 'One retry (503, then 200)', [
    { name: 'fetchpipe, a 200', call: async () => (await plain(PATH)).text(), check: expectBody('fetchpipe') },
    { name: 'fetchpipe, a 503 retried, then a 200', call: async () => (await onceRetried(PATH)).text(), check: expectBody('fetchpipe, retried') },
    {
      name: 'bare fetch of a 503, body cancelled',
      call: async () => {
        const response = await unavailableStub(URL_, { headers: DEFAULTS });
        await response.body!.cancel();
        return response.status;
      },
      check: (status) => {
        if (status !== 503) throw new Error(`the bare 503 answered ${String(status)}`);
      },
    },
  ]);
  const [plainNs, retriedNs, attemptNs] = retryRounds as [number[], number[], number[]];

  // The cost of one pass-through layer: against a stub that answers one shared response and a
  // call that reads no body, so that the few nanoseconds of a layer are not lost in a body's microseconds.
  const shared = new Response(null, { status: 204 });
  const sharedStub: StubFetch = async () => shared;
  const layerRounds = await group(
    'layers',
    'Pass-through middlewares (a shared 204, no body read)',
    LAYERS.map((layers) => {
      const client = passThroughClient(sharedStub, layers);
      return {
        name: `${layers} pass-through layers`,
        call: async () => (await client(URL_)).status,
        check: (status: unknown) => {
          if (status !== 204) throw new Error(`${layers} layers answered ${String(status)}`);
        },
      };
    }),
  );

  return {
    rounds: settings.rounds,
    groups,
    // Of the medians, not per round: a difference of two noisy rounds is noisier than either.
    retryCostNs: median(retriedNs) - median(plainNs) - median(attemptNs),
    perLayerNs: slope([...LAYERS], layerRounds.map((perRound) => median(perRound))),
    layerCounts: [...LAYERS],
    ownInit: OWN_INIT_TEXT,
  };
}

if (import.meta.main) await childMain(runTargets);
