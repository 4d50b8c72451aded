import { afterEach, describe, expect, it } from 'vitest';
import { ChatClient, createHarness, type Harness } from '../helpers/harness.js';
import type { MessageRecord } from '../../src/protocol/records.js';

let h: Harness | undefined;
afterEach(async () => { await h?.close(); h = undefined; });

const CALM = 'We argued about his phone and he slammed the door.';
const CRISIS = 'I found pills hidden in his room and a note saying sorry';

/** Sends an edit of her message and waits for its ack (or the error refusing it). */
async function edit(client: ChatClient, frame: { conversationId: string; messageId: string; text: string }, clientId = `e${Math.random().toString(36).slice(2, 10)}`) {
  const from = client.frames.length;
  client.send({ type: 'edit', clientId, ...frame });
  const answer = await Promise.any([
    client.waitFor('ack', (f) => f.clientId === clientId, from),
    client.waitFor('error', (f) => f.clientId === clientId, from),
  ]);
  return { from, clientId, answer };
}

function userMessages(harness: Harness, conversationId: string): MessageRecord[] {
  return harness.store.listMessages(conversationId).filter((m) => m.role === 'user');
}

async function conversation(harness: Harness, id: string, cookie = harness.cookie) {
  return harness.app.inject({ method: 'GET', url: `/api/conversations/${id}`, headers: { cookie } });
}

