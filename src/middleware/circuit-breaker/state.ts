// The circuit breaker's state machine, alone, on an injected clock:
//
//   closed ──(threshold reached)──▶ open ──(coolDown passed)──▶ half-open
//     ▲                               ▲                            │
//     └──────────(probe succeeds)─────┼────────────────────────────┤
//                                     └──────(probe fails)─────────┘
//
// Closed counts outcomes. It opens after `consecutiveFailures` failures in a row, or when
// over the last `window` ms at least `minimumCalls` outcomes were seen and the share of
// failures reached `failureRatio`. Open refuses everything until `coolDown` ms have passed.
// Half-open lets exactly one probe through; its outcome closes or reopens the circuit, and
// everything else is refused meanwhile.

export type CircuitState = 'closed' | 'open' | 'half-open';

/** What opens a circuit and how long it stays open. Validated by circuitBreaker(). */
export interface BreakerRules {
  /** Failures in a row that open the circuit; null: not counted. */
  readonly consecutiveFailures: number | null;
  /** Share of failures over `window` that opens the circuit, in (0, 1]; null: not counted. */
  readonly failureRatio: number | null;
  /** The sliding window of the ratio, in ms. */
  readonly window: number;
  /** Outcomes needed in the window before the ratio counts at all. */
  readonly minimumCalls: number;
  /** How long the circuit stays open before a probe, in ms. */
  readonly coolDown: number;
}

/** A change of state, for the event the middleware emits. */
export interface Transition {
  readonly from: CircuitState;
  readonly to: CircuitState;
  /** Why, in a few words: `5 failures in a row`, `60% failures over 10000 ms`, `probe failed` … */
  readonly reason: string;
}

/** What `admit()` answers: go (and report the outcome with the ticket), or refused until `retryAt`. */
export type Admission = { readonly admitted: true; readonly probe: boolean } | { readonly admitted: false; readonly retryAt: number };

export interface Breaker {
  readonly state: CircuitState;
  /** When an open circuit lets its next probe through (undefined unless open). */
  readonly openUntil: number | undefined;
  /** The outcomes counted in the window: how many, and how many failed. */
  readonly window: { readonly calls: number; readonly failures: number };
  readonly consecutive: number;
  /** Asks to send one request at `now`. An open circuit whose cool-down passed turns half-open here. */
  admit(now: number): Admission;
  /** Reports the outcome of an admitted request; returns the transition it caused, if any. */
  record(now: number, failed: boolean, probe: boolean): Transition | undefined;
  /** Gives back an admission whose request ended with no outcome (an abort): a probe slot reopens. */
  release(probe: boolean): void;
  /** Transitions since the last call, oldest first (admit's open → half-open among them). */
  drain(): Transition[];
}

export function breaker(rules: BreakerRules): Breaker {
  let state: CircuitState = 'closed';
  let openUntil: number | undefined;
  let consecutive = 0;
  let probing = false;
  // Outcomes as [time, failed], oldest first; pruned to the window on every record.
  let outcomes: Array<readonly [number, boolean]> = [];
  const pending: Transition[] = [];

  const move = (to: CircuitState, reason: string, now: number): Transition => {
    const transition = { from: state, to, reason };
    state = to;
    openUntil = to === 'open' ? now + rules.coolDown : undefined;
    if (to !== 'half-open') probing = false;
    if (to === 'closed' || to === 'open') {
      consecutive = 0;
      outcomes = [];
    }
    pending.push(transition);
    return transition;
  };

  const prune = (now: number) => {
    const since = now - rules.window;
    let drop = 0;
    while (drop < outcomes.length && outcomes[drop]![0] <= since) drop++;
    if (drop > 0) outcomes = outcomes.slice(drop);
  };

  const tripReason = (): string | undefined => {
    if (rules.consecutiveFailures !== null && consecutive >= rules.consecutiveFailures) return `${consecutive} failures in a row`;
    if (rules.failureRatio === null || outcomes.length < rules.minimumCalls) return undefined;
    const failures = outcomes.filter(([, failed]) => failed).length;
    const ratio = failures / outcomes.length;
    return ratio >= rules.failureRatio ? `${failures} of ${outcomes.length} failed over ${rules.window} ms` : undefined;
  };

  return {
    get state() {
      return state;
    },
    get openUntil() {
      return openUntil;
    },
    get window() {
      return { calls: outcomes.length, failures: outcomes.filter(([, failed]) => failed).length };
    },
    get consecutive() {
      return consecutive;
    },
    admit(now) {
      if (state === 'open' && now >= openUntil!) move('half-open', `cool-down of ${rules.coolDown} ms passed`, now);
      if (state === 'closed') return { admitted: true, probe: false };
      if (state === 'half-open' && !probing) {
        probing = true;
        return { admitted: true, probe: true };
      }
      // Half-open with its probe out: the others wait for the probe's verdict, refused for now.
      return { admitted: false, retryAt: openUntil ?? now };
    },
    record(now, failed, probe) {
      if (probe) {
        if (state !== 'half-open') return undefined;
        return failed ? move('open', 'probe failed', now) : move('closed', 'probe succeeded', now);
      }
      // Outcomes of requests admitted before the circuit opened change nothing any more.
      if (state !== 'closed') return undefined;
      consecutive = failed ? consecutive + 1 : 0;
      outcomes.push([now, failed]);
      prune(now);
      const reason = tripReason();
      return reason === undefined ? undefined : move('open', reason, now);
    },
    release(probe) {
      if (probe && state === 'half-open') probing = false;
    },
    drain() {
      return pending.splice(0, pending.length);
    },
  };
}
