// The bundle-size check (issue 6): esbuild, minified, browser, ESM, then gzip. A ceiling that
// is exceeded fails here with the figures and the biggest inputs; the fix is smaller code.
import { beforeAll, describe, expect, it } from 'vitest';
import { measureAll, type Measured } from '../scripts/size.ts';

let measured: Measured[] = [];

beforeAll(async () => {
  measured = await measureAll();
  console.log(
    measured.map((m) => `${m.name}, zod ${m.zod}: ${m.minified} B min, ${m.gzipped} B min+gz (budget ${m.budget ?? 'none'})`).join('\n'),
  );
});

function figure(name: string, zod: Measured['zod']): Measured {
  const found = measured.find((m) => m.name === name && m.zod === zod);
  if (found === undefined) throw new Error(`no measurement for ${name} with zod ${zod}`);
  return found;
}

function explain(m: Measured): string {
  return `${m.name} (zod ${m.zod}) is ${m.gzipped} B min+gz, budget ${m.budget} B; biggest inputs: ${m.top
    .map(({ input, bytes }) => `${input} ${bytes} B`)
    .join(', ')}`;
}

// The budgets (2.5 kB, 8 kB, 9 kB) are the targets and are NOT met: fetchpipe's own
// code for the typical client is about 27 kB minified (urllib3 counters, masking, per-platform
// error mapping, redirect stripping). These ceilings sit just above today's figures so that
// growth fails the suite, and are lowered as the code shrinks; `npm run size` reports every
// target as OVER. (Lowered by 4.5 kB when option schemas moved to zod custom rules, then again
// after a pass over duplicated code; raised by 1.0 kB for issues #15 and #14 §5: redirect()
// reading opaqueredirect, refusing to let a hiding platform forward credentials, its limit
// probe, and urllib3's MaxRetryError message naming the attempted URL; raised by 1.2 kB more
// for issue #14 §1, §4 and §6: baseUrl's server-side path check, error bodies read with an
// abortable bounded read, chained long timers, observers that cannot fail a call, and fetch's
// refusals told apart from network failures on every runtime, bad-port list included; raised
// by 2.5 kB for #14 §2–3: secrets learned by header name, URL and query parsing, their encoded
// forms, and foreign errors made safe to print.) Raised again by what issue #16's kit costs:
// order resolution in createClient() (needs, fills, after/before and their ConfigErrors,
// 0.30 kB), the per-call context class with typed slots, the error brand and `retryable`, and
// custom events; KIT_COST is measured on main before and after merging the kit (the full
// library's +100 B more since: retry's budget and pool's slot queue as helpers of their own).
const KIT_COST = { typicalExternal: 660, typicalBundled: 660, fullBundled: 970 };
// And by what issue #18's speed-ups cost, measured on main before and after merging them: stacks
// masked when first read instead of formatted to be masked (lazy-stack.ts, about 0.18 kB; a
// failed call 1.65× faster), a failed call's secret forms computed once per distinct value (a
// failed call, an onEvent call and a retry 3.5–6× faster), one Headers copy per header layer.
const PERF_COST = { typicalExternal: 290, typicalBundled: 295, fullBundled: 270 };
// And by what issue #17's resilience work costs, measured on main before and after merging it.
// The typical client pays for the hooks its middlewares gained: retry()'s veto and idempotent
// slots, the per-call policy (withOptions) in retry(), backoff() and timeout(), and the context's
// listen() that fetchpipe/otel uses (0.30 kB). The full library also holds the five new
// middlewares, withOptions and their explain() lines (`npm run size -- --steps` lists each).
const RESILIENCE_COST = { typicalExternal: 300, typicalBundled: 280, fullBundled: 5_530 };
const CEILINGS = {
  typicalExternal: 15_450 + KIT_COST.typicalExternal + PERF_COST.typicalExternal + RESILIENCE_COST.typicalExternal,
  typicalBundled: 19_800 + KIT_COST.typicalBundled + PERF_COST.typicalBundled + RESILIENCE_COST.typicalBundled,
  fullBundled: 24_700 + KIT_COST.fullBundled + PERF_COST.fullBundled + RESILIENCE_COST.fullBundled,
};

describe('bundle size, min+gz', () => {
  it('keeps a typical client (createClient, retry, backoff, baseUrl, authHeaders, userAgent) under its ceiling without zod (target 2.5 kB)', () => {
    const m = figure('typical client', 'external');
    expect(m.budget).toBe(2_500);
    expect(m.gzipped, explain(m)).toBeLessThanOrEqual(CEILINGS.typicalExternal);
  });

  it('keeps the same typical client under its ceiling with zod/mini counted (target 8 kB)', () => {
    const m = figure('typical client', 'bundled');
    expect(m.budget).toBe(8_000);
    expect(m.gzipped, explain(m)).toBeLessThanOrEqual(CEILINGS.typicalBundled);
  });

  it('keeps the full library under its ceiling with zod/mini counted (target 9 kB, the size of ky)', () => {
    const m = figure('full library', 'bundled');
    expect(m.budget).toBe(9_000);
    expect(m.gzipped, explain(m)).toBeLessThanOrEqual(CEILINGS.fullBundled);
  });

  it('measures every scenario with a non-empty bundle', () => {
    expect(measured).toHaveLength(4);
    for (const m of measured) expect(m.gzipped).toBeGreaterThan(500);
  });
});
