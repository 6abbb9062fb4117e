// Each benchmark runs in a child process of its own: a fresh heap and JIT, `--expose-gc` where it
// measures memory, and no state carried over from the clients of another benchmark.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Runs `script` (a bench/*.ts file) with `options` and resolves with the result it sends back. */
export function runChild<T>(script: string, options: unknown, execArgv: readonly string[] = []): Promise<T> {
  const path = fileURLToPath(new URL(script, import.meta.url));
  return new Promise<T>((resolve, reject) => {
    let result: { ok: true; value: T } | { ok: false; error: string } | undefined;
    const child = fork(path, [JSON.stringify(options)], { execArgv: [...execArgv], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.on('message', (message) => {
      result = message as typeof result;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (result?.ok) resolve(result.value);
      else if (result) reject(new Error(`${script}: ${result.error}`));
      else reject(new Error(`${script} exited with ${signal ?? `code ${code}`} before reporting a result`));
    });
  });
}

/** The child's side: parses the options, runs, sends the result (or the error) to the parent, exits. */
export async function childMain<O, T>(run: (options: O) => Promise<T>): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as O;
  try {
    const value = await run(options);
    await new Promise<void>((resolve) => process.send!({ ok: true, value }, () => resolve()));
    process.exit(0);
  } catch (error) {
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    await new Promise<void>((resolve) => process.send!({ ok: false, error: text }, () => resolve()));
    process.exit(1);
  }
}

/** Logs progress to stderr, so stdout stays the report. */
export function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}
