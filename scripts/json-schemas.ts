// Writes the JSON Schemas that the package ships as `fetchpipe/schemas/<name>.json`: one per
// option schema of fetchpipe/schemas (retry, caveclient …) and one of a pipeline file. They are
// generated from src/schemas/ (zod's toJSONSchema); test/schemas/json-schema.test.ts fails when
// the committed files differ from what this script writes.
//
//   npm run schemas            rewrite schemas/*.json
//   npm run schemas -- --check exit 1 when a file is missing, stale or extra
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jsonSchema, OPTION_NAMES, pipelineJsonSchema } from '../src/schemas/index.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const SCHEMA_DIR = join(ROOT, 'schemas');

/** Every shipped file name and the text it must hold. */
export function expectedFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of OPTION_NAMES) files.set(`${name}.json`, `${JSON.stringify(jsonSchema(name), null, 2)}\n`);
  files.set('pipeline.json', `${JSON.stringify(pipelineJsonSchema(), null, 2)}\n`);
  return files;
}

/** The differences between schemas/ and what the generator writes, one line each. */
export function staleFiles(): string[] {
  const expected = expectedFiles();
  const present = existsSync(SCHEMA_DIR) ? readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.json')) : [];
  const problems: string[] = [];
  for (const [file, text] of expected) {
    const path = join(SCHEMA_DIR, file);
    if (!existsSync(path)) problems.push(`schemas/${file} is missing`);
    else if (readFileSync(path, 'utf8') !== text) problems.push(`schemas/${file} differs from its source`);
  }
  for (const file of present) if (!expected.has(file)) problems.push(`schemas/${file} has no source`);
  return problems;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--check')) {
    const problems = staleFiles();
    for (const problem of problems) console.error(problem);
    if (problems.length > 0) console.error('run `npm run schemas` to regenerate them');
    process.exitCode = problems.length > 0 ? 1 : 0;
  } else {
    mkdirSync(SCHEMA_DIR, { recursive: true });
    for (const [file, text] of expectedFiles()) writeFileSync(join(SCHEMA_DIR, file), text);
    console.log(`wrote ${expectedFiles().size} JSON Schemas to schemas/`);
  }
}
