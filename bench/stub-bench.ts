// Overhead per call and retry-path cost, against an injected stub fetch, so that only the
// client's own work is timed. Runs as a child process of its own (see child.ts).
import { measure } from 'mitata';
import { CLIENTS, floor, naive, type ClientSpec, type StubFetch } from './clients.ts';
import { childMain, progress } from './child.ts';
import { OK_BODY, STUB_BASE, expectedRequest } from './config.ts';
import { rotate, spread, type Spread } from './stats.ts';
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

const SETTINGS = {
  full: { rounds: 40, minTimeMs: 40, warmupCalls: 20_000, warmupMs: 1_500 },
  quick: { rounds: 2, minTimeMs: 5, warmupCalls: 50, warmupMs: 100 },
} as const;
const MAX_BATCH = 256;

/** A stub that answers like `answer`, counting its fetches; nothing else, so it costs every client the same. */
function countingStub(answer: Answer): { fetch: StubFetch; fetches: () => number } {
  let n = 0;
  return { fetch: async () => answer(n++), fetches: () => n };
}

export async function runStubBench(options: StubBenchOptions): Promise<StubBenchResult> {
  const settings = options.quick ? SETTINGS.quick : SETTINGS.full;
  const retryPath = options.mode === 'retry';
  const clients = retryPath ? CLIENTS.filter((client) => client.retries) : CLIENTS;
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
    return { client, counted, stub, calls: () => calls, batch: MAX_BATCH, perRound: [] as number[] };
  });

  // Warm-up, bounded in time too: some peers wait a timer (at least 1 ms in Node) even for a
  // zero delay, so their retry path takes milliseconds per call.
  for (const runner of runners) {
    const started = performance.now();
    let done = 0;
    while (done < settings.warmupCalls && (done < 20 || performance.now() - started < settings.warmupMs)) {
      if ((await runner.counted()) !== OK_BODY) throw new Error(`${runner.client.name} returned another body during warm-up`);
      done++;
    }
    const perCallMs = (performance.now() - started) / done;
    // A batch of about 2 ms, in multiples of mitata's unroll of 4.
    runner.batch = Math.max(4, Math.min(MAX_BATCH, Math.floor(2 / perCallMs / 4) * 4));
  }

  for (let round = 0; round < settings.rounds; round++) {
    progress(`${options.mode}: round ${round + 1}/${settings.rounds}`);
    for (const runner of rotate(runners, round)) {
      // Many short measurements, interleaved, rather than a few long ones: on a shared machine
      // the load changes within seconds, and each round's ratio should compare like with like.
      // Always in batches of about 2 ms, so that a sample includes its share of GC for every client.
      const stats = await measure(runner.counted, {
        min_cpu_time: settings.minTimeMs * 1e6,
        min_samples: options.quick ? 2 : 4,
        batch_samples: runner.batch,
        batch_threshold: Number.POSITIVE_INFINITY,
        // No forced collection before each measurement: in a window this short, the sweeping
        // that follows it doubles the floor's time. Collections happen as the clients allocate.
        gc: false,
      });
      runner.perRound.push(stats.p50);
    }
  }

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
