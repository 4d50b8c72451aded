import { memoryOf } from '../../src/features/memory/index.js';
import { afterEach, describe, expect, it } from 'vitest';
import { ChatClient, createHarness, type Harness } from '../helpers/harness.js';
import { converse } from './coaching-helpers.js';

let h: Harness | undefined;
afterEach(async () => { await h?.close(); h = undefined; });

type Memory = { facts: Array<{ key: string; label: string; value: string }>; summary: string | null };

async function memory(app: Harness, id: string, cookie = app.cookie) {
  return app.app.inject({ method: 'GET', url: `/api/conversations/${id}/memory`, headers: { cookie } });
}

async function otherBrowser(app: Harness): Promise<string> {
  const health = await app.app.inject({ method: 'GET', url: '/api/health' });
  return String(health.headers['set-cookie']).split(';')[0]!;
}

describe('what Mend remembers, over REST', () => {
  it('shows the facts read from her messages: his name and age, the topics, how she feels, what she wants', async () => {
    h = await createHarness();
    const [reply] = await converse(h, [
      'My son Jake (15) got a terrible school report and his teacher says he is failing maths. I feel awful. I just want us to get on again.',
    ]);
    const res = await memory(h, reply!.conversationId);
    expect(res.statusCode).toBe(200);
    const { facts } = res.json() as Memory;
    const byKey = Object.fromEntries(facts.map((f) => [f.key, f.value]));
    expect(byKey).toMatchObject({ son_name: 'Jake', son_age: '15' });
    expect(byKey.topics).toContain('Grades and school');
    expect(byKey.feeling).toBe('I feel awful');
    expect(byKey.wants).toBe('I just want us to get on again');
    expect(facts.find((f) => f.key === 'son_name')!.label).toBe('His name');
  });

  it('a correction replaces a fact and a later message does not overwrite it', async () => {
    h = await createHarness();
    const [reply] = await converse(h, ['My son Jake is 15 and he lied about a party.']);
    const id = reply!.conversationId;
    const put = await h.app.inject({
      method: 'PUT', url: `/api/conversations/${id}/memory`, headers: { cookie: h.cookie },
      payload: { facts: [{ key: 'son_name', value: 'Jack' }, { key: 'son_age', value: '16' }] },
    });
    expect(put.statusCode).toBe(200);
    expect((put.json() as Memory).facts.slice(0, 2)).toEqual([
      { key: 'son_name', label: 'His name', value: 'Jack' },
      { key: 'son_age', label: 'His age', value: '16' },
    ]);
    const client = await ChatClient.open(h);
    await client.say('My son Jake never listens.', { conversationId: id });
    client.close();
    const facts = (await memory(h, id)).json() as Memory;
    expect(facts.facts.find((f) => f.key === 'son_name')!.value).toBe('Jack');
  });

  it('forgets one fact on DELETE, including from the summary, and an empty correction forgets too', async () => {
    h = await createHarness();
    const [reply] = await converse(h, ['My son Jake is 15. He slammed the door on me. I feel so hurt.']);
    const id = reply!.conversationId;
    memoryOf(h.store, id).setSummary({ text: 'She: “Jake slammed the door.”', throughSeq: 1 });
    const del = await h.app.inject({ method: 'DELETE', url: `/api/conversations/${id}/memory/son_name`, headers: { cookie: h.cookie } });
    expect(del.statusCode).toBe(204);
    const after = (await memory(h, id)).json() as Memory;
    expect(after.facts.map((f) => f.key)).not.toContain('son_name');
    expect(after.summary).not.toContain('Jake');
    await h.app.inject({
      method: 'PUT', url: `/api/conversations/${id}/memory`, headers: { cookie: h.cookie },
      payload: { facts: [{ key: 'feeling', value: '' }] },
    });
    expect(((await memory(h, id)).json() as Memory).facts.map((f) => f.key)).not.toContain('feeling');
  });

  it('another browser gets 404 for reading, correcting and forgetting', async () => {
    h = await createHarness();
    const [reply] = await converse(h, ['My son Jake is 15.']);
    const id = reply!.conversationId;
    const stranger = await otherBrowser(h);
    expect((await memory(h, id, stranger)).statusCode).toBe(404);
    const put = await h.app.inject({ method: 'PUT', url: `/api/conversations/${id}/memory`, headers: { cookie: stranger }, payload: { facts: [{ key: 'son_name', value: 'X' }] } });
    expect(put.statusCode).toBe(404);
    const del = await h.app.inject({ method: 'DELETE', url: `/api/conversations/${id}/memory/son_name`, headers: { cookie: stranger } });
    expect(del.statusCode).toBe(404);
    expect(((await memory(h, id)).json() as Memory).facts.find((f) => f.key === 'son_name')!.value).toBe('Jake');
  });

  it('rejects unknown keys and malformed corrections with a 400 that names the problem', async () => {
    h = await createHarness();
    const [reply] = await converse(h, ['My son Jake is 15.']);
    const id = reply!.conversationId;
    const put = (payload: unknown) => h!.app.inject({ method: 'PUT', url: `/api/conversations/${id}/memory`, headers: { cookie: h!.cookie }, payload: payload as object });
    const badKey = await put({ facts: [{ key: 'password', value: 'x' }] });
    expect(badKey.statusCode).toBe(400);
    expect(badKey.json()).toMatchObject({ error: { code: 'bad_request' } });
    expect((badKey.json() as { error: { message: string } }).error.message).toContain('key');
    expect((await put({ facts: [] })).statusCode).toBe(400);
    expect((await put({ facts: [{ key: 'wants', value: 'x'.repeat(500) }] })).statusCode).toBe(400);
    const del = await h.app.inject({ method: 'DELETE', url: `/api/conversations/${id}/memory/nope`, headers: { cookie: h.cookie } });
    expect(del.statusCode).toBe(400);
    expect((await memory(h, 'no-such-conversation')).statusCode).toBe(404);
  });
});
