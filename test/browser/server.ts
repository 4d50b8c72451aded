import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (test/browser → ../..). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface MendServer {
  url: string;
  port: number;
  child: ChildProcess;
  /** What the server wrote (for failure messages). */
  output: () => string;
  /** kill -9: no shutdown, no flushing; the database is left as the crash leaves it. */
  crash: () => Promise<void>;
  /** Starts it again on the same port and database. */
  restart: () => Promise<void>;
  stop: () => Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Starts the real server as it ships (`node dist/main.js`, the compiled build that global-setup
 * makes) on a free port with its own
 * SQLite file, in guided mode with slowed streaming (so Stop and reconnect can be tested),
 * and waits until GET /api/health answers.
 */
export async function startServer(env: Record<string, string> = {}): Promise<MendServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'mend-browser-'));
  const fullEnv: NodeJS.ProcessEnv = {
    ...process.env,
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_PATH: join(dir, 'mend.db'),
    MEND_PROVIDER: 'guided',
    MEND_GUIDED_DELAY_MS: '30',
    LOG_LEVEL: 'warn',
    ...env,
  };
  let output = '';
  const url = `http://127.0.0.1:${port}`;
  const server: MendServer = {
    url, port, child: await spawnServer(fullEnv, url, (d) => { output = (output + d).slice(-20_000); }, () => output),
    output: () => output,
    crash: async () => {
      const { child } = server;
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await once(child, 'exit');
    },
    restart: async () => {
      server.child = await spawnServer(fullEnv, url, (d) => { output = (output + d).slice(-20_000); }, () => output);
    },
    stop: async () => {
      const { child } = server;
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 12_000);
        await once(child, 'exit').catch(() => undefined);
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}

async function spawnServer(env: NodeJS.ProcessEnv, url: string, log: (d: string) => void, output: () => string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['dist/main.js'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d) => log(String(d)));
  child.stderr!.on('data', (d) => log(String(d)));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${output()}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return child;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server did not answer /api/health within 30 s:\n${output()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
