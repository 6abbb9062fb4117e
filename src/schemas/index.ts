// fetchpipe/schemas: the option schemas of every middleware and preset, for validating your own
// configuration (a JSON file, environment variables) with the factories' rules and messages,
// their JSON Schemas, and pipelines written as JSON. A separate entry: the main one stays as small.
export { OPTION_NAMES, optionSchemas, validateOptions, type OptionName, type OptionSchema, type OptionTypes } from './options.ts';
export { jsonSchema, type JSONSchema } from './json.ts';
export { STEP_NAMES, pipelineFromConfig, pipelineJsonSchema, pipelineSchema, type PipelineConfig, type PipelineStep } from './pipeline.ts';
