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
});
