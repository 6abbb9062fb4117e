// The timing loop every stub benchmark shares: warm each call up, size its batches, then time
// all of them in short interleaved rounds (the order rotated each round) with mitata's
// `measure()`, so that each round compares calls measured within a second of each other on a
// shared machine. A figure is the median over the rounds of each round's median batch mean.
import { measure } from 'mitata';
import { progress } from './child.ts';
import { rotate } from './stats.ts';

/** One call to time. `check` sees the first warm-up results and throws when the call did other work. */
export interface Timed {
  readonly name: string;
  readonly call: () => Promise<unknown>;
  readonly check?: (result: unknown) => void;
}

export interface RoundSettings {
  readonly rounds: number;
  readonly minTimeMs: number;
  readonly warmupCalls: number;
  readonly warmupMs: number;
  readonly quick: boolean;
}

export const ROUND_SETTINGS = {
  full: { rounds: 40, minTimeMs: 40, warmupCalls: 20_000, warmupMs: 1_500, quick: false },
  quick: { rounds: 2, minTimeMs: 5, warmupCalls: 50, warmupMs: 100, quick: true },
} as const satisfies Record<string, RoundSettings>;

const MAX_BATCH = 256;

/** Times every call in `timed`; returns ns per call of each round, in the order given. */
export async function timeInRounds(label: string, timed: readonly Timed[], settings: RoundSettings): Promise<number[][]> {
  const runners = timed.map((entry) => ({ entry, batch: MAX_BATCH, perRound: [] as number[] }));
  // Warm-up, bounded in time too: some peers wait a timer (at least 1 ms in Node) even for a
  // zero delay, so their retry path takes milliseconds per call.
  for (const runner of runners) {
    const started = performance.now();
    let done = 0;
    while (done < settings.warmupCalls && (done < 20 || performance.now() - started < settings.warmupMs)) {
      const result = await runner.entry.call();
      if (done < 3) runner.entry.check?.(result);
      done++;
    }
    const perCallMs = (performance.now() - started) / done;
    // A batch of about 2 ms, in multiples of mitata's unroll of 4.
    runner.batch = Math.max(4, Math.min(MAX_BATCH, Math.floor(2 / perCallMs / 4) * 4));
  }
  for (let round = 0; round < settings.rounds; round++) {
    if (round % 10 === 0 || settings.quick) progress(`${label}: round ${round + 1}/${settings.rounds}`);
    for (const runner of rotate(runners, round)) {
      // Always in batches of about 2 ms, so that a sample includes its share of GC for every call.
      const stats = await measure(runner.entry.call, {
        min_cpu_time: settings.minTimeMs * 1e6,
        min_samples: settings.quick ? 2 : 4,
        batch_samples: runner.batch,
        batch_threshold: Number.POSITIVE_INFINITY,
        // No forced collection before each measurement: in a window this short, the sweeping
        // that follows it doubles the floor's time. Collections happen as the calls allocate.
        gc: false,
      });
      runner.perRound.push(stats.p50);
    }
  }
  return runners.map((runner) => runner.perRound);
}
