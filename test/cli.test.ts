import { describe, expect, it } from 'vitest';
import { main } from '../src/cli.ts';

function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(args, (t) => out.push(t), (t) => err.push(t));
  return { code, out: out.join('\n'), err: err.join('\n') };
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
  it('answers anything else with the usage and exit code 2', () => {
    expect(run([])).toMatchObject({ code: 2, err: 'usage: fetchpipe explain <caveclient|qbraid>' });
    expect(run(['explain', 'ky'])).toMatchObject({ code: 2 });
  });
});
