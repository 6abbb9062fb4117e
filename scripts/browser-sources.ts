// The sources the package's browser build swaps: each `<name>.browser.ts` stands in for the
// `<name>.ts` beside it, with the same exports, leaving out what a page's fetch never needs
// (the server runtimes' failure tables, redirect()'s hop-by-hop following). The build makes
// dist/browser/ with this plugin, and vitest.config.ts runs the Chromium suite through the same
// plugin, so that what a page loads is what is tested in a page.
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Relative imports, as the sources write them, of the modules that have a browser twin. */
const BROWSER_TWINS: readonly RegExp[] = [/^(?:\.\.?\/)+(?:errors\/)?fetch-failure\.ts$/, /^\.\/follow\.ts$/];

/** The twin of `source` (an import specifier), or undefined when it has none. */
export function browserTwin(source: string): string | undefined {
  return BROWSER_TWINS.some((pattern) => pattern.test(source)) ? source.replace(/\.ts$/, '.browser.ts') : undefined;
}

/** A resolver plugin (rolldown's and vite's hook are the same) that resolves each twin instead of the module it stands in for. */
export function browserSources() {
  return {
    name: 'fetchpipe-browser-sources',
    enforce: 'pre' as const,
    resolveId(source: string, importer: string | undefined): string | null {
      const twin = importer === undefined ? undefined : browserTwin(source);
      return twin === undefined ? null : fileURLToPath(new URL(twin, pathToFileURL(importer!)));
    },
  };
}
