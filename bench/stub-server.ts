/**
 * The two servers the overhead benchmark drives: the real app with a model that answers
 * instantly, and a bare Fastify WebSocket echo that does the same framing and nothing else.
 * Run as a child process (`node --import tsx bench/stub-server.ts mend|echo`) each server's
 * memory is its own; the debug port that reports it lives here, never in the product.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyWebsocket from '@fastify/websocket';
import pino from 'pino';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { buildApp } from '../src/app.js';
import { systemClock } from '../src/clock.js';
import { loadConfig } from '../src/config/env.js';
import type { ChatModel } from '../src/llm/chat-model.js';
import type { ChatModeHandler } from '../src/chat/mode.js';
import { openDatabase } from '../src/store/database.js';
import { ConversationStore } from '../src/store/conversation-store.js';

/** What the stub model says: short chunks, the first sentence ending in the second chunk. */
export const STUB_CHUNKS = ['That sounds ', 'really hard. ', 'What happened ', 'just before ', 'it started?'];

/** A model that streams at once: whatever time passes before its first word is Mend's. */
export function createStubModel(): ChatModel {
  return {
    info: { provider: 'openai', model: 'bench-stub' },
    async *stream() {
      for (const chunk of STUB_CHUNKS) yield chunk;
    },
  };
}

export interface RunningServer {
  url: string;
  close: () => Promise<void>;
}

/** The chat path with the coaching taken out: her words go to the model as they are. */
const minimalCoach: ChatModeHandler = {
  id: 'coach',
  async plan(ctx) {
    return [{ request: { task: 'coach', messages: [{ role: 'user', content: ctx.userText }], context: {} }, meta: { voice: 'coach' } }];
  },
};

/**
 * The real app (`buildApp`) with the stub model and a real SQLite file in a temp dir, logging
 * at the production level into /dev/null so log formatting is paid for as in production.
 * `minimal` swaps the coach for a mode that does no work, to tell the chat path's cost
 * (framing, store, safety) from the coaching's.
 */
export async function startMendServer(options: { logLevel?: string; minimal?: boolean } = {}): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), 'mend-bench-'));
  const config = loadConfig({ DATABASE_PATH: join(dir, 'mend.db'), LOG_LEVEL: options.logLevel ?? 'info', MEND_GUIDED_DELAY_MS: '0' });
  const db = openDatabase(config.DATABASE_PATH);
  const store = new ConversationStore(db, systemClock);
  const logStream = pino.destination({ dest: '/dev/null', sync: false });
  const modes = options.minimal ? { coach: minimalCoach } : undefined;
  // The load generator sends as fast as the server answers; no person does, so the per-connection rate is lifted.
  const socketRate = { burst: 1_000_000, perSecond: 1_000_000 };
  const app = await buildApp({ config, store, clock: systemClock, model: createStubModel(), logStream, modes, socketRate });
  const url = await listen(app);
  return {
    url,
    close: async () => {
      await app.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The reference: the same framework and WebSocket plugin, a health route that hands out a
 * cookie, and a chat socket that answers a send frame with ack, one delta and end, each
 * parsed and serialised as JSON like the app's frames, and no other work.
 */
export async function startEchoServer(): Promise<RunningServer> {
  const app = Fastify({ logger: false });
  await app.register(fastifyCookie);
  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });
  let served = 0;
  app.get('/api/health', async (_request, reply) => {
    void reply.setCookie('mend_id', `echo${++served}`.padEnd(43, 'x'), { httpOnly: true, sameSite: 'strict', path: '/' });
    return { status: 'ok' };
  });
  app.get('/api/chat', { websocket: true }, (socket) => {
    socket.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as { clientId: string; conversationId?: string; text: string };
      const conversationId = frame.conversationId ?? `conv${++served}`;
      const replyId = `r${++served}`;
      socket.send(JSON.stringify({ type: 'ack', clientId: frame.clientId, conversationId, messageId: `m${served}`, duplicate: false }));
      socket.send(JSON.stringify({ type: 'reply.delta', conversationId, replyId, offset: 0, text: STUB_CHUNKS[0] }));
      socket.send(JSON.stringify({ type: 'reply.end', conversationId, replyId, status: 'complete', text: STUB_CHUNKS.join(''), meta: { citations: [], steps: [] } }));
    });
  });
  const url = await listen(app);
  return { url, close: () => app.close() };
}

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

export interface MemoryReport {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

export interface UsageReport {
  /** CPU time this process has used (user + system), in ms. */
  cpuMs: number;
  /** Event-loop delay since the last reset: how long ready work waited for the loop, in ms. */
  loopDelay: { p99: number; max: number };
}

function memoryReport(): MemoryReport {
  const collect = (globalThis as { gc?: () => void }).gc;
  collect?.();
  collect?.();
  const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
  return { rss, heapUsed, external, arrayBuffers };
}

/**
 * A second port for the parent: GET /memory (after a full collection; needs --expose-gc) and
 * GET /usage (CPU so far and event-loop delay, reset on every read).
 */
async function startDebugPort(): Promise<{ url: string; server: Server }> {
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const usage = (): UsageReport => {
    const { user, system } = process.cpuUsage();
    const report = { cpuMs: (user + system) / 1000, loopDelay: { p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 } };
    loop.reset();
    return report;
  };
  const server = createServer((request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify(request.url === '/memory' ? memoryReport() : usage()));
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

export type ServerKind = 'mend' | 'mend-minimal' | 'echo';

function startKind(kind: ServerKind): Promise<RunningServer> {
  if (kind === 'echo') return startEchoServer();
  return startMendServer({ minimal: kind === 'mend-minimal' });
}

/** Child-process entry: start one server, tell the parent where it is, stop when told or orphaned. */
async function runAsChild(kind: ServerKind): Promise<void> {
  const running = await startKind(kind);
  const debug = await startDebugPort();
  const stop = async () => {
    debug.server.close();
    await running.close().catch(() => undefined);
    process.exit(0);
  };
  process.on('message', (message) => { if (message === 'stop') void stop(); });
  process.on('disconnect', () => void stop());
  process.send!({ ready: true, url: running.url, debugUrl: debug.url, pid: process.pid });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runAsChild((process.argv[2] ?? 'mend') as ServerKind).catch((error: unknown) => {
    process.stderr.write(`bench server failed: ${(error as Error).stack}\n`);
    process.exit(1);
  });
}
