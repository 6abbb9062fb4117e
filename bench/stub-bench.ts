// Overhead per call and retry-path cost, against an injected stub fetch, so that only the
// client's own work is timed. Runs as a child process of its own (see child.ts).
import { CLIENTS, fetchpipeDefaultFetch, floor, naive, type ClientSpec, type StubFetch } from './clients.ts';
import { childMain } from './child.ts';
import { ROUND_SETTINGS, timeInRounds } from './rounds.ts';
import { OK_BODY, STUB_BASE, expectedRequest } from './config.ts';
import { spread, type Spread } from './stats.ts';
import { answer503Twice, answerOk, verifyClients, type Answer } from './verify.ts';

export interface StubBenchOptions {
  readonly mode: 'overhead' | 'retry';
  readonly quick: boolean;
}

export interface StubRow {
  readonly name: string;
  readonly setup: string;
  /** Median ns per call of each round: median, min and max over the rounds. */
  readonly ns: Spread;
  /** Per-round ratio to the reference client of the same round. */
  readonly ratio: Spread;
}

export interface StubBenchResult {
  readonly mode: 'overhead' | 'retry';
  readonly reference: string;
  readonly rounds: number;
  readonly minTimeMs: number;
  readonly warmupCalls: number;
  readonly warmupMs: number;
  readonly rows: readonly StubRow[];
}

/** A stub that answers like `answer`, counting its fetches; nothing else, so it costs every client the same. */
function countingStub(answer: Answer): { fetch: StubFetch; fetches: () => number } {
  let n = 0;
  return { fetch: async () => answer(n++), fetches: () => n };
}

export async function runStubBench(options: StubBenchOptions): Promise<StubBenchResult> {
  const settings = options.quick ? ROUND_SETTINGS.quick : ROUND_SETTINGS.full;
  const retryPath = options.mode === 'retry';
  // The overhead also times fetchpipe on its default path, beside the same client given the stub.
  const clients = retryPath ? CLIENTS.filter((client) => client.retries) : [...CLIENTS, fetchpipeDefaultFetch];
  const reference: ClientSpec = retryPath ? naive : floor;
  const answer = retryPath ? answer503Twice : answerOk;
  const fetchesPerCall = retryPath ? 3 : 1;

  await verifyClients(clients, STUB_BASE, expectedRequest(STUB_BASE), { answer, fetchesPerCall });

  const runners = clients.map((client) => {
    const stub = countingStub(answer);
    const call = client.create(stub.fetch, STUB_BASE);
    let calls = 0;
    const counted = () => {
      calls++;
      return call();
    };
    return { client, counted, stub, calls: () => calls, perRound: [] as number[] };
  });

  const perRound = await timeInRounds(
    options.mode,
    runners.map((runner) => ({
      name: runner.client.name,
      call: runner.counted,
      check: (body: unknown) => {
        if (body !== OK_BODY) throw new Error(`${runner.client.name} returned another body during warm-up`);
      },
    })),
    settings,
  );
  runners.forEach((runner, index) => runner.perRound.push(...perRound[index]!));

  for (const runner of runners) {
    if (runner.stub.fetches() !== runner.calls() * fetchesPerCall) {
      throw new Error(`${runner.client.name}: ${runner.stub.fetches()} fetches for ${runner.calls()} calls during the measurement, expected ${fetchesPerCall} per call`);
    }
  }

  const referenceRounds = runners.find((runner) => runner.client === reference)!.perRound;
  return {
    mode: options.mode,
    reference: reference.name,
    rounds: settings.rounds,
    minTimeMs: settings.minTimeMs,
    warmupCalls: settings.warmupCalls,
    warmupMs: settings.warmupMs,
    rows: runners.map((runner) => ({
      name: runner.client.name,
      setup: runner.client.setup,
      ns: spread(runner.perRound),
      ratio: spread(runner.perRound.map((ns, round) => ns / referenceRounds[round]!)),
    })),
  };
}

if (import.meta.main) await childMain(runStubBench);
