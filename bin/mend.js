#!/usr/bin/env node
// The CLI runs the TypeScript sources directly, like `npm start` does, through tsx.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2));
// An interactive stdin can keep the process alive after the last line; exit once output is flushed.
process.stdout.write('', () => process.exit(code));
