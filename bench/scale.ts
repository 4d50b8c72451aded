/**
 * Does anything grow with the conversation or the database? The real app (`buildApp`, guided
 * coach, a real SQLite file) in this process, driven through `inject` and `injectWS`:
 *
 * - a turn (her message to the first word of the reply) in conversations of 10, 1,000 and
 *   10,000 messages;
 * - listing her conversations, opening one, and a turn, with 100,000 conversations of other
 *   people in the database beside only her own.
 *
 * Long histories and other people's conversations are written straight into SQLite (the
 * turns that measure go through the app). Each ratio is measured in ROUNDS rounds, the sizes
 * alternating in order, and the median is reported.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { buildApp } from '../src/app.js';
import { systemClock } from '../src/clock.js';
import { loadConfig } from '../src/config/env.js';
import { openDatabase, type Db } from '../src/store/database.js';
import { ConversationStore } from '../src/store/conversation-store.js';
import type { ServerFrame } from '../src/protocol/frames.js';
import { coachReply, herMessage } from './conversation.js';
import { median, round } from './stats.js';

export const CONVERSATION_SIZES = [10, 1_000, 10_000];
export const OTHER_CONVERSATIONS = 100_000;
const HER_CONVERSATIONS = 20;
const ROUNDS = 3;
const TURNS = 15;
const WARMUP_TURNS = 3;
const READS = 40;

interface Bench {
  app: FastifyInstance;
  db: Db;
  cookie: string;
  close: () => Promise<void>;
}

/** One log sink for every app this bench builds, at the production level. */
let logStream: pino.DestinationStream | undefined;

async function startApp(): Promise<Bench> {
  const dir = mkdtempSync(join(tmpdir(), 'mend-bench-scale-'));
  const config = loadConfig({ DATABASE_PATH: join(dir, 'mend.db'), LOG_LEVEL: 'info', MEND_GUIDED_DELAY_MS: '0', MEND_PROVIDER: 'guided' });
  const db = openDatabase(config.DATABASE_PATH);
  const store = new ConversationStore(db, systemClock);
  logStream ??= pino.destination({ dest: '/dev/null', sync: true });
  const socketRate = { burst: 1_000_000, perSecond: 1_000_000 };
  const app = await buildApp({ config, store, clock: systemClock, logStream, socketRate });
  await app.ready();
  const health = await app.inject({ method: 'GET', url: '/api/health' });
  const cookie = String(health.headers['set-cookie']).split(';')[0]!;
  return { app, db, cookie, close: async () => { await app.close(); db.close(); rmSync(dir, { recursive: true, force: true }); } };
}

/** A socket that times her message to the first word of the reply. */
async function openChat(bench: Bench) {
  const ws: WebSocket = await bench.app.injectWS('/api/chat', { headers: { cookie: bench.cookie } });
  const waiting: Array<(frame: ServerFrame) => void> = [];
  ws.on('message', (data) => { for (const w of [...waiting]) w(JSON.parse(String(data)) as ServerFrame); });
  const until = (test: (f: ServerFrame) => boolean) => new Promise<ServerFrame>((resolve) => {
    const check = (f: ServerFrame) => {
      if (!test(f)) return;
      waiting.splice(waiting.indexOf(check), 1);
      resolve(f);
    };
    waiting.push(check);
  });
  let sent = 0;
  /** Ms from sending to the first reply.delta; resolves once the reply has ended. */
  const turn = async (text: string, conversationId?: string): Promise<{ ms: number; conversationId: string }> => {
    const clientId = `s${++sent}`;
    const firstWord = until((f) => f.type === 'reply.delta' || f.type === 'error');
    const end = until((f) => f.type === 'reply.end' || f.type === 'error');
    const ack = until((f) => (f.type === 'ack' && f.clientId === clientId) || f.type === 'error');
    const started = performance.now();
    ws.send(JSON.stringify({ type: 'send', clientId, text, ...(conversationId ? { conversationId } : {}) }));
    const first = await firstWord;
    const ms = performance.now() - started;
    const [acked] = await Promise.all([ack, end]);
    if (first.type === 'error' || acked.type !== 'ack') throw new Error(`a bench turn failed: ${JSON.stringify(first)}`);
    return { ms, conversationId: acked.conversationId };
  };
  return { turn, close: () => ws.terminate() };
}

