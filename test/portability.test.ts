import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const SRC = join(ROOT, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|js|mjs|cjs|mts|cts)$/.test(entry.name) ? [path] : [];
  });
}

// Doc comments show imports in @example lines; only code counts.
function withoutComments(code: string): string {
  return code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

/** Every module specifier a file imports, re-exports, requires or references. */
function specifiers(code: string): string[] {
  const patterns = [
    /\b(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\/\/\/\s*<reference\s+(?:types|path|lib)\s*=\s*['"]([^'"]+)['"]/g,
  ];
  return patterns.flatMap((pattern) => [...code.matchAll(pattern)].map((match) => match[1]!));
}

const files = sourceFiles(SRC).map((path) => {
  const text = readFileSync(path, 'utf8');
  return { file: relative(ROOT, path), text, code: withoutComments(text) };
});

// The only packages src/ may import, and where: zod through the config helper (and its list of
// zod/mini names), msw in the opt-in testing subpath, undici in the Node-only subpath,
// @opentelemetry/api in the otel subpath.
const ALLOWED_PACKAGES: Record<string, readonly string[]> = {
  'zod/mini': ['src/core/config.ts', 'src/core/zod.ts'],
  msw: ['src/testing/msw.ts'],
  undici: ['src/node.ts'],
  // The optional peer of the fetchpipe/otel subpath, imported there alone.
  '@opentelemetry/api': ['src/otel/index.ts'],
};

describe('portability of src/', () => {
  it('finds the source files it checks, src/node.ts among them', () => {
    expect(files.length).toBeGreaterThan(10);
    expect(files.map(({ file }) => file)).toContain('src/node.ts');
  });

  it('imports no node:* module anywhere under src/, src/node.ts included', () => {
    const offenders = files.flatMap(({ file, text }) =>
      specifiers(text)
        .filter((specifier) => specifier.startsWith('node:'))
        .map((specifier) => `${file} imports ${specifier}`),
    );
    expect(offenders).toEqual([]);
  });

  it('imports only relative files and the allowed packages, each from its own file', () => {
    const offenders = files.flatMap(({ file, code }) =>
      specifiers(code)
        .filter((specifier) => !specifier.startsWith('./') && !specifier.startsWith('../'))
        .filter((specifier) => !ALLOWED_PACKAGES[specifier]?.includes(file))
        .map((specifier) => `${file} imports ${specifier}`),
    );
    expect(offenders).toEqual([]);
  });

  it('imports relative files with their .ts extension, so Node, Deno and Bun run the sources as they are', () => {
    const offenders = files.flatMap(({ file, code }) =>
      specifiers(code)
        .filter((specifier) => specifier.startsWith('.') && !specifier.endsWith('.ts'))
        .map((specifier) => `${file} imports ${specifier}`),
    );
    expect(offenders).toEqual([]);
  });

  it('uses no Node, Deno or Bun global (process, Buffer, require, __dirname, Deno, Bun)', () => {
    const offenders = files.flatMap(({ file, code }) =>
      [...code.matchAll(/\b(process|Buffer|require|__dirname|__filename|Deno|Bun)\s*[.([]/g)].map(
        (match) => `${file} uses ${match[1]}`,
      ),
    );
    expect(offenders).toEqual([]);
  });
});

// What the README documents, entry point by entry point. The values are checked at run time,
// the types in the entry file's export list.
const DOCUMENTED: Record<string, { file: string; values: readonly string[]; types: readonly string[] }> = {
  fetchpipe: {
    file: 'src/index.ts',
    values: [
      'createClient', 'defineMiddleware',
      'retry', 'backoff', 'baseUrl', 'headers', 'authHeaders', 'userAgent', 'httpErrors', 'timeout', 'redirect', 'pool',
      'FetchpipeError', 'ConnectionError', 'ConnectTimeoutError', 'SSLError', 'ReadTimeoutError', 'TotalTimeoutError',
      'MaxRetryError', 'HTTPError', 'InvalidURLError', 'PoolTimeoutError', 'TooManyRedirectsError', 'ConfigError',
      'isFetchpipeError', 'isConnectionError', 'isConnectTimeoutError', 'isSSLError', 'isReadTimeoutError',
      'isTotalTimeoutError', 'isMaxRetryError', 'isHTTPError', 'isInvalidURLError', 'isPoolTimeoutError',
      'isTooManyRedirectsError', 'isConfigError', 'isAbortError',
    ],
    types: [
      'FetchFunction', 'FetchpipeRequest', 'Middleware', 'Next', 'ClientOptions', 'CallContext',
      'RetryOptions', 'BackoffOptions', 'Clock', 'TimeoutOptions', 'RedirectOptions', 'PoolOptions',
      'AuthHeadersOptions', 'UserAgentOptions', 'AttemptRecord', 'FetchpipeEvent',
    ],
  },
  'fetchpipe/presets': {
    file: 'src/presets/index.ts',
    values: ['caveclient', 'qbraid', 'setSessionDefaults', 'getSessionDefaults'],
    types: ['QbraidOptions'],
  },
  'fetchpipe/testing': {
    file: 'src/testing/index.ts',
    values: ['sequence', 'recordingClock'],
    types: ['Step', 'Sequence', 'RecordingClock'],
  },
  'fetchpipe/testing/msw': { file: 'src/testing/msw.ts', values: ['sequenceHandler'], types: ['SequenceHandler'] },
  'fetchpipe/node': { file: 'src/node.ts', values: ['connectTimeout'], types: [] },
};

/** The names a file exports, values and types alike, read from its text. */
function exportedNames(code: string): Set<string> {
  const names = new Set<string>();
  for (const [, list] of code.matchAll(/\bexport\s+(?:type\s+)?\{([^}]*)\}/g)) {
    for (const item of list!.split(',')) {
      const name = item.trim().replace(/^type\s+/, '').split(/\s+as\s+/).pop()!.trim();
      if (name !== '') names.add(name);
    }
  }
  for (const [, name] of code.matchAll(/\bexport\s+(?:declare\s+)?(?:async\s+)?(?:function\*?|const|let|class|interface|type|enum)\s+([A-Za-z_$][\w$]*)/g)) {
    names.add(name!);
  }
  return names;
}

describe('the documented API', () => {
  for (const [entry, { file, values, types }] of Object.entries(DOCUMENTED)) {
    it(`${entry} exports every documented value`, async () => {
      const module = (await import(join(ROOT, file))) as Record<string, unknown>;
      const missing = values.filter((name) => module[name] === undefined);
      expect(missing).toEqual([]);
    });

    if (types.length > 0) {
      it(`${entry} exports every documented type`, () => {
        const exported = exportedNames(withoutComments(readFileSync(join(ROOT, file), 'utf8')));
        expect(types.filter((name) => !exported.has(name))).toEqual([]);
      });
    }
  }

  it('src/index.ts holds explicit named exports and nothing else', () => {
    const code = withoutComments(readFileSync(join(SRC, 'index.ts'), 'utf8')).trim();
    const statements = code.split(/;\s*/).filter((statement) => statement.trim() !== '');
    const other = statements.filter((statement) => !/^export\s+(?:type\s+)?\{[^}]*\}\s*from\s*['"]\.\/[^'"]+\.ts['"]$/.test(statement.trim()));
    expect(other).toEqual([]);
  });
});
