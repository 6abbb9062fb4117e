// The README's main command must keep working: run the demo as a user would and read its output.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

it('runs the demo against its embedded server, under 15 s, and exits 0', async () => {
  const script = fileURLToPath(new URL('../demo/main.ts', import.meta.url));
  const started = performance.now();
  const output = await new Promise<string>((resolve, reject) => {
    execFile(process.execPath, [script], { timeout: 15_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(stderr || error.message)) : resolve(stdout),
    );
  });
  expect(performance.now() - started).toBeLessThan(15_000);
  expect(output).toMatch(/wait 200 ms \(backoff\)/);
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
