// The bundle-size check, on the built package as a user's bundler sees it (scripts/size.ts:
// tsdown into a scratch node_modules/fetchpipe, then esbuild through the package's exports,
// minified, ESM, gzip). A ceiling that is exceeded fails here with the figures and the biggest
// inputs; the fix is smaller code (or, for a deliberate addition, a ceiling raised in the same commit).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLES, ERROR_CLASS_CEILING, GUARD_CEILING, installBuilt, measureAll, singleExports, type Installed, type Measured, type Single } from '../scripts/size.ts';

let installed: Installed;
let measured: Measured[] = [];
let singles: Single[] = [];

beforeAll(async () => {
  installed = installBuilt();
  measured = await measureAll(installed.app);
  singles = await singleExports(installed.app);
  console.log(measured.map((m) => `${m.name}, zod ${m.zod}: ${m.minified} B min, ${m.gzipped} B min+gz (ceiling ${m.ceiling}, target ${m.target ?? 'none'})`).join('\n'));
}, 120_000);

afterAll(() => installed?.dispose());

function explain(m: Measured): string {
  return `${m.name} (zod ${m.zod}) is ${m.gzipped} B min+gz, ceiling ${m.ceiling} B; biggest inputs: ${m.top.map(({ input, bytes }) => `${input} ${bytes} B`).join(', ')}`;
}

describe('bundle size from dist/, min+gz', () => {
  it('measures every bundle of the table, each non-empty', () => {
    expect(measured).toHaveLength(BUNDLES.length);
    for (const m of measured) expect(m.gzipped).toBeGreaterThan(500);
  });

  // The targets (2.5 kB, 8 kB and 9 kB) are not met: fetchpipe's own code for the typical client
  // is about 27 kB minified. The ceilings sit at today's figures so that growth fails the suite.
  it.each(BUNDLES.map((b) => [`${b.name}, zod ${b.zod}`, b] as const))('keeps the %s under its ceiling', (_, bundle) => {
    const m = measured.find((x) => x.name === bundle.name && x.zod === bundle.zod)!;
    expect(m.gzipped, explain(m)).toBeLessThanOrEqual(bundle.ceiling);
  });

  it('finds every guard and error class of the main entry in the built package', () => {
    const names = singles.map((s) => s.name);
    expect(names).toContain('isMaxRetryError');
    expect(names).toContain('MaxRetryError');
    expect(names).toContain('ConfigError');
    expect(names.filter((n) => n.startsWith('is')).length).toBeGreaterThanOrEqual(14);
    expect(names.filter((n) => !n.startsWith('is')).length).toBeGreaterThanOrEqual(14);
  });

  it(`costs at most ${GUARD_CEILING} B for any one type guard imported alone, zod bundled`, () => {
    const guards = singles.filter((s) => s.kind === 'guard');
    expect(guards.filter((s) => s.gzipped > GUARD_CEILING).map((s) => `${s.name}: ${s.gzipped} B`)).toEqual([]);
    // Something was measured: the guard's own code, not an empty bundle.
    for (const s of guards) expect(s.gzipped).toBeGreaterThan(50);
  });

  // The target for an error class alone is 300 B as for a guard; it is not met (see scripts/size.ts).
  it(`costs at most ${ERROR_CLASS_CEILING} B for any one error class imported alone, with no zod and no middleware`, () => {
    const classes = singles.filter((s) => s.kind === 'error class');
    expect(classes.filter((s) => s.gzipped > ERROR_CLASS_CEILING).map((s) => `${s.name}: ${s.gzipped} B`)).toEqual([]);
    for (const s of classes) expect(s.gzipped).toBeGreaterThan(50);
  });
});
