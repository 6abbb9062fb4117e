// The README's main command must keep working: run the demo as a user would and read its output.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../demo/main.ts', import.meta.url));

function demo(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [script, ...args], { timeout: 15_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

/** The `+ 12 ms` or `+ 1.26 s` at the start of a timeline line, in ms. */
function elapsedMs(line: string): number {
  const [, value, unit] = /^\s*\+\s*([\d.]+) (ms|s) /.exec(line) ?? [];
  if (value === undefined) throw new Error(`no elapsed time in ${JSON.stringify(line)}`);
  return Number(value) * (unit === 's' ? 1000 : 1);
}

describe('npm run demo', () => {
  it('runs the demo against its embedded server, under 15 s, and exits 0', async () => {
    const started = performance.now();
    const { code, stdout: output, stderr } = await demo([]);
    expect(code, stderr).toBe(0);
    expect(performance.now() - started).toBeLessThan(15_000);
    // The wait as it happened at the default scale of 0.25, and the plan beside it.
    expect(output).toMatch(/wait 50 ms \(backoff, planned 200 ms × 0\.25\)/);
    expect(output).toMatch(/redirect 302 → http:\/\/127\.0\.0\.1:\d+\/landing \(stripped x-api-key\)/);
    expect(output).toContain('second origin saw: no key');
    expect(output).toContain('24/24: 24 × 200');
    expect(output).toContain('masked as "..."');
    expect(output).not.toContain('demo-key-4f9c2e71');
    expect(output).not.toContain('YES (bug!)');
    // The resilience scenarios, a line each.
    expect(output).toContain('without retryBudget(): 80 attempts; with it: 24 attempts');
    expect(output).toContain('10 × 401 → 1 refresh, 10 replays → 10 × 200');
    expect(output).toMatch(/8 × 200, 0 × 429: it waited for the reset instead/);
    expect(output).toContain('3 sent, then the circuit opened: 7 failed fast with CircuitOpenError (state: open)');
    expect(output).toContain('POST → 200 after 3 attempts, 1 Idempotency-Key for all of them');
    expect(output).toContain('withOptions(client, { retry: { total: 0 } }) → MaxRetryError after 1 attempt');
    expect(output).toMatch(/GET {12}status 503 resend 1 error\.type 503/);
  });

  it('takes --scale=1 and then waits the real 200 ms and 1 s', async () => {
    const { code, stdout } = await demo(['--scale=1']);
    expect(code).toBe(0);
    expect(stdout).toContain('backoff scale 1');
    expect(stdout).toMatch(/wait 200 ms \(backoff\)\n/);
    expect(stdout).toMatch(/wait 1 s \(backoff\)\n/);
    // The next line's elapsed time shows that the 1 s wait really took 1 s.
    const lines = stdout.split('\n');
    const at = lines.findIndex((line) => line.includes('wait 1 s (backoff)'));
    expect(elapsedMs(lines[at + 1]!) - elapsedMs(lines[at]!)).toBeGreaterThanOrEqual(990);
  });

  it('prints its usage for --help (exit 0) and answers a bad value or an unknown flag with exit 2 and one line', async () => {
    const help = await demo(['--help']);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toContain('--scale');
    for (const args of [['--scale=0'], ['--scale=abc'], ['--scale=2'], ['--scale'], ['--nope'], ['extra']]) {
      const { code, stdout, stderr } = await demo(args);
      expect(code, args.join(' ')).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
  });
});
