import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { main, USAGE } from '../src/cli.ts';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const dir = mkdtempSync(join(tmpdir(), 'fetchpipe-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(args, { parseArgs, readFile: (path) => readFileSync(path, 'utf8'), out: (t) => out.push(t), err: (t) => err.push(t), version });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('npx fetchpipe explain', () => {
  it('prints the caveclient plan: waits 0, 0.2 and 0.4 s, and it returns the last response', () => {
    const { code, out } = run(['explain', 'caveclient']);
    expect(code).toBe(0);
    expect(out).toMatch(/retry {2}1 .* 0 s {2}\(total 0 s\)/);
    expect(out).toMatch(/retry {2}2 .* 0\.2 s {2}\(total 0\.2 s\)/);
    expect(out).toMatch(/retry {2}3 .* 0\.4 s {2}\(total 0\.6 s\)/);
    expect(out).toContain('when retries run out: returns the last response');
    expect(out).not.toMatch(/retry {2}4/);
  });
  it('prints the qbraid plan: waits 0 and 1 s', () => {
    const { code, out } = run(['explain', 'qbraid']);
    expect(code).toBe(0);
    expect(out).toMatch(/retry {2}1 .* 0 s/);
    expect(out).toMatch(/retry {2}2 .* 1 s {2}\(total 1 s\)/);
    expect(out).toContain('(and POST on the forcelist)');
  });
  it("explains a user's pipeline from a JSON file, presets spread in place", () => {
    const path = file('pipeline.json', {
      pipeline: [
        { use: 'retry', args: [{ total: 4, statusForcelist: [503] }] },
        { use: 'backoff', args: [{ factor: 250, max: 1000 }] },
        { use: 'baseUrl', args: ['https://api.example.com/v1/'] },
        { use: 'authHeaders', args: [{ 'X-API-Key': 'k' }, { maskQueryParams: ['key'] }] },
      ],
    });
    const { code, out } = run(['explain', path]);
    expect(code).toBe(0);
    expect(out).toContain('pipeline: retry → backoff → baseUrl → authHeaders');
    expect(out).toMatch(/retry {2}2 .* 0\.5 s {2}\(total 0\.5 s\)/);
    expect(out).toMatch(/retry {2}4 .* 1 s {2}\(total 2\.5 s\)/);
    expect(out).toContain('bounded by: total=4');
  });
  it('answers a config that breaks a rule with exit 1 and one line naming the file, step and option', () => {
    const path = file('bad.json', { pipeline: [{ use: 'caveclient' }, { use: 'backoff', args: [{ factor: 0.1 }] }] });
    const { code, err } = run(['explain', path]);
    expect(code).toBe(1);
    expect(err).toBe(`fetchpipe: ${path}: pipeline.1.args.0.factor: expected milliseconds (0.1 looks like seconds: 0.1 s is 100 ms), received 0.1`);
    expect(run(['explain', file('broken.json', '{ "pipeline": [')])).toMatchObject({ code: 1 });
    expect(run(['explain', file('unknown.json', { pipeline: [{ use: 'retyr' }] })]).err).toContain('pipeline.0.use: expected one of retry, backoff');
  });
});

describe('npx fetchpipe: conventions', () => {
  it('prints the usage to stdout and exits 0 for --help and -h', () => {
    for (const flag of ['--help', '-h']) expect(run([flag])).toEqual({ code: 0, out: USAGE, err: '' });
  });
  it('prints the package version for --version and -v', () => {
    for (const flag of ['--version', '-v']) expect(run([flag])).toEqual({ code: 0, out: version, err: '' });
  });
  it('prints a JSON Schema: of a pipeline file by default, of one factory by name', () => {
    expect(JSON.parse(run(['schema']).out).title).toBe('fetchpipe pipeline');
    expect(JSON.parse(run(['schema', 'retry']).out).properties.total).toBeDefined();
  });
  it('answers any unknown flag, command or extra argument with exit 2 and one line on stderr, never a stack', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.stringMatching(/^--[a-z][a-z-]{0,12}$/).filter((f) => f !== '--help' && f !== '--version').map((f) => [f]),
          fc.stringMatching(/^-[a-gi-uw-z]$/).map((f) => [f]),
          fc.stringMatching(/^[a-z]{1,10}$/).filter((c) => c !== 'explain' && c !== 'schema').map((c) => [c]),
          fc.constantFrom<string[]>(['explain'], ['explain', 'ky'], ['explain', 'caveclient', 'extra'], ['schema', 'nope'], [], ['explain', join(dir, 'missing.json')]),
        ),
        (args) => {
          const { code, out, err } = run(args);
          expect(code).toBe(2);
          expect(out).toBe('');
          expect(err.split('\n')).toHaveLength(1);
          expect(err).toMatch(/^fetchpipe: .+ \(see fetchpipe --help\)$/);
          expect(err).not.toMatch(/\n\s+at /);
        },
      ),
      { numRuns: 80 },
    );
  });
});
