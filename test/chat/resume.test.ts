import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChatClient, createHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
beforeEach(async () => { h = await createHarness({ env: { MEND_GUIDED_DELAY_MS: '15' } }); });
afterEach(async () => { await h.close(); });

describe('a reply is a server-side job', () => {
  it('goes on when the socket drops, and a new socket resumes it without gaps or duplicates', async () => {
    const first = await ChatClient.open(h);
    first.send({ type: 'send', clientId: 'r1', text: 'He shouted at me when I took his phone away at dinner.' });
    const ack = await first.waitFor('ack');
    await first.waitFor('reply.delta');
    first.close(); // wifi blip

    const second = await ChatClient.open(h);
    second.send({ type: 'resume', conversationId: ack.conversationId });
    const start = await second.waitFor('reply.start');
    const end = await second.waitFor('reply.end');
    let text = '';
    for (const f of second.frames) {
      if (f.type === 'reply.delta' && f.replyId === start.replyId) {
        expect(f.offset).toBeLessThanOrEqual(text.length);
        text = text.slice(0, f.offset) + f.text;
      }
    }
    expect(text).toBe(end.text);
    expect(end.status).toBe('complete');
    const stored = h.store.listMessages(ack.conversationId);
    expect(stored.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(stored[1]!.text).toBe(end.text);
    second.close();
  });

  it('a resend of the same message after reconnect is acknowledged once and joins the reply', async () => {
    const first = await ChatClient.open(h);
    first.send({ type: 'send', clientId: 'same', text: 'We argued about curfew again.' });
    const ack = await first.waitFor('ack');
    first.close();
    const second = await ChatClient.open(h);
    second.send({ type: 'send', clientId: 'same', conversationId: ack.conversationId, text: 'We argued about curfew again.' });
    expect((await second.waitFor('ack')).duplicate).toBe(true);
    const end = await second.waitFor('reply.end');
    expect(end.status).toBe('complete');
    expect(h.store.listMessages(ack.conversationId).filter((m) => m.role === 'user')).toHaveLength(1);
    second.close();
  });

  it('refuses a second message while a reply is being written, with a clear busy error', async () => {
    const client = await ChatClient.open(h);
    client.send({ type: 'send', clientId: 'b1', text: 'He lied to me about where he was.' });
    const ack = await client.waitFor('ack');
    client.send({ type: 'send', clientId: 'b2', conversationId: ack.conversationId, text: 'And another thing' });
    const busy = await client.waitFor('error');
    expect(busy).toMatchObject({ code: 'busy', clientId: 'b2' });
    await client.waitFor('reply.end');
    expect(h.store.findByClientId(ack.conversationId, 'b2')).toBeUndefined();
    client.close();
  });

  it('another browser cannot resume, stop or write into her conversation', async () => {
    const client = await ChatClient.open(h);
    const end = await client.say('We keep fighting about his grades.');
    const stranger = await ChatClient.open(h, 'mend_id=' + 'x'.repeat(43));
    stranger.send({ type: 'resume', conversationId: end.conversationId });
    stranger.send({ type: 'send', clientId: 'evil', conversationId: end.conversationId, text: 'hi' });
    await stranger.waitFor('error', (f) => f.clientId === 'evil');
    expect(stranger.frames.every((f) => f.type === 'error' && f.code === 'not_found')).toBe(true);
    expect(h.store.listMessages(end.conversationId)).toHaveLength(2);
    client.close();
    stranger.close();
  });
});
