// fetchpipe/schemas: the option schemas give the factories' own verdicts and messages, compose
// into an app's zod 4 schemas, the shipped JSON Schemas are in sync with their source, and each
// JSON Schema accepts exactly the JSON values its factory accepts (property-tested with ajv).
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { staleFiles } from '../../scripts/json-schemas.ts';
import { isConfigError } from '../../src/index.ts';
import {
  jsonSchema,
  OPTION_NAMES,
  optionSchemas,
  pipelineFromConfig,
  pipelineJsonSchema,
  validateOptions,
  type OptionName,
} from '../../src/schemas/index.ts';

const ajv = new Ajv2020({ strict: false, allErrors: false });
const validators = new Map(OPTION_NAMES.map((name) => [name, ajv.compile(jsonSchema(name))]));
const pipelineValidator = ajv.compile(pipelineJsonSchema());

/** The ConfigError message a factory gives for `value`, or undefined when it accepts it. */
function verdict(name: OptionName, value: unknown): string | undefined {
  try {
    validateOptions(name, value);
    return undefined;
  } catch (error) {
    if (!isConfigError(error)) throw error;
    return error.message;
  }
}

// JSON values around the edges of every rule: counts, milliseconds and seconds, statuses, header
// names and Latin-1 values, URLs, method lists, and whatever else JSON can hold.
const scalar = fc.oneof(
  fc.constantFrom(null, true, false, 0, 1, -1, 0.1, 0.5, 0.999, 1.5, 99, 100, 503, 599, 600, 2_147_483_647, 2_147_483_648, 9_007_199_254_740_993, 1e21),
  fc.integer({ min: -10, max: 1000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -10, max: 5000 }),
  fc.constantFrom('', ' ', 'set', 'append', 'GET', 'post', 'X-Api-Key', 'bad name', 'a\nb', 'é', '€', 'ok value', ' \t', '\u00a0x'),
  fc.constantFrom('https://api.example.com/v1/', 'http://h', 'HTTP://h/x', 'ftp://h/', 'https://h/?q=1', 'https://h/#f', '/relative', 'http:h'),
  fc.string({ maxLength: 6 }),
  fc.string({ unit: 'binary', maxLength: 4 }),
);
const keysOf = (name: OptionName): string[] => Object.keys((jsonSchema(name).properties as Record<string, unknown> | undefined) ?? {});
// Options that only a function (or a clock object of functions) can fill: JSON has no form for
// them, and the JSON Schemas refuse the key, even where the factory takes an empty object.
const FUNCTION_KEYS: Partial<Record<OptionName, readonly string[]>> = {
  createClient: ['fetch', 'onEvent'],
  retry: ['shouldRetry'],
  backoff: ['clock'],
  httpErrors: ['message'],
  logger: ['write'],
  caveclient: ['clock'],
  qbraid: ['clock'],
};
const EXTRA_KEYS = ['unknownOption', 'clock', 'shouldRetry', 'fetch', 'onEvent', 'message', 'write'];
const hasFunctionKey = (name: OptionName, value: unknown) =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && (FUNCTION_KEYS[name] ?? []).some((key) => key in value);
// A URL pattern cannot be the WHATWG parser: where a value is a base URL, the JSON Schema is
// looser than baseUrl() (it accepts `http://`), never stricter.
const refusedForItsUrl = (name: OptionName, value: unknown) =>
  name === 'baseUrl' ||
  (name === 'qbraid' && typeof value === 'object' && value !== null && 'baseUrl' in value && verdict('baseUrl', (value as { baseUrl: unknown }).baseUrl) !== undefined);
const small = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }));
const valueFor = (name: OptionName) =>
  fc.oneof(
    { weight: 1, arbitrary: small },
    { weight: 1, arbitrary: fc.array(fc.oneof(small, fc.tuple(scalar, scalar)), { maxLength: 3 }) },
    { weight: 2, arbitrary: fc.dictionary(fc.constantFrom(...keysOf(name), ...EXTRA_KEYS), small, { maxKeys: 3 }) },
    { weight: 4, arbitrary: fc.dictionary(fc.constantFrom(...(keysOf(name).length > 0 ? keysOf(name) : ['X-Key', 'Accept', 'bad name'])), small, { maxKeys: 4 }) },
  ).map((value) => JSON.parse(JSON.stringify(value)) as unknown);

