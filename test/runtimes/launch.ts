// `node test/runtimes/launch.ts deno test -A test/runtimes/deno/`: runs a runtime's own test
// command, after checking that the runtime is there (see require-runtime.ts for what happens
// when it is not). npm scripts put node_modules/.bin first on PATH, so the npm-installed
// deno and bun are the ones found.
import { spawnSync } from 'node:child_process';
import { runtimeMissing } from './require-runtime.ts';

const INSTALL: Record<string, string> = {
  deno: 'npm ci (deno is a devDependency pinned to 2.9.5; its postinstall must run: see allowScripts in package.json)',
  bun: 'npm ci (bun is a devDependency; its postinstall must run: see allowScripts in package.json)',
};

const [runtime, ...args] = process.argv.slice(2);
if (runtime === undefined || !(runtime in INSTALL)) {
  console.error(`launch.ts: expected one of ${Object.keys(INSTALL).join(', ')} and its arguments, received ${String(runtime)}`);
  process.exit(2);
}

const probe = spawnSync(runtime, ['--version'], { encoding: 'utf8' });
if (probe.error !== undefined || probe.status !== 0) {
  const problem = probe.error?.message ?? `\`${runtime} --version\` exited with ${probe.status}: ${probe.stderr.trim()}`;
  try {
    runtimeMissing(runtime, problem, INSTALL[runtime]!);
  } catch {
    process.exit(1);
  }
  process.exit(0);
}

console.log(`${runtime} ${probe.stdout.split('\n')[0]!.replace(new RegExp(`^${runtime}\\s*`), '')}: ${[runtime, ...args].join(' ')}`);
const run = spawnSync(runtime, args, { stdio: 'inherit' });
process.exit(run.status ?? 1);
