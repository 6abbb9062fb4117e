// The packaging check, run by `npm test`: build, publint --strict, attw (esm-only), the npm
// pack file list, and the packed tarball installed and imported from Node and Deno.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const script = fileURLToPath(new URL('../scripts/check-package.ts', import.meta.url));

it('builds a package that publint, attw, Node and Deno all accept', { timeout: 240_000 }, async () => {
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
    let output = '';
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.on('close', (code) => resolve({ code, output }));
  });
  // The whole report on failure: which step, and what the tool said.
  expect(code, output).toBe(0);
  expect(output).toContain('package check passed');
});
