#!/usr/bin/env node
// The installed CLI runs the built code (see src/cli.ts) with Node's own argument parser and files.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { main } from '../dist/cli.js';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

process.exitCode = main(process.argv.slice(2), {
  parseArgs,
  readFile: (path) => readFileSync(path, 'utf8'),
  out: (text) => console.log(text),
  err: (text) => console.error(text),
  version,
});
