// Issue #16's proof: the resilience middlewares are written against the public kit alone.
// Each file of their folders imports only src/kit/index.ts and files of its own folder, and
// fetchpipe/otel only the kit, its own folder and @opentelemetry/api. The one exception is the
// kit's own: a slot file the kit re-exports (retry-budget/slots.ts) is part of the kit, and like
// the kit it is made of src/core/ (importing the kit from it would be a cycle).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const KIT = join(ROOT, 'src', 'kit', 'index.ts');
const FOLDERS = ['middleware/retry-budget', 'middleware/auth-refresh', 'middleware/rate-limit', 'middleware/circuit-breaker', 'middleware/idempotency-key', 'otel'];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/** What a file imports or re-exports, comments left out (doc examples show imports too). */
function imports(file: string): string[] {
  const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  return [...code.matchAll(/\b(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => (m[1] ?? m[2])!);
}

const KIT_PARTS = new Set(imports(KIT).map((specifier) => resolve(dirname(KIT), specifier)));

describe('the resilience middlewares import only the kit and their own folder', () => {
  for (const name of FOLDERS) {
    it(`src/${name}/`, () => {
      const folder = join(ROOT, 'src', name);
      const seen = files(folder);
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.map((file) => relative(folder, file))).toContain('index.ts');
      const offenders = seen.flatMap((file) =>
        imports(file)
          .filter((specifier) => {
            if (name === 'otel' && specifier === '@opentelemetry/api') return false;
            const target = resolve(dirname(file), specifier);
            const partOfKit = KIT_PARTS.has(file) && target.startsWith(join(ROOT, 'src', 'core') + '/');
            return target !== KIT && !target.startsWith(folder + '/') && !partOfKit;
          })
          .map((specifier) => `${relative(ROOT, file)} imports ${specifier}`),
      );
      expect(offenders).toEqual([]);
    });
  }
});
