// Issue 18's size budgets, on the built package as an app's bundler sees it: tsdown's builds
// (neutral, and browser into dist/browser/) installed in an app folder, `import … from
// 'fetchpipe'` bundled by esbuild through the package's `exports` (the `browser` condition on
// platform browser, the Node/Deno/Bun build on platform node), minified, gzipped. The targets
// are not met (bench/ANALYSIS.md says by how much and why); each ceiling is the figure reached,
// and is lowered whenever a change brings the figure down. A change that raises one says so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPackage, removePackage } from '../bench/built-package.ts';
import { SIZE_TARGETS, measureTarget, type SizeTarget } from '../bench/size.ts';

/** Bytes min+gz: the figures reached, by target name and zod (the full library's after main's resilience work, +23 B, then issue #13's error JSON, util.inspect output and seconds checks, +135 B, then the history entries of rateLimit() and circuitBreaker() and nodeTimeout()'s order, +38 B). */
const CEILINGS: Readonly<Record<string, number>> = {
  'typical client, browser build, zod left out': 16_030,
  'typical client, browser build, zod counted': 20_390,
  'typical client, Node/Deno/Bun build, zod left out': 17_370,
  'full library, zod counted': 30_230,
  'one guard, zod counted': 8_160,
  'one error class, zod counted': 8_220,
};

const key = (t: Omit<SizeTarget, 'gzipped'>) => `${t.name}, zod ${t.zod}`;
let measured: SizeTarget[] = [];

beforeAll(async () => {
  const app = buildPackage();
  measured = [];
  for (const target of SIZE_TARGETS) measured.push(await measureTarget(app, target));
  console.log(measured.map((m) => `${key(m)}: ${m.gzipped} B min+gz (target ${m.target} B, ceiling ${CEILINGS[key(m)]} B)`).join('\n'));
}, 120_000);

afterAll(() => removePackage());

describe("issue 18's size budgets, on the built package", () => {
  it.each(SIZE_TARGETS.map((t) => [key(t), t] as const))('holds the %s at or under the figure reached', (name, target) => {
    const m = measured.find((x) => key(x) === name)!;
    expect(CEILINGS[name], `no ceiling for ${name}`).toBeGreaterThan(0);
    expect(m.gzipped, `${name}: ${m.gzipped} B, ceiling ${CEILINGS[name]} B, target ${target.target} B`).toBeLessThanOrEqual(CEILINGS[name]!);
  });

  it('makes the browser build of the typical client smaller than the Node/Deno/Bun build', () => {
    const browser = measured.find((m) => key(m) === 'typical client, browser build, zod left out')!;
    const node = measured.find((m) => key(m) === 'typical client, Node/Deno/Bun build, zod left out')!;
    expect(browser.gzipped).toBeLessThan(node.gzipped - 1_000);
  });
});
