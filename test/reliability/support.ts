// Shared helpers of the reliability suite: finding leaked secrets anywhere in an error,
// timing how fast a promise settles, and running a client in a child process that must exit.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';

/**
 * Every rendering of a thrown value a user or a logger could see: message, stack, toString,
 * JSON, util.inspect as console.log prints it, every enumerable own property, and the same for
 * everything reachable through cause, reason, errors, history, request and error. A value a
 * caller must reach for by name and that no logger prints (a non-enumerable `response`) is not
 * a rendering.
 */
export function renderings(value: unknown): string[] {
  const out: string[] = [];
  const seen = new Set<unknown>();
  const visit = (item: unknown, depth: number): void => {
    if (depth > 8 || item === null || typeof item !== 'object' || seen.has(item)) {
      if (typeof item === 'string') out.push(item);
      return;
    }
    seen.add(item);
    out.push(inspect(item, { depth: 8 }));
    try {
      out.push(JSON.stringify(item) ?? '');
    } catch {
      // A cycle: inspect has it already.
    }
    if (item instanceof Error) out.push(String(item), item.message, item.stack ?? '');
    // What loggers and error reporters walk: enumerable own properties (plus the chain below).
    for (const key of Reflect.ownKeys(item)) {
      const descriptor = Object.getOwnPropertyDescriptor(item, key);
      if (descriptor?.enumerable && 'value' in descriptor) visit(descriptor.value, depth + 1);
    }
    for (const key of ['cause', 'reason', 'errors', 'history', 'request', 'error'] as const) {
      const next = (item as Record<string, unknown>)[key];
      if (Array.isArray(next)) for (const inner of next) visit(inner, depth + 1);
      else visit(next, depth + 1);
    }
  };
  visit(value, 0);
  return out;
}

/** The secrets that appear in any rendering of `value` (empty when nothing leaks). */
export function leaks(value: unknown, secrets: readonly string[]): string[] {
  const texts = renderings(value);
  return secrets.filter((secret) => texts.some((text) => text.includes(secret)));
}

export type Outcome =
  | { readonly kind: 'response'; readonly status: number; readonly response: Response; readonly ms: number }
  | { readonly kind: 'error'; readonly error: unknown; readonly name: string; readonly ms: number };

/** Runs a call and says how it ended and how long it took, never throwing. */
export async function outcome(call: () => Promise<Response>): Promise<Outcome> {
  const started = performance.now();
  try {
    const response = await call();
    return { kind: 'response', status: response.status, response, ms: performance.now() - started };
  } catch (error) {
    const name = error instanceof Error ? error.name : typeof error;
    return { kind: 'error', error, name, ms: performance.now() - started };
  }
}

/** Resolves after `ms` milliseconds (a real wait, for servers to see what happened). */
export const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface ChildResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Parsed JSON lines the child printed. */
  readonly lines: unknown[];
  readonly stderr: string;
  /** Milliseconds from the child's last line (its work done) to its exit. */
  readonly exitLagMs: number;
  /** Whether the parent had to kill it because it did not exit by itself. */
  readonly killed: boolean;
}

/**
 * Runs `script` (a .ts file next to this one, under child/) with the same Node as the tests,
 * and waits for it to exit by itself. A child that outlives its work by `graceMs` is killed
 * and reported: something it started (a timer, a listener, a socket) kept it alive.
 */
export function runChild(script: string, args: readonly string[], { graceMs = 2_000, limitMs = 30_000 } = {}): Promise<ChildResult> {
  const path = fileURLToPath(new URL(`./child/${script}`, import.meta.url));
  return new Promise((resolve) => {
    // --expose-gc: the child collects garbage before it counts the listeners left on signals.
    const child = spawn(process.execPath, ['--expose-gc', path, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: unknown[] = [];
    let stdout = '';
    let stderr = '';
    let lastLineAt = performance.now();
    let killed = false;
    let grace: NodeJS.Timeout | undefined;
    const kill = (): void => {
      killed = true;
      child.kill('SIGKILL');
    };
    const limit = setTimeout(kill, limitMs);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      let newline: number;
      while ((newline = stdout.indexOf('\n')) >= 0) {
        const line = stdout.slice(0, newline);
        stdout = stdout.slice(newline + 1);
        if (line.trim() === '') continue;
        lines.push(JSON.parse(line));
        lastLineAt = performance.now();
        // The child prints { done: true } when its work is over: from then on it must exit.
        if ((lines.at(-1) as { done?: boolean }).done === true) grace = setTimeout(kill, graceMs);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('exit', (code, signal) => {
      clearTimeout(limit);
      clearTimeout(grace);
      resolve({ code, signal, lines, stderr, exitLagMs: performance.now() - lastLineAt, killed });
    });
  });
}
