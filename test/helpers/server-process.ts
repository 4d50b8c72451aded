import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { once } from 'node:events';
import WebSocket from 'ws';

export interface ServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  stderr: () => string;
  stdout: () => string;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/** The source through tsx, unless a test names another entry (the compiled dist/main.js). */
const SOURCE_ENTRY = ['--import', 'tsx', 'src/main.ts'];

/** Starts the server as a real child process and waits until it answers /api/health. */
export async function startServer(
  env: Record<string, string>, port?: number, options: { entry?: string[]; cwd?: string; nodeArgs?: string[] } = {},
): Promise<ServerProcess> {
  const p = port ?? (await freePort());
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...(options.entry ?? SOURCE_ENTRY)], {
    cwd: options.cwd,
    env: { ...process.env, PORT: String(p), HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => { out += String(d); });
  child.stderr!.on('data', (d) => { err += String(d); });
  const url = `http://127.0.0.1:${p}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}: ${err}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) throw new Error(`server did not start: ${err}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, port: p, child, stderr: () => err, stdout: () => out };
}

export async function identityCookie(url: string): Promise<string> {
  const res = await fetch(`${url}/api/health`);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

/** Opens the chat socket with her cookie and collects frames. */
export async function openSocket(url: string, cookie: string): Promise<{ ws: WebSocket; frames: Array<Record<string, unknown>> }> {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/api/chat`, { headers: { cookie, origin: url } });
  const frames: Array<Record<string, unknown>> = [];
  ws.on('message', (d) => frames.push(JSON.parse(String(d)) as Record<string, unknown>));
  await once(ws, 'open');
  return { ws, frames };
}

export async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
