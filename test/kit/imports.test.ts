// Built-ins are written with the public kit: every file of src/middleware/<name>/ imports only
// src/kit/index.ts, files of its own folder, or another middleware's public factory (its
// index.ts, whose exports fetchpipe exports too), exactly what a user's middleware can import.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const MIDDLEWARE = join(ROOT, 'src', 'middleware');
const KIT = join(ROOT, 'src', 'kit', 'index.ts');

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

const KIT_PARTS = new Set(imports(KIT).map((specifier) => resolve(dirname(KIT), specifier)).filter((path) => path.startsWith(MIDDLEWARE)));
const folders = readdirSync(MIDDLEWARE, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(MIDDLEWARE, e.name));

describe('built-in middlewares import only the kit and their own folder', () => {
  it('finds the middleware folders', () => {
    expect(folders.map((f) => relative(MIDDLEWARE, f)).sort()).toEqual(
      expect.arrayContaining(['auth-headers', 'backoff', 'base-url', 'headers', 'http-errors', 'logger', 'pool', 'redirect', 'retry', 'timeout', 'user-agent']),
    );
  });

  for (const folder of folders) {
    it(`src/middleware/${relative(MIDDLEWARE, folder)}/`, () => {
      const offenders: string[] = [];
      for (const file of files(folder)) {
        for (const specifier of imports(file)) {
          const target = resolve(dirname(file), specifier);
          const own = dirname(target) === folder || target.startsWith(folder + '/');
          const otherFactory = dirname(dirname(target)) === MIDDLEWARE && target.endsWith('/index.ts');
          // A file the kit re-exports (a slot declared beside its writer) is part of the kit:
          // like the kit, it is made of the core.
          const partOfKit = KIT_PARTS.has(file) && target.startsWith(join(ROOT, 'src', 'core') + '/');
          if (target === KIT || own || otherFactory || partOfKit) continue;
          offenders.push(`${relative(ROOT, file)} imports ${specifier}`);
        }
      }
      expect(offenders).toEqual([]);
    });
  }

  it('imports another middleware only for public names that fetchpipe exports as well', async () => {
    const entry = (await import('../../src/index.ts')) as Record<string, unknown>;
    const used: string[] = [];
    for (const file of folders.flatMap(files)) {
      const code = readFileSync(file, 'utf8');
      for (const [, names, specifier] of code.matchAll(/import\s*\{([^}]*)\}\s*from\s*['"](\.\.\/[\w-]+\/index\.ts)['"]/g)) {
        for (const name of names!.split(',').map((n) => n.trim().replace(/^type\s+/, '')).filter(Boolean)) used.push(`${specifier}:${name}`);
      }
    }
    // Values must be on the public entry; types are checked by the type checker.
    const values = used.filter((u) => /:[a-z]/.test(u)).map((u) => u.split(':')[1]!);
    expect(values.filter((name) => entry[name] === undefined)).toEqual([]);
  });
});
