import Fastify, { type FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import { randomBytes } from 'node:crypto';
import { IdentityCookies, registerIdentity } from '../../src/http/identity.js';
import { HttpError, sendError } from '../../src/http/http-error.js';
import { openDatabase, type Db } from '../../src/store/database.js';
import { ConversationStore } from '../../src/store/conversation-store.js';

export interface TinyApp {
  app: FastifyInstance;
  db: Db;
  store: ConversationStore;
  clock: { now: () => number; advance: (ms: number) => void };
  /** A new browser: its identity cookie. */
  browser: () => Promise<string>;
  close: () => Promise<void>;
}

/**
 * The app's HTTP frame (error shape, rate limiter, cookies, identity) around just the routes
 * under test, for pieces not yet wired into buildApp.
 */
export async function tinyApp(register: (app: FastifyInstance, deps: Omit<TinyApp, 'app' | 'browser' | 'close'>) => Promise<void> | void): Promise<TinyApp> {
  let now = Date.UTC(2026, 10, 25, 9, 0, 0);
  const clock = { now: () => now, advance: (ms: number) => { now += ms; } };
  const db = openDatabase(':memory:');
  const store = new ConversationStore(db, clock);
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 });
  app.setErrorHandler(sendError);
  await app.register(fastifyRateLimit, {
    max: 300, timeWindow: '1 minute', keyGenerator: (request) => request.ip ?? 'in-process',
    errorResponseBuilder: (_request, context) => new HttpError(429, 'rate_limited', `Too many requests; please wait ${Math.ceil(context.ttl / 1000)} s and try again.`),
  });
  await app.register(fastifyCookie);
  registerIdentity(app, new IdentityCookies({ secure: false, secret: randomBytes(32) }));
  app.get('/api/health', async () => ({ status: 'ok' }));
  await register(app, { db, store, clock });
  await app.ready();
  const browser = async () => String((await app.inject({ method: 'GET', url: '/api/health' })).headers['set-cookie']).split(';')[0]!;
  return { app, db, store, clock, browser, close: async () => { await app.close(); db.close(); } };
}
