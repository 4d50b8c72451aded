import { z } from 'zod';
import { stateSlot } from '../../src/store/state-slot.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION, openDatabase, schemaVersion } from '../../src/store/database.js';
import { ConversationStore, StoreError } from '../../src/store/conversation-store.js';

function freshStore(path = ':memory:') {
  let now = 1_000;
  const db = openDatabase(path);
  return { db, store: new ConversationStore(db, { now: () => (now += 10) }) };
}

const userMessage = (text: string, clientId?: string) => ({
  role: 'user' as const, text, mode: 'coach' as const, safetyLevel: 'calm' as const, status: 'complete' as const, clientId,
});

describe('ConversationStore', () => {
  it('creates the database folder, uses WAL and records the schema version', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mend-store-'));
    const { db } = freshStore(join(dir, 'nested', 'mend.db'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    db.close();
    const again = openDatabase(join(dir, 'nested', 'mend.db'));
    expect(schemaVersion(again)).toBe(LATEST_SCHEMA_VERSION);
    again.close();
  });

  it('keeps messages in order with sequence numbers, and lists conversations most recent first', () => {
    const { store } = freshStore();
    const a = store.createConversation('owner', { title: 'Grades' });
    const b = store.createConversation('owner', { title: 'Phone' });
    store.appendMessage(a.id, userMessage('first'));
    store.appendMessage(a.id, { ...userMessage('reply'), role: 'assistant' });
    store.appendMessage(a.id, userMessage('second'));
    expect(store.listMessages(a.id).map((m) => [m.seq, m.text])).toEqual([[1, 'first'], [2, 'reply'], [3, 'second']]);
    expect(store.listConversations('owner').map((c) => c.id)).toEqual([a.id, b.id]);
  });

  it('scopes every read and write to its owner', () => {
    const { store } = freshStore();
    const mine = store.createConversation('me');
    expect(store.getConversation('someone-else', mine.id)).toBeUndefined();
    expect(store.listConversations('someone-else')).toEqual([]);
    expect(store.deleteConversation('someone-else', mine.id)).toBe(false);
    expect(store.renameConversation('someone-else', mine.id, 'stolen')).toBeUndefined();
    expect(store.getConversation('me', mine.id)?.title).toBe('New conversation');
  });

  it('refuses a second message with the same client id in a conversation', () => {
    const { store } = freshStore();
    const c = store.createConversation('me');
    store.appendMessage(c.id, userMessage('hello', 'client-1'));
    expect(() => store.appendMessage(c.id, userMessage('hello', 'client-1'))).toThrow(StoreError);
    expect(store.findByClientId(c.id, 'client-1')?.text).toBe('hello');
    expect(store.listMessages(c.id)).toHaveLength(1);
  });

  it('revises her message in place: new words, verdict and meta, its place and client id kept; never a reply', () => {
    const { store } = freshStore();
    const c = store.createConversation('me');
    const mine = store.appendMessage(c.id, { ...userMessage('hello', 'client-1'), meta: { safety: { level: 'calm' } } });
    const reply = store.appendMessage(c.id, { ...userMessage('hi'), role: 'assistant' });
    const revised = store.reviseUserMessage(mine.id, { text: 'hello again', safetyLevel: 'strained', meta: { versions: [{ text: 'hello', createdAt: mine.createdAt }] } });
    expect(revised).toMatchObject({ id: mine.id, seq: 1, text: 'hello again', safetyLevel: 'strained', clientId: 'client-1', meta: { safety: { level: 'calm' } } });
    expect(revised!.meta.versions).toEqual([{ text: 'hello', createdAt: mine.createdAt }]);
    expect(revised!.createdAt).toBeGreaterThan(mine.createdAt);
    expect(store.getConversation('me', c.id)!.updatedAt).toBe(revised!.createdAt);
    expect(store.reviseUserMessage(reply.id, { text: 'no', safetyLevel: 'calm', meta: {} })).toBeUndefined();
    expect(store.getMessage(reply.id)!.text).toBe('hi');
  });

  it('marks replies cut off by a crash as incomplete, keeping their text', () => {
    const { store } = freshStore();
    const c = store.createConversation('me');
    const reply = store.appendMessage(c.id, { ...userMessage(''), role: 'assistant', status: 'streaming' });
    store.appendReplyProgress(reply.id, "Half a thought");
    expect(store.markInterruptedReplies()).toBe(1);
    expect(store.getMessage(reply.id)).toMatchObject({ status: 'incomplete', text: 'Half a thought' });
  });

  it('deletes a conversation with its messages', () => {
    const { store, db } = freshStore();
    const c = store.createConversation('me');
    store.appendMessage(c.id, userMessage('x'));
    expect(store.deleteConversation('me', c.id)).toBe(true);
    expect(db.prepare('SELECT COUNT(*) AS n FROM messages').get()).toEqual({ n: 0 });
  });

  it('keeps per-conversation state in typed, versioned slots', () => {
    const { store } = freshStore();
    const c = store.createConversation('me');
    const memory = stateSlot('memory', 1, z.object({ son: z.string() }));
    const region = stateSlot('region', 1, z.enum(['US', 'UK']));
    store.writeSlot(c.id, memory, { son: 'Jake' });
    store.writeSlot(c.id, region, 'UK');
    expect(store.readSlot(c.id, memory)).toEqual({ son: 'Jake' });
    expect(store.readSlot(c.id, region)).toBe('UK');
    store.writeSlot(c.id, region, undefined);
    expect(store.readSlot(c.id, region)).toBeUndefined();
  });

  it('reads a corrupt, unversioned or older slot as absent instead of casting it', () => {
    const { store, db } = freshStore();
    const c = store.createConversation('me');
    const flow = stateSlot('coach.flow', 2, z.object({ turn: z.number().int() }));
    const raw = (state: unknown) => db.prepare('UPDATE conversations SET state_json = ? WHERE id = ?').run(JSON.stringify(state), c.id);
    raw({ 'coach.flow': { v: 2, data: { turn: 'three' } } });
    expect(store.readSlot(c.id, flow)).toBeUndefined();
    raw({ 'coach.flow': { turn: 3 } });
    expect(store.readSlot(c.id, flow)).toBeUndefined();
    raw({ 'coach.flow': { v: 1, data: { turn: 3 } } });
    expect(store.readSlot(c.id, flow)).toBeUndefined();
    raw({ 'coach.flow': { v: 2, data: { turn: 3 } } });
    expect(store.readSlot(c.id, flow)).toEqual({ turn: 3 });
  });

  it('reads each slot fresh: a value changed by its reader, another write or a deletion is never read back stale', () => {
    const { store, db } = freshStore();
    const c = store.createConversation('me');
    const facts = stateSlot('facts', 1, z.object({ names: z.array(z.string()) }));
    store.writeSlot(c.id, facts, { names: ['Jake'] });
    store.readSlot(c.id, facts)!.names.push('changed by a reader');
    expect(store.readSlot(c.id, facts)).toEqual({ names: ['Jake'] });
    store.writeSlot(c.id, facts, { names: ['Jake', 'Tyler'] });
    expect(store.readSlot(c.id, facts)).toEqual({ names: ['Jake', 'Tyler'] });
    db.prepare('UPDATE conversations SET state_json = ? WHERE id = ?').run(JSON.stringify({ facts: { v: 1, data: { names: ['Sam'] } } }), c.id);
    expect(store.readSlot(c.id, facts)).toEqual({ names: ['Sam'] });
    store.deleteConversation('me', c.id);
    expect(store.readSlot(c.id, facts)).toBeUndefined();
  });
});
