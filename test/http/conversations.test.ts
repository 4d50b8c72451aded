import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChatClient, createHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
beforeEach(async () => { h = await createHarness(); });
afterEach(async () => { await h.close(); });

const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown, cookie = h.cookie) =>
  h.app.inject({ method, url, headers: { cookie }, ...(body === undefined ? {} : { payload: body as object }) });

describe('conversations over REST', () => {
  it('creates, lists most recent first, renames and deletes', async () => {
    const a = (await call('POST', '/api/conversations', { title: 'Grades' })).json().conversation;
    h.clock.advance(1000);
    const b = (await call('POST', '/api/conversations', {})).json().conversation;
    expect(b.title).toBe('New conversation');
    expect((await call('GET', '/api/conversations')).json().conversations.map((c: { id: string }) => c.id)).toEqual([b.id, a.id]);
    const renamed = await call('PATCH', `/api/conversations/${a.id}`, { title: 'Report card' });
    expect(renamed.json().conversation.title).toBe('Report card');
    expect((await call('DELETE', `/api/conversations/${a.id}`)).statusCode).toBe(204);
    expect((await call('GET', `/api/conversations/${a.id}`)).statusCode).toBe(404);
  });

  it('searches her conversations by their words (hers and Mend’s) and titles, never another browser’s', async () => {
    const client = await ChatClient.open(h);
    const phone = await client.say('Every talk about his trampoline turns into a fight.');
    h.clock.advance(1000);
    const curfew = await client.say('He came home two hours after his curfew, smelling of marzipan.');
    const other = String((await h.app.inject({ method: 'GET', url: '/api/health' })).headers['set-cookie']).split(';')[0]!;
    const search = async (q: string, cookie = h.cookie) => (await h.app.inject({ method: 'GET', url: `/api/conversations?q=${encodeURIComponent(q)}`, headers: { cookie } }))
      .json().conversations.map((c: { id: string }) => c.id);
    expect(await search('TRAMPOLINE')).toEqual([phone.conversationId]);
    expect(await search('marzipan')).toEqual([curfew.conversationId]);
    expect(await search('Coaching')).toEqual([curfew.conversationId, phone.conversationId]);
    expect(await search('100%_')).toEqual([]);
    expect(await search('trampoline', other)).toEqual([]);
    client.close();
  });

  it('reads one conversation with its messages in order', async () => {
    const client = await ChatClient.open(h);
    const end = await client.say('He called me a nag.');
    const res = await call('GET', `/api/conversations/${end.conversationId}`);
    const body = res.json();
    // A neutral title: her words never show in the list of a shared computer.
    expect(body.conversation.title).toBe('Coaching');
    expect(JSON.stringify(body.conversation)).not.toContain('nag');
    expect(body.messages.map((m: { seq: number }) => m.seq)).toEqual([1, 2]);
    expect(body.activeReplyId).toBeNull();
    client.close();
  });

  it.each([
    ['PATCH', { title: '' }, 'title: title is empty'],
    ['PATCH', { title: 'x'.repeat(200) }, 'title: Too big'],
    ['PATCH', { name: 'x' }, ''],
    ['POST', { mode: 'party' }, 'mode'],
  ])('%s with a bad body %o gets a clear 400', async (method, body, message) => {
    const c = (await call('POST', '/api/conversations', {})).json().conversation;
    const url = method === 'POST' ? '/api/conversations' : `/api/conversations/${c.id}`;
    const res = await call(method as 'POST', url, body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('bad_request');
    expect(res.json().error.message).toContain(message.split(':')[0]);
  });

  it('never shows one browser another browser\'s conversations', async () => {
    const mine = (await call('POST', '/api/conversations', { title: 'Private' })).json().conversation;
    const other = String((await h.app.inject({ method: 'GET', url: '/api/health' })).headers['set-cookie']).split(';')[0]!;
    expect(other).not.toBe(h.cookie);
    expect((await call('GET', '/api/conversations', undefined, other)).json().conversations).toEqual([]);
    expect((await call('GET', `/api/conversations/${mine.id}`, undefined, other)).statusCode).toBe(404);
    expect((await call('PATCH', `/api/conversations/${mine.id}`, { title: 'x' }, other)).statusCode).toBe(404);
    expect((await call('DELETE', `/api/conversations/${mine.id}`, undefined, other)).statusCode).toBe(404);
    expect((await call('GET', `/api/conversations/${mine.id}`)).json().conversation.title).toBe('Private');
  });

  it('sets an httpOnly, SameSite=Strict identity cookie', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/health' });
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/mend_id=[A-Za-z0-9_-]{43}/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
  });

  it('health says which mode and model are running', async () => {
    expect((await call('GET', '/api/health')).json()).toMatchObject({ status: 'ok', provider: 'guided', model: 'guided', region: 'US' });
  });
});

describe('logs', () => {
  it('never contain the text of her messages or of replies', async () => {
    const secret = 'Zebediah punched the wardrobe';
    const client = await ChatClient.open(h);
    const end = await client.say(`${secret} after our argument.`);
    await call('PATCH', `/api/conversations/${end.conversationId}`, { title: 'Wardrobe talk' });
    client.send({ type: 'send', clientId: 'bad', conversationId: 'missing', text: secret });
    await client.waitFor('error');
    const logs = h.logs.join('\n');
    expect(h.logs.length).toBeGreaterThan(3);
    expect(logs).toContain('reqId');
    expect(logs).not.toContain('Zebediah');
    expect(logs).not.toContain(end.text.slice(0, 40));
    client.close();
  });
});