describe('editing her last message', () => {
  it('screens the new words again: a calm message edited into a crisis gets the notice, the banner and the fixed crisis reply', async () => {
    h = await createHarness();
    const client = await ChatClient.open(h);
    const first = await client.say(CALM, { region: 'US' });
    expect(client.frames.some((f) => f.type === 'safety')).toBe(false);
    const [mine] = userMessages(h, first.conversationId);

    const from = client.frames.length;
    client.send({ type: 'edit', clientId: 'edit1', conversationId: first.conversationId, messageId: mine!.id, text: CRISIS });
    expect(await client.waitFor('ack', (f) => f.clientId === 'edit1', from)).toMatchObject({ messageId: mine!.id, duplicate: false });
    expect(await client.waitFor('safety', () => true, from)).toMatchObject({ level: 'crisis', banner: true, messageId: mine!.id });
    const end = await client.waitFor('reply.end', () => true, from);
    expect(end.meta).toMatchObject({ fixed: true });
    expect(end.text.trimStart().startsWith('**Is he safe right now?**')).toBe(true);
    expect(end.meta.versions?.map((v) => v.text)).toEqual([first.text]);

    const stored = userMessages(h, first.conversationId)[0]!;
    expect(stored).toMatchObject({ id: mine!.id, text: CRISIS, safetyLevel: 'crisis', clientId: mine!.clientId });
    expect(stored.meta.versions).toEqual([{ text: CALM, createdAt: mine!.createdAt }]);
    const detail = (await conversation(h, first.conversationId)).json();
    expect(detail.conversation).toMatchObject({ safetyLevel: 'crisis', banner: true });
    expect(detail.messages.map((m: MessageRecord) => m.role)).toEqual(['user', 'safety', 'assistant']);
    client.close();
  });

  it('keeps the old words as a version of her message and the old reply as a version of the new one, for a reload and the export', async () => {
    h = await createHarness();
    const client = await ChatClient.open(h);
    const first = await client.say(CALM);
    const [mine] = userMessages(h, first.conversationId);
    h.clock.advance(60_000);
    const { from, answer } = await edit(client, { conversationId: first.conversationId, messageId: mine!.id, text: 'He slammed the door when I asked about his phone.' });
    expect(answer?.type).toBe('ack');
    const second = await client.waitFor('reply.end', () => true, from);
    expect(second.status).toBe('complete');
    expect(second.meta.versions?.map((v) => v.text)).toEqual([first.text]);

    // A second edit keeps both earlier versions of her words, oldest first.
    const again = await edit(client, { conversationId: first.conversationId, messageId: mine!.id, text: 'He slammed his door again tonight.' });
    expect(again.answer?.type).toBe('ack');
    const third = await client.waitFor('reply.end', () => true, again.from);
    expect(third.meta.versions?.map((v) => v.text)).toEqual([first.text, second.text]);

    const detail = (await conversation(h, first.conversationId)).json();
    expect(detail.messages.map((m: MessageRecord) => m.role)).toEqual(['user', 'assistant']);
    const [user, reply] = detail.messages as MessageRecord[];
    expect(user!.text).toBe('He slammed his door again tonight.');
    expect(user!.meta.versions).toEqual([
      { text: CALM, createdAt: mine!.createdAt },
      { text: 'He slammed the door when I asked about his phone.', createdAt: mine!.createdAt + 60_000 },
    ]);
    expect(reply!.text).toBe(third.text);
    expect(reply!.meta.versions?.map((v) => v.text)).toEqual([first.text, second.text]);

    const exported = (await h.app.inject({ method: 'GET', url: '/api/export', headers: { cookie: h.cookie } })).json();
    const messages = exported.conversations[0].messages;
    expect(messages[0]).toMatchObject({ role: 'user', text: 'He slammed his door again tonight.' });
    expect(messages[0].meta.versions.map((v: { text: string }) => v.text)).toEqual([CALM, 'He slammed the door when I asked about his phone.']);
    client.close();
  });

  it('is refused while a reply is being written, and nothing changes', async () => {
    h = await createHarness({ env: { MEND_GUIDED_DELAY_MS: '15' } });
    const client = await ChatClient.open(h);
    client.send({ type: 'send', clientId: 's1', text: CALM });
    const ack = await client.waitFor('ack');
    await client.waitFor('reply.delta');
    const { answer } = await edit(client, { conversationId: ack.conversationId, messageId: ack.messageId, text: CRISIS }, 'busy1');
    expect(answer).toMatchObject({ type: 'error', code: 'busy', clientId: 'busy1', conversationId: ack.conversationId });
    const end = await client.waitFor('reply.end');
    expect(end.status).toBe('complete');
    const stored = h.store.listMessages(ack.conversationId);
    expect(stored.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(stored[0]).toMatchObject({ text: CALM, safetyLevel: 'calm' });
    expect(stored[0]!.meta.versions).toBeUndefined();
    expect(h.store.getConversation(ownerOf(h, ack.conversationId), ack.conversationId)?.safetyLevel).toBe('calm');
    client.close();
  });

  it('is refused for any message but her last, for unchanged words and for empty ones', async () => {
    h = await createHarness();
    const client = await ChatClient.open(h);
    const first = await client.say(CALM);
    await client.say('He says I never listen to him.', { conversationId: first.conversationId });
    const [older, last] = userMessages(h, first.conversationId);
    const before = h.store.listMessages(first.conversationId);

    const notLast = await edit(client, { conversationId: first.conversationId, messageId: older!.id, text: 'Something else' });
    expect(notLast.answer).toMatchObject({ type: 'error', code: 'bad_frame', message: 'Only your last message can be edited.' });
    const unchanged = await edit(client, { conversationId: first.conversationId, messageId: last!.id, text: `  ${last!.text} ` });
    expect(unchanged.answer).toMatchObject({ type: 'error', code: 'bad_frame' });
    expect(unchanged.answer).toMatchObject({ message: expect.stringMatching(/already says/) });
    // Words outside send's limits are refused as the frame is read, before any id in it is.
    for (const text of ['   ', 'x'.repeat(8001)]) {
      const from = client.frames.length;
      client.send({ type: 'edit', clientId: 'limits', conversationId: first.conversationId, messageId: last!.id, text });
      expect(await client.waitFor('error', () => true, from)).toMatchObject({ code: 'bad_frame', message: expect.stringMatching(/^text: message is (empty|longer than 8000 characters)$/) });
    }
    // A reply's id, or one from nowhere, is not a message of hers here.
    const reply = before.find((m) => m.role === 'assistant')!;
    const notHers = await edit(client, { conversationId: first.conversationId, messageId: reply.id, text: 'Something else' });
    expect(notHers.answer).toMatchObject({ type: 'error', code: 'not_found' });

    expect(h.store.listMessages(first.conversationId)).toEqual(before);
    expect(client.frames.filter((f) => f.type === 'reply.start')).toHaveLength(2);
    client.close();
  });

  it('is refused for another browser\'s conversation, as not found, and nothing changes', async () => {
    h = await createHarness();
    const client = await ChatClient.open(h);
    const first = await client.say(CALM);
    const [mine] = userMessages(h, first.conversationId);
    const before = h.store.listMessages(first.conversationId);
    const stranger = await ChatClient.open(h, 'mend_id=' + 'x'.repeat(43));
    const { answer } = await edit(stranger, { conversationId: first.conversationId, messageId: mine!.id, text: CRISIS }, 'evil');
    expect(answer).toMatchObject({ type: 'error', code: 'not_found', clientId: 'evil' });
    expect(stranger.frames.every((f) => f.type === 'error')).toBe(true);
    expect((await conversation(h, first.conversationId, 'mend_id=' + 'x'.repeat(43))).statusCode).toBe(404);
    expect(h.store.listMessages(first.conversationId)).toEqual(before);
    client.close();
    stranger.close();
  });

  it('stores the edit in one write before the model is called: a failed write changes nothing, not even the tracker', async () => {
    h = await createHarness();
    const client = await ChatClient.open(h);
    const first = await client.say(CALM, { region: 'US' });
    const [mine] = userMessages(h, first.conversationId);
    const before = { messages: h.store.listMessages(first.conversationId), state: conversationRow(h, first.conversationId) };
    // The disk fills up just as her new words are written, after the tracker and the replies in the same write.
    h.db.exec(`CREATE TRIGGER disk_full BEFORE UPDATE ON messages WHEN NEW.role = 'user'
      BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;`);
    const { from, answer } = await edit(client, { conversationId: first.conversationId, messageId: mine!.id, text: CRISIS }, 'full1');
    expect(answer).toMatchObject({ type: 'error', code: 'storage', clientId: 'full1' });
    expect(client.frames.slice(from).some((f) => f.type === 'safety' || f.type === 'reply.start')).toBe(false);
    expect(h.store.listMessages(first.conversationId)).toEqual(before.messages);
    expect(conversationRow(h, first.conversationId)).toEqual(before.state);
    client.close();
  });

  it('answers the edit in the mode her message was sent in', async () => {
    h = await createHarness();
    const client = await ChatClient.open(h);
    const first = await client.say('You never listen to me and I am sick of it.', { mode: 'draft' });
    const [mine] = userMessages(h, first.conversationId);
    const { from, answer } = await edit(client, { conversationId: first.conversationId, messageId: mine!.id, text: 'I feel unheard when we argue, and I want us to talk.' });
    expect(answer?.type).toBe('ack');
    expect(await client.waitFor('reply.start', () => true, from)).toMatchObject({ mode: 'draft' });
    expect((await client.waitFor('reply.end', () => true, from)).status).toBe('complete');
    expect(userMessages(h, first.conversationId)[0]).toMatchObject({ mode: 'draft', text: 'I feel unheard when we argue, and I want us to talk.' });
    client.close();
  });

  it('works the same in a conversation Mend is not keeping', async () => {
    h = await createHarness();
    const client = await ChatClient.open(h);
    const first = await client.say(CALM, { private: true });
    const [mine] = userMessages(h, first.conversationId);
    const { from, answer } = await edit(client, { conversationId: first.conversationId, messageId: mine!.id, text: 'He slammed his door again tonight.' });
    expect(answer?.type).toBe('ack');
    await client.waitFor('reply.end', () => true, from);
    const detail = (await conversation(h, first.conversationId)).json();
    expect(detail.messages[0]).toMatchObject({ text: 'He slammed his door again tonight.', meta: { versions: [{ text: CALM }] } });
    expect(h.db.prepare('SELECT COUNT(*) AS n FROM messages').get()).toEqual({ n: 0 });
    client.close();
  });
});

function conversationRow(harness: Harness, id: string) {
  return harness.db.prepare('SELECT state_json, safety_level, banner, updated_at FROM conversations WHERE id = ?').get(id);
}

function ownerOf(harness: Harness, conversationId: string): string {
  return (harness.db.prepare('SELECT owner_id FROM conversations WHERE id = ?').get(conversationId) as { owner_id: string }).owner_id;
}
