#!/usr/bin/env node
// The installed CLI runs the built code; see src/cli.ts.
import { main } from '../dist/cli.js';

process.exitCode = main(process.argv.slice(2));
