// A pipeline written as JSON (a config file), checked by the option schemas and turned into
// middlewares. Each step names a factory and lists its arguments as JSON:
//
//   { "pipeline": [{ "use": "retry", "args": [{ "total": 3 }] }, { "use": "baseUrl", "args": ["https://api.example.com/"] }] }
//
// Presets are steps too (`{ "use": "caveclient" }`); their middlewares are spread in place.
import { ConfigError } from '../errors/index.ts';
import { custom, optional, safeParse, strictObject, string, array, type ZodMiniType } from '../core/zod.ts';
import type { Middleware } from '../core/request.ts';
import { authHeaders } from '../middleware/auth-headers/index.ts';
import { backoff } from '../middleware/backoff/index.ts';
import { baseUrl } from '../middleware/base-url/index.ts';
import { headers } from '../middleware/headers/index.ts';
import { httpErrors } from '../middleware/http-errors/index.ts';
import { logger } from '../middleware/logger/index.ts';
import { pool } from '../middleware/pool/index.ts';
import { redirect } from '../middleware/redirect/index.ts';
import { retry } from '../middleware/retry/index.ts';
import { timeout } from '../middleware/timeout/index.ts';
import { userAgent } from '../middleware/user-agent/index.ts';
import { caveclient } from '../presets/caveclient.ts';
import { qbraid } from '../presets/qbraid.ts';
import { optionSchemas, type OptionName } from './options.ts';
import { jsonSchema, jsonSchemaId, type JSONSchema } from './json.ts';

type Factory = (...args: never[]) => Middleware | readonly Middleware[];

/** The factories a JSON step may use, with the option schema of each argument. */
const STEPS: Readonly<Record<string, readonly [Factory, ...OptionName[]]>> = {
  retry: [retry, 'retry'],
  backoff: [backoff, 'backoff'],
  baseUrl: [baseUrl, 'baseUrl'],
  headers: [headers, 'headers'],
  authHeaders: [authHeaders, 'authHeaders', 'authHeadersOptions'],
  userAgent: [userAgent, 'userAgent', 'userAgentOptions'],
  timeout: [timeout, 'timeout'],
  redirect: [redirect, 'redirect'],
  pool: [pool, 'pool'],
  httpErrors: [httpErrors, 'httpErrors'],
  logger: [logger, 'logger'],
  caveclient: [caveclient, 'caveclient'],
  qbraid: [qbraid, 'qbraid'],
};

/** The names a step's `use` may take. */
export const STEP_NAMES: readonly string[] = Object.freeze(Object.keys(STEPS));

/** One step of a JSON pipeline: a factory's name and its arguments. */
export interface PipelineStep {
  readonly use: string;
  readonly args?: readonly unknown[];
}

/** A pipeline as a JSON file holds it. */
export interface PipelineConfig {
  readonly $schema?: string;
  readonly pipeline: readonly PipelineStep[];
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const step = custom<PipelineStep>().check((payload) => {
  const value = payload.value;
  const issue = (message: string, path: PropertyKey[]) => payload.issues.push({ code: 'custom', message, input: value, path });
  if (!isObject(value)) return void issue('expected a step { "use": name, "args": [...] }', []);
  for (const key of Object.keys(value)) if (key !== 'use' && key !== 'args') return void issue('unknown option', [key]);
  const entry = typeof value.use === 'string' ? STEPS[value.use] : undefined;
  if (entry === undefined) return void issue(`expected one of ${STEP_NAMES.join(', ')}`, ['use']);
  const args = value.args ?? [];
  if (!Array.isArray(args)) return void issue('expected an array of arguments', ['args']);
  const names = entry.slice(1) as OptionName[];
  if (args.length > names.length) return void issue(`expected at most ${names.length} argument${names.length === 1 ? '' : 's'}`, ['args']);
  names.forEach((name, index) => {
    if (index >= args.length && acceptsNothing(name)) return;
    const result = safeParse(optionSchemas[name] as ZodMiniType, args[index]);
    if (!result.success) for (const { message, path } of result.error.issues) issue(message, ['args', index, ...path]);
  });
});

/** The schema of a pipeline file: `{ "$schema"?: string, "pipeline": [steps] }`, each step's arguments checked by `optionSchemas`. */
export const pipelineSchema: ZodMiniType<PipelineConfig> = strictObject({ $schema: optional(string()), pipeline: array(step) });

/**
 * Checks a pipeline read from JSON and builds its middlewares (presets spread in place), for
 * `createClient()` or `explain()`. Bad input throws a ConfigError naming the step and option.
 * @example
 * const client = createClient(pipelineFromConfig(JSON.parse(readFileSync('pipeline.json', 'utf8'))));
 */
export function pipelineFromConfig(config: unknown, source = 'pipeline'): Middleware[] {
  const result = safeParse(pipelineSchema, config);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const where = issue.path.map(String).join('.') || 'config';
    throw new ConfigError(`${source}: ${where}: ${issue.message}`, { option: where });
  }
  return result.data.pipeline.flatMap(({ use, args = [] }) => {
    const made = (STEPS[use]![0] as (...args: readonly unknown[]) => Middleware | readonly Middleware[])(...args);
    return typeof made === 'function' ? [made] : [...made];
  });
}

/** Whether the factory argument `name` may be left out. */
function acceptsNothing(name: OptionName): boolean {
  return safeParse(optionSchemas[name] as ZodMiniType, undefined).success;
}

/** The JSON Schema of a pipeline file: each step's `args` typed by the factories' JSON Schemas. */
export function pipelineJsonSchema(): JSONSchema {
  const strip = ({ $id, title, $schema, ...rest }: JSONSchema) => rest;
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: jsonSchemaId('pipeline'),
    title: 'fetchpipe pipeline',
    type: 'object',
    properties: {
      $schema: { type: 'string' },
      pipeline: {
        type: 'array',
        items: {
          oneOf: STEP_NAMES.map((use) => {
            const names = STEPS[use]!.slice(1) as OptionName[];
            // The leading arguments the factory cannot do without (baseUrl's base, headers' init …).
            const required = names.slice(0, names.findIndex((name) => acceptsNothing(name)) >>> 0);
            return {
              type: 'object',
              properties: {
                use: { const: use },
                args: { type: 'array', prefixItems: names.map((name) => strip(jsonSchema(name))), minItems: required.length, maxItems: names.length },
              },
              required: required.length > 0 ? ['use', 'args'] : ['use'],
              additionalProperties: false,
            };
          }),
        },
      },
    },
    required: ['pipeline'],
    additionalProperties: false,
  };
}
