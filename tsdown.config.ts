// The npm build: one ESM file per public entry point (shared code goes into chunks), with
// bundled .d.ts beside each. Platform neutral: nothing assumes Node, except the `./node`
// entry, whose undici import stays external like every dependency and peer dependency.
import { defineConfig, type UserConfig } from 'tsdown';
import { browserSources } from './scripts/browser-sources.ts';

const neutral: UserConfig = {
  entry: {
    index: 'src/index.ts',
    kit: 'src/kit/index.ts',
    presets: 'src/presets/index.ts',
    testing: 'src/testing/index.ts',
    'testing-msw': 'src/testing/msw.ts',
    node: 'src/node.ts',
    otel: 'src/otel/index.ts',
    // Not an export: what bin/fetchpipe.js runs.
    cli: 'src/cli.ts',
  },
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  dts: true,
  outDir: 'dist',
  clean: true,
  // Stable chunk names keep `npm pack`'s file list checkable against an allow-list.
  hash: false,
  // Many sources are folders' index.ts; a chunk is named after its folder under src/
  // (middleware-retry.js, not index3.js), so go-to-definition lands somewhere that makes sense.
  outputOptions: { chunkFileNames: chunkFileName },
  deps: {
    // Never inline a dependency, even one only listed in devDependencies: users share one copy.
    neverBundle: [/^zod(\/|$)/, /^msw(\/|$)/, /^undici(\/|$)/, /^@opentelemetry\//],
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
  entry: Object.fromEntries(Object.entries(neutral.entry as Record<string, string>).filter(([name]) => !['node', 'otel', 'cli'].includes(name))),
  platform: 'browser',
  dts: false,
  outDir: 'dist/browser',
  clean: false,
  plugins: [browserSources()],
};

export default defineConfig([neutral, browser]);

function chunkFileName(chunk: { name: string; facadeModuleId: string | null; moduleIds: readonly string[] }): string {
  const dts = chunk.name.endsWith('.d');
  const source = chunk.facadeModuleId ?? chunk.moduleIds.find((id) => id.includes('/src/')) ?? chunk.name;
  const path = source.split('/src/').pop()!.replace(/\.d\.ts$|\.ts$/, '').replace(/\/index$/, '');
  return `${path.replaceAll('/', '-')}${dts ? '.d.ts' : '.js'}`;
}
