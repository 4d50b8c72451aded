/**
 * Cold start: `node dist/main.js` as `npm start` runs it (the compiled build, without the
 * builds before it), timed from spawn to the "listening" log line and to the first answer from
 * /api/health, beside a bare Fastify hello-world (bench/hello-world.mjs) started the same way,
 * the two alternating so a burst of other work does not land on one only.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { median, round } from './stats.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const START_TIMEOUT_MS = 30_000;

interface StartTimes { listeningLogMs: number; healthMs: number }

export interface ColdStartResult {
  runs: number;
  listeningLogMs: number;
  healthMs: number;
  /** The bare Fastify hello-world, same runs. */
  hello: StartTimes;
  /** The median of each run's Mend-over-hello-world ratio, to the listening line. */
  ratio: number;
  samples: Array<{ mend: StartTimes; hello: StartTimes }>;
}

const MEND_ENTRY = ['dist/main.js'];
const HELLO_ENTRY = ['bench/hello-world.mjs'];

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function healthAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/api/health', agent: false }, (res) => { res.resume(); resolve(res.statusCode === 200); });
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** Guided mode, a fresh database, and no model settings from the caller's environment. */
function startEnv(port: number, databasePath: string): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('OPENAI_') && !key.startsWith('MEND_')));
  return { ...env, PORT: String(port), HOST: '127.0.0.1', DATABASE_PATH: databasePath, LOG_LEVEL: 'info', MEND_PROVIDER: 'guided' };
}

async function startOnce(entry: string[]): Promise<StartTimes> {
  const dir = mkdtempSync(join(tmpdir(), 'mend-bench-cold-'));
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, entry, { cwd: ROOT, env: startEnv(port, join(dir, 'mend.db')), stdio: ['ignore', 'pipe', 'pipe'] });
  let listeningLogMs = Number.NaN;
  let stderr = '';
  child.stdout!.on('data', (chunk) => {
    if (Number.isNaN(listeningLogMs) && /listening/i.test(String(chunk))) listeningLogMs = performance.now() - started;
  });
  child.stderr!.on('data', (chunk) => { stderr += String(chunk); });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${entry.join(' ')} exited (${child.exitCode}) while starting: ${stderr.trim()}`);
      if (performance.now() - started > START_TIMEOUT_MS) throw new Error('mend did not answer /api/health within 30 s');
      if (await healthAnswers(port)) break;
      await sleep(5);
    }
    return { listeningLogMs: round(listeningLogMs), healthMs: round(performance.now() - started) };
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    if (child.exitCode === null) child.kill('SIGTERM');
    await Promise.race([exited, sleep(10_000).then(() => child.kill('SIGKILL'))]);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Needs the compiled build: `npm run build:server` (npm install and npm start make it). */
export async function measureColdStart(runs = 5): Promise<ColdStartResult> {
  if (!existsSync(join(ROOT, MEND_ENTRY[0]!))) throw new Error('dist/main.js is missing: run npm run build:server first');
  const samples: ColdStartResult['samples'] = [];
  for (let i = 0; i < runs; i++) {
    const hello = await startOnce(HELLO_ENTRY);
    samples.push({ mend: await startOnce(MEND_ENTRY), hello });
  }
  const medianOf = (pick: (s: ColdStartResult['samples'][number]) => number) => round(median(samples.map(pick)));
  const listeningLogMs = medianOf((s) => s.mend.listeningLogMs);
  const hello = { listeningLogMs: medianOf((s) => s.hello.listeningLogMs), healthMs: medianOf((s) => s.hello.healthMs) };
  return { runs, listeningLogMs, healthMs: medianOf((s) => s.mend.healthMs), hello, ratio: round(median(samples.map((s) => s.mend.listeningLogMs / s.hello.listeningLogMs))), samples };
}