describe('optionSchemas', () => {
  it('has a schema for every middleware and preset factory', () => {
    expect(OPTION_NAMES).toEqual(expect.arrayContaining(['retry', 'backoff', 'baseUrl', 'headers', 'authHeaders', 'userAgent', 'timeout', 'redirect', 'pool', 'httpErrors', 'logger', 'caveclient', 'qbraid', 'setSessionDefaults', 'createClient']));
    expect(Object.keys(optionSchemas)).toEqual([...OPTION_NAMES]);
  });

  it.each(OPTION_NAMES)('gives the verdict and the message of %s itself, at the option path', (name) => {
    fc.assert(
      fc.property(valueFor(name), (value) => {
        const message = verdict(name, value);
        const result = z.safeParse(optionSchemas[name], value);
        expect(result.success).toBe(message === undefined);
        if (message === undefined) return;
        const [issue] = result.error!.issues;
        // "retry: total: expected …" is the factory's; zod holds the same as path + message.
        expect(message.endsWith(issue!.message)).toBe(true);
        for (const key of issue!.path) expect(message).toContain(String(key));
      }),
      { numRuns: 150 },
    );
  });

  it("composes into an app's own zod 4 schema, with the path inside the app's config", () => {
    const appConfig = z.object({ api: z.object({ retry: optionSchemas.retry, baseUrl: optionSchemas.baseUrl }) });
    expect(appConfig.parse({ api: { retry: { total: 2 }, baseUrl: 'https://api.example.com/' } })).toEqual({ api: { retry: { total: 2 }, baseUrl: 'https://api.example.com/' } });
    const result = appConfig.safeParse({ api: { retry: { total: -1 }, baseUrl: 'https://api.example.com/' } });
    expect(result.error?.issues).toEqual([expect.objectContaining({ path: ['api', 'retry', 'total'], message: 'expected a non-negative integer, false or null, received -1' })]);
  });

  it('catches seconds passed for milliseconds with the message the factory gives', () => {
    expect(() => validateOptions('backoff', { factor: 0.1 })).toThrow('backoff: factor: expected milliseconds (0.1 looks like seconds: 0.1 s is 100 ms), received 0.1');
    expect(z.safeParse(optionSchemas.timeout, { read: 0.5 }).error?.issues[0]).toMatchObject({ path: ['read'], message: expect.stringContaining('0.5 s is 500 ms') });
  });
});

describe('JSON Schemas', () => {
  it('ships schemas/*.json exactly as src/schemas/ generates them (`npm run schemas` rewrites them)', () => {
    expect(staleFiles()).toEqual([]);
  });

  it.each(OPTION_NAMES)('%s: the JSON Schema accepts exactly the JSON values the factory accepts', (name) => {
    const validate = validators.get(name)!;
    fc.assert(
      fc.property(valueFor(name), (value) => {
        if (hasFunctionKey(name, value)) return void expect(validate(value)).toBe(false);
        const accepted = verdict(name, value) === undefined;
        if (!accepted && refusedForItsUrl(name, value)) return;
        expect(validate(value), JSON.stringify(value)).toBe(accepted);
      }),
      { numRuns: 300 },
    );
  });

  it('accepts a pipeline file exactly when pipelineFromConfig builds it (function-valued options aside)', () => {
    const stepArb = fc.oneof(
      fc.constantFrom('retry', 'backoff', 'timeout', 'caveclient', 'qbraid', 'redirect', 'pool', 'headers', 'nope').chain((use) =>
        fc.record({ use: fc.constant(use), args: fc.array(valueFor(use === 'nope' ? 'retry' : (use as OptionName)), { maxLength: 2 }) }, { requiredKeys: ['use'] }),
      ),
      fc.record({ use: fc.constant('baseUrl'), args: fc.constant(['https://api.example.com/']) }),
    );
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 3 }), (pipeline) => {
        const config = JSON.parse(JSON.stringify({ pipeline }));
        const names = (use: string): OptionName[] => (use === 'nope' ? [] : [use as OptionName]);
        if (pipeline.some((step) => (step.args ?? []).some((arg, i) => names(step.use)[i] !== undefined && hasFunctionKey(names(step.use)[i]!, arg)))) {
          return void expect(pipelineValidator(config)).toBe(false);
        }
        if (pipeline.some((step) => (step.args ?? []).some((arg, i) => names(step.use)[i] !== undefined && refusedForItsUrl(names(step.use)[i]!, arg)))) return;
        let built = true;
        try {
          pipelineFromConfig(config);
        } catch (error) {
          if (!isConfigError(error)) throw error;
          built = false;
        }
        expect(pipelineValidator(config), JSON.stringify(config)).toBe(built);
      }),
      { numRuns: 200 },
    );
  });
});
