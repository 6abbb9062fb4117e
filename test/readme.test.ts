// Every code block of the README is type-checked and run, as a reader would paste it: each ts
// block becomes a module (imports of 'fetchpipe…' pointed at src/, through deno.json's export map),
// tsc checks them all under strict settings, and each runs in its own Node process against the
// msw servers of test/readme/backend.ts (unless it sets up msw itself). A line ending in
// `// → text` must print exactly that text. The plan the README shows is the CLI's own output.
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
// Inside the checkout (git ignores it), so the blocks resolve msw, ky, zod and openapi-fetch from
// its node_modules as an app would; not inside node_modules, where Node strips no types.
const DIR = join(ROOT, '.readme-blocks');
const EXPORTS: Record<string, string> = JSON.parse(readFileSync(join(ROOT, 'deno.json'), 'utf8')).exports;

interface Block {
  readonly index: number;
  readonly line: number;
  readonly lang: string;
  readonly code: string;
}

const blocks: Block[] = [...README.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((match, index) => ({
  index,
  line: README.slice(0, match.index).split('\n').length,
  lang: match[1]!,
  code: match[2]!,
}));
const tsBlocks = blocks.filter((block) => block.lang === 'ts');
const fileOf = (block: Block) => join(DIR, `block-${String(block.index).padStart(2, '0')}-line-${block.line}.ts`);

/** The block as a module: 'fetchpipe…' imports point at the sources; the backend first unless it brings its own msw. */
function moduleOf(block: Block): string {
  const code = block.code.replace(/(from\s+|import\s+)'(fetchpipe(?:\/[\w/-]+)?)'/g, (whole, keyword: string, specifier: string) => {
    const target = EXPORTS[specifier === 'fetchpipe' ? '.' : `.${specifier.slice('fetchpipe'.length)}`];
    if (target === undefined) throw new Error(`README line ${block.line}: ${specifier} is not an entry point`);
    return `${keyword}'${relative(DIR, join(ROOT, target)).replaceAll('\\', '/')}'`;
  });
  const backend = /from 'msw\/node'/.test(code) ? '' : `import '${relative(DIR, join(ROOT, 'test/readme/backend.ts'))}';\n`;
  return `${backend}${code}\nexport {};\n`;
}

/** What a block promises to print: the text after `// →` on each line that has one, in order. */
function promised(block: Block): string[] {
  return block.code.split('\n').flatMap((line) => {
    const at = line.indexOf('// → ');
    return at === -1 ? [] : [line.slice(at + 5).trim()];
  });
}

beforeAll(() => {
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  writeFileSync(join(DIR, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  for (const block of tsBlocks) writeFileSync(fileOf(block), moduleOf(block));
  writeFileSync(
    join(DIR, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022', lib: ['ES2023', 'DOM', 'DOM.Iterable'], module: 'NodeNext', moduleResolution: 'NodeNext', strict: true,
        noUncheckedIndexedAccess: true, noEmit: true, allowImportingTsExtensions: true, verbatimModuleSyntax: true, skipLibCheck: true,
        types: ['node'], typeRoots: [join(ROOT, 'node_modules', '@types')],
      },
      files: tsBlocks.map((block) => relative(DIR, fileOf(block))),
    }),
  );
});

describe('README', () => {
  it('has the install line and both commands on its first screen', () => {
    const firstScreen = README.split('\n').slice(0, 24).join('\n');
    expect(firstScreen).toContain('npm i fetchpipe');
    expect(firstScreen).toContain('npm ci && npm run demo');
    expect(firstScreen).toContain('npm test');
  });

  it('has ts code blocks to check, and only languages the test knows', () => {
    expect(tsBlocks.length).toBeGreaterThanOrEqual(10);
    // sh: the commands (the suite itself, the demo test, the package check); text: program output.
    expect(blocks.filter((block) => !['ts', 'sh', 'text'].includes(block.lang)).map((block) => `line ${block.line}: ${block.lang || '(none)'}`)).toEqual([]);
  });

  it('type-checks every ts block under strict settings', { timeout: 60_000 }, () => {
    const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: DIR, encoding: 'utf8' });
    expect(`${tsc.stdout}${tsc.stderr}`).toBe('');
    expect(tsc.status).toBe(0);
  });

  it.each(tsBlocks.map((block) => [block.line, block] as const))('runs the ts block at line %i and prints what it says', { timeout: 30_000 }, async (_, block) => {
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile(process.execPath, [fileOf(block)], { cwd: DIR, timeout: 25_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
      ),
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.trim().split('\n').filter(Boolean)).toEqual(promised(block));
  });

  it("shows exactly what `npx fetchpipe explain caveclient` prints", () => {
    const out: string[] = [];
    main(['explain', 'caveclient'], { parseArgs, readFile: () => '', out: (text) => out.push(text), err: () => undefined, version: '' });
    const shown = blocks.find((block) => block.lang === 'text' && block.code.startsWith('pipeline: '));
    expect(shown?.code.trimEnd()).toBe(out.join('\n'));
  });
});

