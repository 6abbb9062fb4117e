// The README's "Writing a middleware" section is code a newcomer copies: every ```ts block in it is
// type-checked against the sources and run, and each `console.log(…) // → text` must print that text.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The ```ts blocks between a heading and the next heading of the same level. */
function blocksOf(heading: string): string[] {
  const start = README.indexOf(`\n${heading}\n`);
  if (start === -1) throw new Error(`README has no "${heading}" section`);
  const level = heading.split(' ')[0]!;
  const rest = README.slice(start + heading.length + 2);
  const end = rest.search(new RegExp(`\\n${level} `));
  const section = end === -1 ? rest : rest.slice(0, end);
  return [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!);
}

const blocks = blocksOf('## Writing a middleware');
const dir = mkdtempSync(join(tmpdir(), 'fetchpipe-readme-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// What a user imports, pointed at the sources.
const ENTRIES: Record<string, string> = { fetchpipe: 'src/index.ts', 'fetchpipe/kit': 'src/kit/index.ts' };
const files = blocks.map((code, index) => {
  const file = join(dir, `block-${index + 1}.ts`);
  writeFileSync(file, code.replace(/from '(fetchpipe(?:\/kit)?)'/g, (_, name: string) => `from '${relative(dir, join(ROOT, ENTRIES[name]!))}'`));
  return file;
});
writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
writeFileSync(
  join(dir, 'tsconfig.json'),
  JSON.stringify({ extends: join(ROOT, 'tsconfig.json'), compilerOptions: { typeRoots: [join(ROOT, 'node_modules/@types')] }, include: ['*.ts'] }),
);

function run(command: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: dir, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` }),
    );
  });
}

describe('README, "Writing a middleware"', () => {
  it('has code blocks, each one with a line whose output it states', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
    for (const code of blocks) expect(code).toMatch(/\/\/ → /);
  });

  it('type-checks every block against the sources', { timeout: 90_000 }, async () => {
    const tsc = join(ROOT, 'node_modules', '.bin', 'tsc');
    const { code, output } = await run(tsc, ['--noEmit', '-p', join(dir, 'tsconfig.json')]);
    expect(output).toBe('');
    expect(code).toBe(0);
  });

  it.each(files.map((file, index) => [index + 1, file] as const))('runs block %i and prints what it says', { timeout: 30_000 }, async (index, file) => {
    const { code, output } = await run(process.execPath, [file]);
    expect(code, output).toBe(0);
    const expected = [...blocks[index - 1]!.matchAll(/\/\/ → (.*)$/gm)].map((match) => match[1]!.trim());
    expect(output.trim().split('\n').map((line) => line.trim())).toEqual(expected);
  });
});

describe('README, "The kit"', () => {
  it('lists only names that fetchpipe/kit exports (values at run time, types in its export list)', async () => {
    const start = README.indexOf('\n### The kit\n');
    const table = README.slice(start, README.indexOf('\n### ', start + 5));
    const names = new Set<string>();
    for (const line of table.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| need') && !l.startsWith('|---'))) {
      const cells = line.split(' | ').slice(1).join(' | ');
      for (const [, code] of cells.matchAll(/`([^`]+)`/g)) {
        const name = /^(?:request\.context\.)?([A-Za-z_$][\w$]*)/.exec(code!)?.[1];
        if (name !== undefined && !['request', 'scope'].includes(name)) names.add(name);
      }
    }
    const kit = (await import('../src/kit/index.ts')) as Record<string, unknown>;
    const source = readFileSync(join(ROOT, 'src/kit/index.ts'), 'utf8');
    const context = new Set(['get', 'set', 'history', 'masker']);
    const missing = [...names].filter((name) => kit[name] === undefined && !new RegExp(`\\btype ${name}\\b`).test(source) && !context.has(name));
    expect(names.size).toBeGreaterThan(40);
    expect(missing).toEqual([]);
  });
});
