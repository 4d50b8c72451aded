import { existsSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { runScreenCli } from '../safety/index.js';
import { runChatCli } from './chat.js';

export interface CliIo {
  input: Readable;
  output: Writable;
  env: Record<string, string | undefined>;
}

const USAGE = `Usage: mend <command>

  mend chat [--memory]   talk to Mend's coach in this terminal (--memory: keep nothing on disk)
  mend screen            run the safety screen on text from stdin
`;

/** `mend <command>`: dispatches to the terminal tools; resolves with the exit code. */
export async function main(argv: string[], io: CliIo = { input: process.stdin, output: process.stdout, env: process.env }): Promise<number> {
  const [command, ...args] = argv;
  if (io.env === process.env && existsSync('.env')) process.loadEnvFile('.env');
  if (command === 'chat') return runChatCli({ ...io, args });
  if (command === 'screen') return runScreen(io);
  io.output.write(USAGE);
  return command && command !== 'help' && command !== '--help' ? 2 : 0;
}

/** JSON Lines in, one verdict per line out: lets a counsellor audit the rules without the app. */
async function runScreen(io: CliIo): Promise<number> {
  await runScreenCli(io.input, io.output);
  return 0;
}