/** Median ms to first word over TURNS turns in one conversation, after a few unmeasured ones. */
async function turnsIn(chat: Awaited<ReturnType<typeof openChat>>, conversationId: string, from: number): Promise<number> {
  const times: number[] = [];
  for (let t = 0; t < WARMUP_TURNS + TURNS; t++) {
    const { ms } = await chat.turn(herMessage(from + t), conversationId);
    if (t >= WARMUP_TURNS) times.push(ms);
  }
  return median(times);
}

/** Writes `count` more messages (hers and replies in turn) into a conversation, straight into SQLite. */
function growConversation(db: Db, conversationId: string, count: number): void {
  const insert = db.prepare(`INSERT INTO messages (id, conversation_id, seq, role, text, mode, safety_level, status, client_id, meta_json, created_at)
    VALUES (?, ?, ?, ?, ?, 'coach', 'calm', 'complete', ?, ?, ?)`);
  const { seq } = db.prepare('SELECT MAX(seq) AS seq FROM messages WHERE conversation_id = ?').get(conversationId) as { seq: number };
  const now = Date.now();
  db.transaction(() => {
    for (let i = 1; i <= count; i++) {
      const hers = i % 2 === 1;
      const turn = Math.ceil(i / 2);
      insert.run(randomUUID(), conversationId, seq + i, hers ? 'user' : 'assistant', hers ? herMessage(turn) : coachReply(turn),
        hers ? `bulk${i}` : null, JSON.stringify({ citations: [], steps: hers ? [] : ['calm'], ...(hers ? { safety: { level: 'calm', atRisk: [] } } : { voice: 'coach' }) }), now - (count - i) * 1000);
    }
  })();
}

/** Other people's conversations, two messages each, straight into SQLite. */
function addOtherPeople(db: Db, conversations: number): void {
  const conversation = db.prepare(`INSERT INTO conversations (id, owner_id, title, mode, created_at, updated_at) VALUES (?, ?, 'Other', 'coach', ?, ?)`);
  const message = db.prepare(`INSERT INTO messages (id, conversation_id, seq, role, text, mode, safety_level, status, meta_json, created_at)
    VALUES (?, ?, ?, ?, ?, 'coach', 'calm', 'complete', '{"citations":[],"steps":[]}', ?)`);
  const now = Date.now();
  db.transaction(() => {
    for (let i = 0; i < conversations; i++) {
      const id = randomUUID();
      // Ten conversations a person, and newer than hers, so an index that is not used shows.
      conversation.run(id, `other${Math.floor(i / 10)}`.padEnd(43, 'x'), now + i, now + i);
      message.run(randomUUID(), id, 1, 'user', herMessage(i + 1), now + i);
      message.run(randomUUID(), id, 2, 'assistant', coachReply(i + 1), now + i);
    }
  })();
}

export interface ScaleRow {
  label: string;
  /** Median ms of the large case and of the small case (from the round with the median ratio). */
  large: number;
  small: number;
  /** Median of the rounds' large-over-small ratios. */
  ratio: number;
  ratios: number[];
}

export interface ScaleResult {
  conversation: ScaleRow[];
  database: ScaleRow[];
}

function rowOf(label: string, pairs: Array<{ large: number; small: number }>): ScaleRow {
  const ratios = pairs.map((p) => p.large / p.small);
  const mid = median(ratios);
  const at = pairs[ratios.indexOf(mid)]!;
  return { label, large: round(at.large), small: round(at.small), ratio: round(mid), ratios: ratios.map(round) };
}

