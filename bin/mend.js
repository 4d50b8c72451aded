#!/usr/bin/env node
// The CLI runs the compiled build (dist/cli.js, made by `npm install` and `npm start`); a checkout
// that has not been built yet runs the TypeScript sources through tsx instead.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/cli.js', import.meta.url);
let main;
if (existsSync(compiled)) {
  ({ main } = await import(compiled.href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
const code = await main(process.argv.slice(2));
// An interactive stdin can keep the process alive after the last line; exit once output is flushed.
process.stdout.write('', () => process.exit(code));
