import { mkdtempSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startServer } from '../helpers/server-process.js';
import { openDatabase } from '../../src/store/database.js';
import { ConversationStore } from '../../src/store/conversation-store.js';
import { purgeExpired, startRetention } from '../../src/store/retention.js';

const DAY = 24 * 60 * 60 * 1000;

function setup() {
  let now = Date.UTC(2026, 0, 1);
  const clock = { now: () => now, advance: (ms: number) => { now += ms; } };
  const db = openDatabase(':memory:');
  const store = new ConversationStore(db, clock);
  const say = (conversationId: string, text: string) =>
    store.appendMessage(conversationId, { role: 'user', text, mode: 'coach', safetyLevel: 'calm', status: 'complete' });
  const logs: Array<{ details: Record<string, unknown>; message: string }> = [];
  const log = { info: (details: Record<string, unknown>, message: string) => logs.push({ details, message }), error: (details: Record<string, unknown>, message: string) => logs.push({ details, message }) };
  return { clock, db, store, say, logs, log };
}

afterEach(() => { vi.useRealTimers(); });

describe('automatic retention', () => {
  it('removes conversations with no activity for longer than the limit, with their messages, and keeps recent ones', () => {
    const { clock, db, store, say } = setup();
    const old = store.createConversation('her', { title: 'Old' });
    say(old.id, 'An old worry.');
    const revived = store.createConversation('her', { title: 'Revived' });
    say(revived.id, 'Started long ago.');
    clock.advance(20 * DAY);
    say(revived.id, 'But I came back to it.');
    const other = store.createConversation('someone-else', { title: 'Old too' });
    clock.advance(11 * DAY);

    expect(purgeExpired(db, clock, 30)).toBe(1);
    expect(store.listConversations('her').map((c) => c.title)).toEqual(['Revived']);
    expect(store.listMessages(old.id)).toEqual([]);
    expect((db.prepare('SELECT COUNT(*) AS n FROM messages WHERE conversation_id = ?').get(old.id) as { n: number }).n).toBe(0);
    expect(store.listMessages(revived.id)).toHaveLength(2);
    expect(store.getConversation('someone-else', other.id)).toBeDefined();
  });

  it('counts the limit exactly: a conversation exactly `days` old stays, a millisecond older goes', () => {
    const { clock, db, store } = setup();
    store.createConversation('her');
    clock.advance(7 * DAY);
    expect(purgeExpired(db, clock, 7)).toBe(0);
    clock.advance(1);
    expect(purgeExpired(db, clock, 7)).toBe(1);
  });

  it('refuses a limit that would delete everything', () => {
    const { clock, db, store } = setup();
    store.createConversation('her');
    expect(() => purgeExpired(db, clock, 0)).toThrow(RangeError);
    expect(() => purgeExpired(db, clock, -1)).toThrow(RangeError);
    expect(() => purgeExpired(db, clock, Number.NaN)).toThrow(RangeError);
    expect(store.listConversations('her')).toHaveLength(1);
  });

  it('runs at start and again every interval, logs only counts, and stops when asked', () => {
    vi.useFakeTimers();
    const { clock, db, store, say, logs, log } = setup();
    const first = store.createConversation('her');
    say(first.id, 'Zebediah broke the window.');
    clock.advance(3 * DAY);
    const stop = startRetention({ db, clock, days: 2, intervalMs: 60_000, log });
    expect(store.listConversations('her')).toEqual([]);

    store.createConversation('her');
    clock.advance(3 * DAY);
    vi.advanceTimersByTime(60_000);
    expect(store.listConversations('her')).toEqual([]);
    expect(logs.map((l) => l.details.removed)).toEqual([1, 1]);
    expect(JSON.stringify(logs)).not.toContain('Zebediah');

    stop();
    store.createConversation('her');
    clock.advance(3 * DAY);
    vi.advanceTimersByTime(5 * 60_000);
    expect(store.listConversations('her')).toHaveLength(1);
  });

  it('does nothing when no limit is set', () => {
    vi.useFakeTimers();
    const { clock, db, store, log } = setup();
    store.createConversation('her');
    clock.advance(10_000 * DAY);
    const stop = startRetention({ db, clock, days: 0, log });
    startRetention({ db, clock, days: undefined, log });
    vi.advanceTimersByTime(24 * 60 * 60 * 1000);
    expect(store.listConversations('her')).toHaveLength(1);
    stop();
  });

  it('a failed purge is logged and retried on the next run, without stopping the timer', () => {
    vi.useFakeTimers();
    const { clock, db, store, logs, log } = setup();
    store.createConversation('her');
    clock.advance(5 * DAY);
    const prepare = db.prepare.bind(db);
    const spy = vi.spyOn(db, 'prepare').mockImplementationOnce(() => { throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }); });
    const stop = startRetention({ db, clock, days: 1, intervalMs: 1000, log });
    expect(logs[0]).toMatchObject({ message: 'retention purge failed; will retry', details: { err: { code: 'SQLITE_BUSY' } } });
    expect(store.listConversations('her')).toHaveLength(1);
    spy.mockImplementation(prepare);
    vi.advanceTimersByTime(1000);
    expect(store.listConversations('her')).toEqual([]);
    stop();
  });
});

describe('MEND_RETENTION_DAYS in the server process', () => {
  it('removes expired conversations at start-up and keeps recent ones', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'mend-retention-')), 'mend.db');
    const owner = 'R'.repeat(43);
    let now = Date.now() - 5 * DAY;
    const db = openDatabase(path);
    const store = new ConversationStore(db, { now: () => now });
    store.createConversation(owner, { title: 'Five days old' });
    now = Date.now();
    store.createConversation(owner, { title: 'Today' });
    db.close();

    const server = await startServer({ DATABASE_PATH: path, MEND_RETENTION_DAYS: '2' });
    try {
      const list = await (await fetch(`${server.url}/api/conversations`, { headers: { cookie: `mend_id=${owner}` } })).json();
      expect(list.conversations.map((c: { title: string }) => c.title)).toEqual(['Today']);
      expect(server.stdout()).toContain('removed conversations older than the retention limit');
      expect(server.stdout()).not.toContain('Five days old');
    } finally {
      server.child.kill('SIGTERM');
      await once(server.child, 'exit');
    }
  });
});
