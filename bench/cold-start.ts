/**
 * Cold start: `node --import tsx src/main.ts` as `npm start` runs it (without the web build),
 * timed from spawn to the "listening" log line and to the first answer from /api/health.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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

export interface ColdStartResult {
  runs: number;
  listeningLogMs: number;
  healthMs: number;
  samples: Array<{ listeningLogMs: number; healthMs: number }>;
}

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

async function startOnce(): Promise<{ listeningLogMs: number; healthMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'mend-bench-cold-'));
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env: startEnv(port, join(dir, 'mend.db')), stdio: ['ignore', 'pipe', 'pipe'] });
  let listeningLogMs = Number.NaN;
  let stderr = '';
  child.stdout!.on('data', (chunk) => {
    if (Number.isNaN(listeningLogMs) && /listening/i.test(String(chunk))) listeningLogMs = performance.now() - started;
  });
  child.stderr!.on('data', (chunk) => { stderr += String(chunk); });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`mend exited (${child.exitCode}) while starting: ${stderr.trim()}`);
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

export async function measureColdStart(runs = 5): Promise<ColdStartResult> {
  const samples: ColdStartResult['samples'] = [];
  for (let i = 0; i < runs; i++) samples.push(await startOnce());
  return {
    runs,
    listeningLogMs: round(median(samples.map((s) => s.listeningLogMs))),
    healthMs: round(median(samples.map((s) => s.healthMs))),
    samples,
  };
}
