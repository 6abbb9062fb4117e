// Every file in examples/ is a runnable scenario: each must exit 0 by itself.
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dir = fileURLToPath(new URL('../examples/', import.meta.url));
const examples = readdirSync(dir).filter((name) => name.endsWith('.ts'));

describe('examples', () => {
  it('has examples to run', () => {
    expect(examples.length).toBeGreaterThanOrEqual(3);
  });
  it.each(examples)('%s runs and exits 0', async (name) => {
    const output = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, [dir + name], { timeout: 30_000 }, (error, stdout, stderr) =>
        error ? reject(new Error(`${name} failed: ${stderr || error.message}`)) : resolve(stdout),
      );
    });
    expect(output.length).toBeGreaterThan(0);
  });
});
