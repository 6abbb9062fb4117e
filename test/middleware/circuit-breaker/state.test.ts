import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { breaker, type BreakerRules } from '../../../src/middleware/circuit-breaker/state.ts';

const rules = (overrides: Partial<BreakerRules> = {}): BreakerRules => ({
  consecutiveFailures: 3,
  failureRatio: null,
  window: 10_000,
  minimumCalls: 10,
  coolDown: 1_000,
  ...overrides,
});

describe('the circuit breaker state machine', () => {
  it('opens after N failures in a row, refuses until the cool-down, then lets one probe through', () => {
    const b = breaker(rules());
    for (let i = 0; i < 2; i++) b.record(i, true, false);
    expect(b.state).toBe('closed');
    expect(b.record(2, true, false)).toEqual({ from: 'closed', to: 'open', reason: '3 failures in a row' });
    expect(b.admit(500)).toEqual({ admitted: false, retryAt: 1_002 });
    expect(b.admit(1_002)).toEqual({ admitted: true, probe: true });
    expect(b.state).toBe('half-open');
    expect(b.admit(1_003).admitted).toBe(false);
    expect(b.record(1_010, false, true)).toEqual({ from: 'half-open', to: 'closed', reason: 'probe succeeded' });
    expect(b.admit(1_011)).toEqual({ admitted: true, probe: false });
  });

  it('a success resets the count of failures in a row', () => {
    const b = breaker(rules());
    b.record(0, true, false);
    b.record(1, true, false);
    b.record(2, false, false);
    b.record(3, true, false);
    b.record(4, true, false);
    expect(b.state).toBe('closed');
  });

  it('a failed probe reopens for another cool-down', () => {
    const b = breaker(rules({ consecutiveFailures: 1 }));
    b.record(0, true, false);
    expect(b.admit(1_000)).toEqual({ admitted: true, probe: true });
    expect(b.record(1_100, true, true)).toEqual({ from: 'half-open', to: 'open', reason: 'probe failed' });
    expect(b.openUntil).toBe(2_100);
    expect(b.drain().map((t) => t.to)).toEqual(['open', 'half-open', 'open']);
  });

  it('a probe given back (aborted) lets the next caller probe', () => {
    const b = breaker(rules({ consecutiveFailures: 1 }));
    b.record(0, true, false);
    expect(b.admit(1_000)).toEqual({ admitted: true, probe: true });
    b.release(true);
    expect(b.admit(1_001)).toEqual({ admitted: true, probe: true });
  });

  it('opens on a failure ratio over the window, once minimumCalls were seen', () => {
    const b = breaker(rules({ consecutiveFailures: null, failureRatio: 0.5, minimumCalls: 4, window: 1_000 }));
    b.record(0, true, false);
    b.record(1, false, false);
    b.record(2, true, false);
    expect(b.state).toBe('closed');
    expect(b.record(3, false, false)?.to).toBe('open');
  });

  it('forgets outcomes older than the window', () => {
    const b = breaker(rules({ consecutiveFailures: null, failureRatio: 0.5, minimumCalls: 3, window: 1_000 }));
    b.record(0, true, false);
    b.record(1, true, false);
    b.record(2_000, false, false);
    b.record(2_001, false, false);
    b.record(2_002, true, false);
    expect(b.state).toBe('closed');
    expect(b.window).toEqual({ calls: 3, failures: 1 });
  });

  it('for any outcomes, is open exactly after the threshold and never admits two probes at once', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.record({ dt: fc.integer({ min: 0, max: 700 }), failed: fc.boolean(), finish: fc.boolean() }), { maxLength: 120 }),
        (threshold, steps) => {
          const b = breaker(rules({ consecutiveFailures: threshold }));
          let now = 0;
          let inRow = 0;
          let probeOut = false;
          for (const { dt, failed, finish } of steps) {
            now += dt;
            const admission = b.admit(now);
            if (!admission.admitted) {
              expect(b.state === 'open' || (b.state === 'half-open' && probeOut)).toBe(true);
              continue;
            }
            if (admission.probe) {
              expect(probeOut).toBe(false);
              probeOut = true;
              if (!finish) continue; // the probe stays out; the next admits must be refused
              b.record(now, failed, true);
              probeOut = false;
              expect(b.state).toBe(failed ? 'open' : 'closed');
              inRow = 0;
              continue;
            }
            expect(b.state).toBe('closed');
            b.record(now, failed, false);
            inRow = failed ? inRow + 1 : 0;
            expect(b.state).toBe(inRow >= threshold ? 'open' : 'closed');
            if (inRow >= threshold) inRow = 0;
          }
        },
      ),
    );
  });
});
