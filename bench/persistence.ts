/**
 * Turns stored per second with the real store on a temp file and its production settings
 * (WAL, synchronous=NORMAL): her message, the reply opened as streaming, the reply finished.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { systemClock } from '../src/clock.js';
import { openDatabase } from '../src/store/database.js';
import { ConversationStore } from '../src/store/conversation-store.js';
import { coachReply, herMessage } from './conversation.js';
import { percentile, round } from './stats.js';

export interface PersistenceResult {
  conversations: number;
  turnsEach: number;
  turnsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  settings: string;
}

function storeTurn(store: ConversationStore, conversationId: string, turn: number): void {
  store.appendMessage(conversationId, {
    role: 'user', text: herMessage(turn), mode: 'coach', safetyLevel: 'calm', status: 'complete', clientId: `p${turn}`,
    meta: { safety: { level: 'calm', atRisk: [] } },
  });
  const reply = store.appendMessage(conversationId, { role: 'assistant', text: '', mode: 'coach', safetyLevel: 'calm', status: 'streaming', meta: { voice: 'coach' } });
  store.finishReply(reply.id, coachReply(turn), 'complete', { citations: [{ id: 'calm#practices', stepId: 'calm', title: 'Communicate calmly' }], steps: ['calm'], voice: 'coach' });
}

export function measurePersistence(conversations = 20, turnsEach = 100): PersistenceResult {
  const dir = mkdtempSync(join(tmpdir(), 'mend-bench-store-'));
  const db = openDatabase(join(dir, 'mend.db'));
  try {
    const store = new ConversationStore(db, systemClock);
    const ids = Array.from({ length: conversations }, (_, i) => store.createConversation(`owner${i}`.padEnd(43, 'o'), { title: 'Bench' }).id);
    const durations: number[] = [];
    const started = performance.now();
    // Conversations take turns, as many people chatting at once would.
    for (let turn = 1; turn <= turnsEach; turn++) {
      for (const id of ids) {
        const t0 = performance.now();
        storeTurn(store, id, turn);
        durations.push(performance.now() - t0);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const journal = String(db.pragma('journal_mode', { simple: true }));
    const synchronous = ['OFF', 'NORMAL', 'FULL', 'EXTRA'][Number(db.pragma('synchronous', { simple: true }))] ?? '?';
    return {
      conversations, turnsEach,
      turnsPerSecond: Math.round(durations.length / seconds),
      p50Ms: round(percentile(durations, 50)), p99Ms: round(percentile(durations, 99)),
      settings: `journal_mode=${journal}, synchronous=${synchronous}`,
    };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
