// `npx fetchpipe explain caveclient|qbraid`: prints a preset's plan.
import { explain, renderPlan } from './explain.ts';
import { caveclient } from './presets/caveclient.ts';
import { qbraid } from './presets/qbraid.ts';

const PRESETS = {
  caveclient: () => caveclient(),
  qbraid: () => qbraid({ baseUrl: 'https://api.qbraid.com/api' }),
} as const;

const USAGE = 'usage: fetchpipe explain <caveclient|qbraid>';

/** Runs the CLI with `args` (without node and script); returns the exit code. */
export function main(args: readonly string[], out: (text: string) => void = console.log, err: (text: string) => void = console.error): number {
  const [command, name] = args;
  if (command !== 'explain' || !(name !== undefined && name in PRESETS)) {
    err(USAGE);
    return 2;
  }
  out(renderPlan(explain(PRESETS[name as keyof typeof PRESETS]())));
  return 0;
}
