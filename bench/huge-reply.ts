/**
 * A huge model reply against a real server: a fake OpenAI-compatible endpoint streams
 * HUGE_MB megabytes; meanwhile a second browser pings every 50 ms and /api/health is polled.
 * Prints how long the reply took, the other session's ping latency, /api/health's worst
 * latency and the server's RSS (peak during, and after a settle). The fake model and her
 * socket run in a child process, so the measuring loop only measures.
 *
 *   npx tsx bench/huge-reply.ts 1 4 10
 *   MEND_MAX_REPLY_CHARS=20000000 npx tsx bench/huge-reply.ts 10     past the default cap
 *   BENCH_PROFILE=/tmp/prof npx tsx bench/huge-reply.ts 2            CPU profile of the server
 */
import { createServer } from 'node:http';
import { once } from 'node:events';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { startServer, identityCookie, openSocket } from '../test/helpers/server-process.js';

const CHUNK = 'We can talk calmly tonight, and I will listen first. ';

async function fakeModel(): Promise<{ url: string; setBytes: (n: number) => void; close: () => void }> {
  let bytes = 0;
  const server = createServer(async (req, res) => {
    for await (const _ of req) { /* drain the body */ }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const event = (delta: Record<string, unknown>, finish: string | null) =>
      `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 0, model: 'fake', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    let sent = 0;
    while (sent < bytes) {
      let batch = '';
      for (let i = 0; i < 200 && sent < bytes; i++, sent += CHUNK.length) batch += event({ content: CHUNK }, null);
      if (!res.write(batch)) await once(res, 'drain');
    }
    res.end(event({}, 'stop') + 'data: [DONE]\n\n');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/v1`, setBytes: (n) => { bytes = n; }, close: () => server.close() };
}

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'))!;
  return Math.round(Number(line.split(/\s+/)[1]) / 1024);
}

const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.floor(s.length * p))]! : NaN; };

/** Child side: serves the fake model and drives her socket; answers 'reply MB' with the outcome. */
async function herSide(): Promise<void> {
  const model = await fakeModel();
  process.send!({ modelUrl: model.url });
  let her: WebSocket | undefined;
  process.on('message', (raw) => {
    const msg = raw as { url?: string; cookie?: string; mb?: number; close?: boolean };
    if (msg.url) {
      her = new WebSocket(`${msg.url.replace('http', 'ws')}/api/chat`, { headers: { cookie: msg.cookie!, origin: msg.url } });
      her.on('open', () => process.send!({ open: true }));
      return;
    }
    if (msg.close) { her?.close(); model.close(); process.disconnect?.(); return; }
    model.setBytes(msg.mb! * 1024 * 1024);
    const t0 = performance.now();
    const onMessage = (d: WebSocket.RawData) => {
      const head = d.toString('utf8', 0, 40);
      if (!head.startsWith('{"type":"reply.end"') && !head.startsWith('{"type":"error"')) return;
      her!.off('message', onMessage);
      const f = JSON.parse(String(d)) as Record<string, unknown>;
      process.send!({ seconds: (performance.now() - t0) / 1000, status: f.status ?? f.code, chars: typeof f.text === 'string' ? f.text.length : 0 });
    };
    her!.on('message', onMessage);
    her!.send(JSON.stringify({ type: 'send', clientId: `huge-${msg.mb}-${Date.now()}`, text: 'He slammed the door again tonight.', mode: 'coach' }));
  });
}

async function run(): Promise<void> {
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  const worker = fork(fileURLToPath(import.meta.url), ['--her'], { execArgv: ['--import', 'tsx'] });
  const next = () => new Promise<Record<string, unknown>>((resolve) => worker.once('message', (m) => resolve(m as Record<string, unknown>)));
  const model = { url: String((await next()).modelUrl), close: () => worker.send({ close: true }) };
  const dir = mkdtempSync(join(tmpdir(), 'mend-huge-'));
  const server = await startServer({ OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'x', MEND_SAFETY_OPINION_MS: '0', DATABASE_PATH: join(dir, 'mend.db'), MEND_MODEL_TIMEOUT_MS: '600000', LOG_LEVEL: 'warn', ...(process.env.MEND_MAX_REPLY_CHARS ? { MEND_MAX_REPLY_CHARS: process.env.MEND_MAX_REPLY_CHARS } : {}) },
    undefined, { nodeArgs: process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [] });
  const pid = server.child.pid!;
  try {
    worker.send({ url: server.url, cookie: await identityCookie(server.url) });
    await next();
    const other = await openSocket(server.url, await identityCookie(server.url));
    console.log(`idle RSS ${rssMb(pid)} MB`);
    for (const mb of sizes) {
      const pings: number[] = [];
      const health: number[] = [];
      let peak = 0;
      let done = false;
      const pinger = (async () => {
        while (!done) {
          const t = performance.now();
          other.ws.send(JSON.stringify({ type: 'ping' }));
          await new Promise<void>((r) => other.ws.once('message', () => r()));
          pings.push(performance.now() - t);
          peak = Math.max(peak, rssMb(pid));
          await new Promise((r) => setTimeout(r, 50));
        }
      })();
      const poller = (async () => {
        while (!done) {
          const t = performance.now();
          try { await fetch(`${server.url}/api/health`, { signal: AbortSignal.timeout(10_000) }); health.push(performance.now() - t); } catch { health.push(10_000); }
          await new Promise((r) => setTimeout(r, 200));
        }
      })();
      const outcome = next();
      worker.send({ mb });
      const end = await outcome;
      const seconds = Number(end.seconds);
      done = true;
      await Promise.all([pinger, poller]);
      await new Promise((r) => setTimeout(r, 3000));
      console.log(`${mb} MB: reply ${seconds.toFixed(1)} s, ended ${String(end.status)} with ${String(end.chars)} chars; other session ping p50 ${pct(pings, 0.5).toFixed(1)} ms, p99 ${pct(pings, 0.99).toFixed(1)} ms, max ${Math.max(...pings).toFixed(1)} ms (${pings.length} pings); /api/health max ${Math.max(...health).toFixed(0)} ms; RSS peak ${peak} MB, 3 s after ${rssMb(pid)} MB`);
    }
    other.ws.close();
  } finally {
    server.child.kill('SIGTERM');
    model.close();
  }
}

if (process.argv.includes('--her')) await herSide();
else await run();
