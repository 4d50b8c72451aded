import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChatClient, createHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
beforeEach(async () => { h = await createHarness(); });
afterEach(async () => { await h.close(); });

/** A disk that fills up exactly when her message is written, after the tracker state in the same turn. */
const failHerMessages = () => h.db.exec(`CREATE TRIGGER disk_full BEFORE INSERT ON messages WHEN NEW.role = 'user'
  BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;`);
const diskFreed = () => h.db.exec('DROP TRIGGER disk_full');

const stateOf = (conversationId: string) =>
  h.db.prepare('SELECT state_json, safety_level, banner, updated_at FROM conversations WHERE id = ?').get(conversationId) as
    { state_json: string; safety_level: string; banner: number; updated_at: number };
const trackedTurns = (conversationId: string) =>
  (JSON.parse(stateOf(conversationId).state_json) as { safety?: { data: { tracker: { turns: number } } } }).safety?.data.tracker.turns ?? 0;

async function conversations(): Promise<Array<{ id: string }>> {
  const res = await h.app.inject({ method: 'GET', url: '/api/conversations', headers: { cookie: h.cookie } });
  return (res.json() as { conversations: Array<{ id: string }> }).conversations;
}

describe('one durable write before the first word', () => {
  it('a failed write of her message stores nothing and counts nothing: no message, no verdict, no tracker turn', async () => {
    const client = await ChatClient.open(h);
    const first = await client.say('We argued about his phone at dinner.', { region: 'UK' });
    const conversationId = first.conversationId;
    const before = stateOf(conversationId);
    expect(trackedTurns(conversationId)).toBe(1);

    failHerMessages();
    const from = client.frames.length;
    client.send({ type: 'send', clientId: 'full1', conversationId, text: 'I want to die.', region: 'US' });
    const error = await client.waitFor('error', () => true, from);
    expect(error.code).toBe('storage');
    expect(client.frames.slice(from).some((f) => f.type === 'ack' || f.type === 'safety' || f.type === 'reply.start')).toBe(false);
    expect(h.store.listMessages(conversationId).map((m) => m.role)).toEqual(['user', 'assistant']);
    // The crisis verdict, the tracker's turn and the new region were all rolled back with her message.
    expect(stateOf(conversationId)).toEqual(before);

    diskFreed();
    const again = client.frames.length;
    client.send({ type: 'send', clientId: 'full1', conversationId, text: 'I want to die.', region: 'US' });
    const ack = await client.waitFor('ack', (f) => f.clientId === 'full1', again);
    expect(ack.duplicate).toBe(false);
    expect(await client.waitFor('safety', () => true, again)).toMatchObject({ level: 'crisis' });
    await client.waitFor('reply.end', () => true, again);
    expect(trackedTurns(conversationId)).toBe(2);
    expect(stateOf(conversationId).safety_level).toBe('crisis');
    expect(h.store.listMessages(conversationId).map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'safety', 'assistant']);
    client.close();
  });

  it('a failed first message of a new conversation leaves no conversation behind', async () => {
    const client = await ChatClient.open(h);
    failHerMessages();
    client.send({ type: 'send', clientId: 'new1', text: 'He has not spoken to me for a week.' });
    expect((await client.waitFor('error')).code).toBe('storage');
    expect(await conversations()).toEqual([]);
    diskFreed();
    const end = await client.say('He has not spoken to me for a week.');
    expect(end.status).toBe('complete');
    expect((await conversations()).map((c) => c.id)).toEqual([end.conversationId]);
    client.close();
  });

  it('a private conversation goes through the same transaction, on its in-memory database', async () => {
    const client = await ChatClient.open(h);
    const end = await client.say('We fought about curfew.', { private: true });
    expect(end.conversationId.startsWith('private-')).toBe(true);
    expect(h.store.listMessages(end.conversationId).map((m) => m.role)).toEqual(['user', 'assistant']);
    client.close();
  });
});