/** One turn-time per size, each in a fresh app and database. */
async function conversationRound(sizes: number[]): Promise<Map<number, number>> {
  const times = new Map<number, number>();
  for (const size of sizes) {
    const bench = await startApp();
    try {
      const chat = await openChat(bench);
      const { conversationId } = await chat.turn(herMessage(1));
      growConversation(bench.db, conversationId, size - 2);
      times.set(size, await turnsIn(chat, conversationId, size / 2 + 1));
      chat.close();
    } finally {
      await bench.close();
    }
  }
  return times;
}

async function medianRead(bench: Bench, url: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < READS + 5; i++) {
    const started = performance.now();
    const res = await bench.app.inject({ method: 'GET', url, headers: { cookie: bench.cookie } });
    if (res.statusCode !== 200) throw new Error(`GET ${url} answered ${res.statusCode}`);
    if (i >= 5) times.push(performance.now() - started);
  }
  return median(times);
}

/** Listing, opening and a turn for her, with or without everyone else's conversations in the database. */
async function databaseRound(others: number): Promise<{ list: number; open: number; turn: number }> {
  const bench = await startApp();
  try {
    if (others) addOtherPeople(bench.db, others);
    const chat = await openChat(bench);
    let last = '';
    for (let c = 0; c < HER_CONVERSATIONS; c++) {
      last = (await chat.turn(herMessage(c + 1))).conversationId;
      for (let t = 0; t < 4; t++) await chat.turn(herMessage(c + t + 2), last);
    }
    const list = await medianRead(bench, '/api/conversations');
    const open = await medianRead(bench, `/api/conversations/${last}`);
    const turn = await turnsIn(chat, last, 50);
    chat.close();
    return { list, open, turn };
  } finally {
    await bench.close();
  }
}

export async function measureScale(log: (line: string) => void = () => undefined): Promise<ScaleResult> {
  const [smallest, ...larger] = CONVERSATION_SIZES;
  const byRound: Array<Map<number, number>> = [];
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 ? [...CONVERSATION_SIZES].reverse() : CONVERSATION_SIZES;
    byRound.push(await conversationRound(order));
    log(`  conversation sizes, round ${r + 1}: ${CONVERSATION_SIZES.map((s) => `${s} messages ${round(byRound[r]!.get(s)!)} ms`).join(', ')}`);
  }
  const conversation = larger.map((size) => rowOf(`a turn in a ${size.toLocaleString('en')}-message conversation vs ${smallest}`,
    byRound.map((times) => ({ large: times.get(size)!, small: times.get(smallest!)! }))));

  const pairs: Array<{ big: Awaited<ReturnType<typeof databaseRound>>; small: Awaited<ReturnType<typeof databaseRound>> }> = [];
  for (let r = 0; r < ROUNDS; r++) {
    const small = r % 2 ? undefined : await databaseRound(0);
    const big = await databaseRound(OTHER_CONVERSATIONS);
    pairs.push({ big, small: small ?? await databaseRound(0) });
    log(`  database of ${OTHER_CONVERSATIONS.toLocaleString('en')} conversations, round ${r + 1}: list ${round(pairs[r]!.big.list)} vs ${round(pairs[r]!.small.list)} ms, open ${round(pairs[r]!.big.open)} vs ${round(pairs[r]!.small.open)} ms, turn ${round(pairs[r]!.big.turn)} vs ${round(pairs[r]!.small.turn)} ms`);
  }
  const others = OTHER_CONVERSATIONS.toLocaleString('en');
  const database = (['list', 'open', 'turn'] as const).map((key) => rowOf(
    { list: `listing her ${HER_CONVERSATIONS} conversations`, open: 'opening one (10 messages)', turn: 'a turn' }[key] + `, ${others} other conversations in the database vs none`,
    pairs.map((p) => ({ large: p.big[key], small: p.small[key] }))));
  return { conversation, database };
}
