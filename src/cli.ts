// `npx fetchpipe`: explains a preset's plan or a pipeline from a JSON file, and prints the JSON
// Schemas. Arguments follow the usual conventions through node:util's parseArgs, which the
// caller passes in (bin/fetchpipe.js): this file stays platform-neutral, like all of src/.
import { explain, renderPlan } from './explain.ts';
import { caveclient } from './presets/caveclient.ts';
import { qbraid } from './presets/qbraid.ts';
import { ConfigError, isConfigError } from './errors/index.ts';
import { OPTION_NAMES, type OptionName } from './schemas/options.ts';
import { jsonSchema } from './schemas/json.ts';
import { pipelineFromConfig, pipelineJsonSchema } from './schemas/pipeline.ts';
import type { Middleware } from './core/request.ts';

const PRESETS: Readonly<Record<string, () => readonly Middleware[]>> = {
  caveclient: () => caveclient(),
  qbraid: () => qbraid({ baseUrl: 'https://api.qbraid.com/api' }),
};

export const USAGE = `usage: fetchpipe <command> [options]

commands:
  explain <caveclient|qbraid>   the plan of a preset: order, what is retried, the waits
  explain <file.json>           the plan of your own pipeline, checked by fetchpipe/schemas:
                                { "pipeline": [{ "use": "retry", "args": [{ "total": 3 }] }, …] }
  schema [name]                 a JSON Schema: of a pipeline file (default), or of one factory's
                                options (${OPTION_NAMES.join(', ')})

options:
  -h, --help                    this text
  -v, --version                 the version of fetchpipe`;

/** The subset of node:util's parseArgs the CLI uses. */
export type ParseArgs = (config: {
  args: string[];
  options: Record<string, { type: 'boolean' | 'string'; short?: string }>;
  allowPositionals: boolean;
  strict: boolean;
}) => { values: Record<string, unknown>; positionals: string[] };

/** What the CLI needs from its host: argument parsing, files, output, and the package version. */
export interface CliHost {
  readonly parseArgs: ParseArgs;
  readonly readFile: (path: string) => string;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly version: string;
}

/** A usage error: the host prints one line and exits 2. */
class UsageError extends Error {}

/** Runs the CLI with `args` (without node and script); returns the exit code: 0 done, 1 a bad config file, 2 bad usage. */
export function main(args: readonly string[], host: CliHost): number {
  try {
    return run(args, host);
  } catch (error) {
    // One line, never a stack: the message says what was wrong and with what.
    if (error instanceof UsageError) {
      host.err(`fetchpipe: ${error.message} (see fetchpipe --help)`);
      return 2;
    }
    if (isConfigError(error)) {
      host.err(`fetchpipe: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

function run(args: readonly string[], host: CliHost): number {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = host.parseArgs({
      args: [...args],
      options: { help: { type: 'boolean', short: 'h' }, version: { type: 'boolean', short: 'v' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    // parseArgs' messages are one line already ("Unknown option '--x'").
    throw new UsageError(firstLine(error));
  }
  const { values, positionals } = parsed;
  if (values.help === true) return host.out(USAGE), 0;
  if (values.version === true) return host.out(host.version), 0;
  const [command, target, ...rest] = positionals;
  if (command === undefined) throw new UsageError('a command is missing');
  if (rest.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(rest[0])}`);
  if (command === 'explain') {
    if (target === undefined) throw new UsageError('explain needs a preset (caveclient, qbraid) or a JSON file');
    host.out(renderPlan(explain(pipelineOf(target, host))));
    return 0;
  }
  if (command === 'schema') {
    if (target !== undefined && target !== 'pipeline' && !OPTION_NAMES.includes(target as OptionName)) {
      throw new UsageError(`no schema is named ${JSON.stringify(target)}: pipeline, ${OPTION_NAMES.join(', ')}`);
    }
    const schema = target === undefined || target === 'pipeline' ? pipelineJsonSchema() : jsonSchema(target as OptionName);
    host.out(JSON.stringify(schema, null, 2));
    return 0;
  }
  throw new UsageError(`unknown command ${JSON.stringify(command)}`);
}

/** A preset by name, or a pipeline read from a JSON file. */
function pipelineOf(target: string, host: CliHost): readonly Middleware[] {
  const preset = Object.hasOwn(PRESETS, target) ? PRESETS[target] : undefined;
  if (preset) return preset();
  if (!target.endsWith('.json')) throw new UsageError(`${JSON.stringify(target)} is neither a preset (caveclient, qbraid) nor a .json file`);
  let text: string;
  try {
    text = host.readFile(target);
  } catch (error) {
    throw new UsageError(`cannot read ${target}: ${firstLine(error)}`);
  }
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${target}: not JSON: ${firstLine(error)}`);
  }
  return pipelineFromConfig(config, target);
}

function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error).split('\n')[0]!;
}
