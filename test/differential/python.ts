// The Python side of the differential suite: one `python3 driver.py` process for the whole file,
// spoken to one JSON line at a time. What a missing Python, requests or urllib3 does is
// require-runtime.ts's rule: in CI the suite fails; elsewhere it says loudly what to install.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The versions the seeds' behaviour was read from (SPEC.md); `.ci/run` installs exactly these. */
export const REQUIRED = { requests: '2.34.2', urllib3: '2.7.0' } as const;
export const INSTALL = `python3 -m pip install requests==${REQUIRED.requests} urllib3==${REQUIRED.urllib3}`;

const DRIVER = fileURLToPath(new URL('./driver.py', import.meta.url));

/** Why the Python side cannot run here, or undefined when python3 has the required versions. */
export function pythonProblem(): string | undefined {
  const probe = spawnSync('python3', ['-c', 'import json, requests, urllib3; print(json.dumps([requests.__version__, urllib3.__version__]))'], {
    encoding: 'utf8',
  });
  if (probe.error !== undefined) return `python3 cannot be run (${probe.error.message})`;
  if (probe.status !== 0) return `python3 cannot import requests and urllib3: ${probe.stderr.trim().split('\n').at(-1)}`;
  const [requests, urllib3] = JSON.parse(probe.stdout) as [string, string];
  if (requests !== REQUIRED.requests || urllib3 !== REQUIRED.urllib3) {
    return `python3 has requests ${requests} and urllib3 ${urllib3}, the suite needs requests ${REQUIRED.requests} and urllib3 ${REQUIRED.urllib3}`;
  }
  return undefined;
}

/** A scenario as the driver runs it: URLs are absolute (or, for qBraid, relative to its base_url). */
export interface PythonScenario {
  readonly session: 'caveclient' | 'qbraid';
  readonly config: Readonly<Record<string, unknown>>;
  readonly request: { method: string; url: string; headers?: Record<string, string>; body?: string };
}

export interface PythonOutcome {
  readonly kind: string;
  readonly status?: number;
  readonly detail?: string;
}

export interface PythonResult {
  readonly outcome: PythonOutcome;
  /** Seconds, as urllib3's Retry asked time.sleep for them (it never asks for 0). */
  readonly sleeps: readonly number[];
}

export interface PythonDriver {
  run(scenario: PythonScenario): Promise<PythonResult>;
  close(): Promise<void>;
}

/** Starts the driver; resolves once it has said which versions it runs. */
export async function startPython(): Promise<PythonDriver> {
  // No proxy may stand between the driver and 127.0.0.1.
  const child: ChildProcessWithoutNullStreams = spawn('python3', [DRIVER], {
    env: { ...process.env, NO_PROXY: '*', no_proxy: '*', PYTHONDONTWRITEBYTECODE: '1' },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const nextLine = async (): Promise<string> => {
    const { value, done } = await lines.next();
    if (done) throw new Error(`the Python driver exited: ${stderr.trim()}`);
    return value as string;
  };
  const ready = JSON.parse(await nextLine()) as { requests: string; urllib3: string };
  if (ready.requests !== REQUIRED.requests || ready.urllib3 !== REQUIRED.urllib3) {
    throw new Error(`the Python driver runs requests ${ready.requests} and urllib3 ${ready.urllib3}: install them with ${INSTALL}`);
  }
  // One scenario at a time: the driver answers in order.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    run(scenario) {
      const result = queue.then(async () => {
        child.stdin.write(`${JSON.stringify(scenario)}\n`);
        return JSON.parse(await nextLine()) as PythonResult;
      });
      queue = result.catch(() => {});
      return result;
    },
    async close() {
      child.stdin.end();
      await new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
    },
  };
}
