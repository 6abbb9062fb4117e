// The npm build: one ESM file per source module (`unbundle`), with a .d.ts and a declaration
// map beside each public one. Platform neutral: nothing assumes Node, except the `./node`
// entry, whose undici import stays external like every dependency and peer dependency.
//
// Why one file per module rather than chunks: with `"sideEffects": false`, a user's bundler
// drops every module whose exports go unused, so `import { isMaxRetryError } from 'fetchpipe'`
// costs the guard and nothing else. Merged chunks defeat that: a chunk holding an error class
// and a middleware's module-level schema keeps the schema (and zod) alive. It also makes
// dist/ mirror src/, so go-to-definition and stack traces name the file they mean.
import { defineConfig, type UserConfig } from 'tsdown';
import { browserSources } from './scripts/browser-sources.ts';

// Named after their source files, so that dist/ mirrors src/ (dist/presets/index.js …).
const neutral: UserConfig = {
  entry: {
    index: 'src/index.ts',
    'kit/index': 'src/kit/index.ts',
    'presets/index': 'src/presets/index.ts',
    'schemas/index': 'src/schemas/index.ts',
    'testing/index': 'src/testing/index.ts',
    'testing/msw': 'src/testing/msw.ts',
    node: 'src/node.ts',
    'otel/index': 'src/otel/index.ts',
    // Not an export: what bin/fetchpipe.js runs.
    cli: 'src/cli.ts',
  },
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  // Declaration maps point into src/, which the package ships, so go-to-definition lands on the source.
  // `@internal` members stay out of the declarations (tsconfig.json's stripInternal, which the
  // declaration generator reads): ReadonlyHeaders' refusing append, set and delete, which a
  // Node-only program could not compile as overrides (@types/node declares Headers' methods as
  // properties); the inherited declarations say the same.
  dts: { sourcemap: true },
  sourcemap: false,
  unbundle: true,
  outDir: 'dist',
  clean: true,
  hash: false,
  deps: {
    // Never inline a dependency, even one only listed in devDependencies: users share one copy.
    neverBundle: [/^zod(\/|$)/, /^msw(\/|$)/, /^undici(\/|$)/, /^@opentelemetry\//, /^node:/],
    onlyImport: ['zod', 'msw', 'undici', '@opentelemetry/api'],
  },
};

// The `browser` export condition: the entries a page can load (not ./node, nor ./otel, which
// loads neither twin), built again into dist/browser/
// with each `<name>.browser.ts` in place of its `<name>.ts` (scripts/browser-sources.ts): no
// server runtime failure tables, no hop-by-hop redirect following, which a page's fetch never
// needs. The declarations are the neutral build's: the API is the same.
const browser: UserConfig = {
  ...neutral,
  entry: Object.fromEntries(Object.entries(neutral.entry as Record<string, string>).filter(([name]) => !['node', 'otel/index', 'cli'].includes(name))),
  platform: 'browser',
  dts: false,
  outDir: 'dist/browser',
  clean: false,
  plugins: [browserSources()],
};

export default defineConfig([neutral, browser]);
