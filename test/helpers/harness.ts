import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { buildApp, type AppDeps } from '../../src/app.js';
import type { Clock } from '../../src/clock.js';
import { loadConfig, type Config } from '../../src/config/env.js';
import { openDatabase, type Db } from '../../src/store/database.js';
import { ConversationStore } from '../../src/store/conversation-store.js';
import type { ServerFrame } from '../../src/protocol/frames.js';

export const TEST_IDENTITY_SECRET = Buffer.alloc(32, 7);

export interface Harness {
  app: FastifyInstance;
  store: ConversationStore;
  db: Db;
  config: Config;
  /** Every log line the app wrote, for tests that prove her words never reach the logs. */
  logs: string[];
  cookie: string;
  clock: { now: () => number; advance: (ms: number) => void };
  close: () => Promise<void>;
}

/** Builds the app on an in-memory database with a controllable clock; no server listens. */
export async function createHarness(options: { env?: Record<string, string>; deps?: Partial<AppDeps>; databasePath?: string } = {}): Promise<Harness> {
  // The model's safety second opinion has its own tests; elsewhere it would add a request to every turn.
  const config = loadConfig({ MEND_GUIDED_DELAY_MS: '0', LOG_LEVEL: 'info', MEND_SAFETY_OPINION_MS: '0', ...options.env });
  let now = Date.UTC(2026, 10, 25, 9, 0, 0);
  const clock: Clock & { advance: (ms: number) => void } = { now: () => now, advance: (ms) => { now += ms; } };
  const db = openDatabase(options.databasePath ?? ':memory:');
  const store = new ConversationStore(db, clock);
  const logs: string[] = [];
  const logStream = new Writable({ write(chunk, _enc, done) { logs.push(String(chunk)); done(); } });
  // Tests send faster than any person types; the per-connection rate has its own test.
  // One secret for every harness, as main.ts keeps one across restarts: her cookie still works after one.
  const app = await buildApp({ config, store, clock, logStream, socketRate: { burst: 10_000, perSecond: 10_000 }, identitySecret: TEST_IDENTITY_SECRET, ...options.deps });
  await app.ready();
  const health = await app.inject({ method: 'GET', url: '/api/health' });
  const cookie = String(health.headers['set-cookie']).split(';')[0]!;
  return {
    app, store, db, config, logs, cookie, clock,
    close: async () => { await app.close(); db.close(); },
  };
}

/** A WebSocket client on the app (no network) that collects frames and waits for them. */
export class ChatClient {
  readonly frames: ServerFrame[] = [];
  private waiters: Array<() => void> = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(String(data)) as ServerFrame);
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static async open(h: Harness, cookie = h.cookie): Promise<ChatClient> {
    const ws = await h.app.injectWS('/api/chat', { headers: { cookie } });
    return new ChatClient(ws);
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Resolves with the first frame (from index `from`) matching the predicate. */
  async waitFor<T extends ServerFrame['type']>(
    type: T, predicate: (f: Extract<ServerFrame, { type: T }>) => boolean = () => true, from = 0, timeoutMs = 5000,
  ): Promise<Extract<ServerFrame, { type: T }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.slice(from).find((f): f is Extract<ServerFrame, { type: T }> => f.type === type && predicate(f as Extract<ServerFrame, { type: T }>));
      if (found) return found;
      if (Date.now() > deadline) {
        const error = this.frames.findLast((f) => f.type === 'error');
        throw new Error(`no ${type} frame within ${timeoutMs} ms; got ${this.frames.map((f) => f.type).join(', ')}${error ? ` (last error: ${JSON.stringify(error)})` : ''}`);
      }
      await new Promise<void>((resolve) => { this.waiters.push(resolve); setTimeout(resolve, 50); });
    }
  }

  /** Sends a message and waits for the end of the turn's last reply. */
  async say(text: string, extra: Record<string, unknown> = {}): Promise<Extract<ServerFrame, { type: 'reply.end' }>> {
    const from = this.frames.length;
    const clientId = `c${Math.random().toString(36).slice(2, 12)}`;
    this.send({ type: 'send', clientId, text, ...extra });
    const ack = await this.waitFor('ack', (f) => f.clientId === clientId, from);
    return this.waitFor('reply.end', (f) => f.conversationId === ack.conversationId, from);
  }

  close(): void {
    this.ws.terminate();
  }
}
