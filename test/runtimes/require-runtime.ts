// What happens when a runtime the suites need is missing: in CI (CI=true) the run fails;
// on a developer's machine it says loudly what to install and goes on without that suite.
// Never a silent skip.

/** Whether this run is CI: `CI` set to anything but empty, `0` or `false`. */
export function isCI(env: Record<string, string | undefined> = process.env): boolean {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
}

function banner(lines: readonly string[]): string {
  const rule = '!'.repeat(78);
  return ['', rule, ...lines.map((line) => `!!  ${line}`), rule, ''].join('\n');
}

/**
 * Reports a missing runtime. In CI it throws, so the run fails; elsewhere it prints a banner
 * saying which suite does not run and how to install what it needs.
 */
export function runtimeMissing(runtime: string, problem: string, install: string): void {
  if (isCI()) {
    const message = `${runtime} is required in CI and is missing: ${problem}. Install it with: ${install}`;
    console.error(banner([`FAIL: ${message}`]));
    throw new Error(message);
  }
  console.error(
    banner([
      `The ${runtime} suite does NOT run on this machine: ${problem}.`,
      `Install it with: ${install}`,
      'CI (CI=true) fails on this instead of going on.',
    ]),
  );
}
