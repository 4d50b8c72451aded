import { existsSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
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
  if (command === 'screen') return runScreen(io, args);
  io.output.write(USAGE);
  return command && command !== 'help' && command !== '--help' ? 2 : 0;
}

/** The safety screen lives with the safety code; loaded only when asked for, so `mend chat` never depends on it. */
async function runScreen(io: CliIo, args: string[]): Promise<number> {
  const specifier = '../safety/index.js';
  const safety = (await import(specifier).catch(() => undefined)) as
    | { runScreenCli?: (options: CliIo & { args: string[] }) => Promise<number | void> | number | void }
    | undefined;
  if (!safety?.runScreenCli) {
    io.output.write('mend screen is not available in this build.\n');
    return 1;
  }
  return (await safety.runScreenCli({ ...io, args })) ?? 0;
}
