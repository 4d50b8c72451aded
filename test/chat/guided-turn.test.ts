import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChatClient, createHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
beforeEach(async () => { h = await createHarness(); });
afterEach(async () => { await h.close(); });

describe('a full turn in guided mode', () => {
  it('stores her message, streams a reply that cites a step, and keeps both for a reload', async () => {
    const client = await ChatClient.open(h);
    client.send({ type: 'send', clientId: 'm1', text: 'He called me a nag and slammed the door when I asked about his grades.' });
    const ack = await client.waitFor('ack');
    const end = await client.waitFor('reply.end');
    const deltas = client.frames.filter((f) => f.type === 'reply.delta');
    expect(ack.duplicate).toBe(false);
    expect(deltas.length).toBeGreaterThan(2);
    expect(deltas.map((d) => d.text).join('')).toBe(end.text);
    expect(end.status).toBe('complete');
    expect(end.meta.steps.length).toBeGreaterThan(0);

    const read = await h.app.inject({ method: 'GET', url: `/api/conversations/${ack.conversationId}`, headers: { cookie: h.cookie } });
    const { messages } = read.json() as { messages: Array<{ role: string; text: string; status: string }> };
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(messages[0]!.text).toContain('called me a nag');
    expect(messages[1]).toMatchObject({ text: end.text, status: 'complete' });
    client.close();
  });

  it('acknowledges a resend with the same client id without storing it twice', async () => {
    const client = await ChatClient.open(h);
    const first = await client.say('We argued about his phone at dinner.');
    client.send({ type: 'send', clientId: 'again', conversationId: first.conversationId, text: 'Second message' });
    await client.waitFor('reply.end', (f) => f.replyId !== first.replyId);
    const from = client.frames.length;
    client.send({ type: 'send', clientId: 'again', conversationId: first.conversationId, text: 'Second message' });
    const dup = await client.waitFor('ack', (f) => f.clientId === 'again', from);
    expect(dup.duplicate).toBe(true);
    expect(h.store.listMessages(first.conversationId).filter((m) => m.role === 'user')).toHaveLength(2);
    client.close();
  });

  it('answers a bad frame with a typed error and stays usable', async () => {
    const client = await ChatClient.open(h);
    client.send('not json');
    expect((await client.waitFor('error')).code).toBe('bad_frame');
    client.send({ type: 'send', clientId: 'x1', text: '' });
    expect((await client.waitFor('error', (f) => f.message.includes('empty'))).code).toBe('bad_frame');
    client.send({ type: 'send', clientId: 'x2', text: 'a'.repeat(9000) });
    expect((await client.waitFor('error', (f) => f.message.includes('longer'))).code).toBe('bad_frame');
    client.send({ type: 'send', clientId: 'x3', conversationId: 'nope', text: 'hello' });
    expect((await client.waitFor('error', (f) => f.code === 'not_found')).clientId).toBe('x3');
    const end = await client.say('He will not put the phone down.');
    expect(end.status).toBe('complete');
    client.close();
  });
});
