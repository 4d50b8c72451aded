import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { purgeExpired } from '../../src/store/retention.js';
import { ChatClient, createHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
beforeEach(async () => { h = await createHarness(); });
afterEach(async () => { await h.close(); });

const HOUR = 60 * 60 * 1000;
const STORY = 'My son Jake is 15. We had a huge row about his phone and he slammed the door. I want to talk to him tomorrow in the car.';

async function api<T = Record<string, unknown>>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, cookie = h.cookie): Promise<{ status: number; body: T }> {
  const res = await h.app.inject({ method, url, headers: { cookie }, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
  return { status: res.statusCode, body: (res.body ? res.json() : undefined) as T };
}

interface PlanView { id: string; script: string; when: number; where: string; age?: number; outcome?: string; worked?: string; remind: boolean }
interface Overview { plans: PlanView[]; wins: Array<{ id: string; text: string }>; due: PlanView | null; checkIn: { replies: Array<{ outcome: string; label: string; text: string }> } }

async function coachingConversation(client: ChatClient): Promise<string> {
  const end = await client.say(STORY);
  await client.say('I think I want to say sorry for shouting and listen to him.', { conversationId: end.conversationId });
  return end.conversationId;
}

describe('plan → check-in → what worked', () => {
  it('saves a plan in one tap, asks how it went after its time, coaches from the answer and keeps what worked', async () => {
    const client = await ChatClient.open(h);
    const conversationId = await coachingConversation(client);

    const saved = await api<{ plan: PlanView }>('POST', '/api/progress/plans', { conversationId, utcOffsetMinutes: 0 });
    expect(saved.status).toBe(201);
    const plan = saved.body.plan;
    expect(plan.script.length).toBeGreaterThan(10); // the line Mend offered her to say
    expect(plan.where).toBe('In the car');
    expect(plan.age).toBe(15);
    // "tomorrow" in her words: the next day, in the evening (the harness clock is 25 Nov, 09:00 UTC).
    expect(new Date(plan.when).toISOString()).toBe('2026-11-26T18:00:00.000Z');

    let overview = (await api<Overview>('GET', '/api/progress')).body;
    expect(overview.plans.map((p) => p.id)).toEqual([plan.id]);
    expect(overview.due).toBeNull(); // not yet: the talk is tomorrow
    expect(overview.checkIn.replies.map((r) => r.label)).toEqual(['Better than expected', 'About the same', 'It went badly', 'I didn’t get to it']);

    h.clock.advance(40 * HOUR);
    overview = (await api<Overview>('GET', '/api/progress')).body;
    expect(overview.due?.id).toBe(plan.id);

    const better = overview.checkIn.replies.find((r) => r.outcome === 'better')!;
    const reply = await client.say(better.text, { options: { checkin: { planId: plan.id, outcome: 'better' } } });
    expect(reply.status, JSON.stringify(reply.error)).toBe('complete');
    expect(reply.text).toContain('What do you think made the difference');
    overview = (await api<Overview>('GET', '/api/progress')).body;
    expect(overview.due).toBeNull();
    expect(overview.plans[0]!.outcome).toBe('better');

    const from = client.frames.length;
    client.send({ type: 'send', clientId: 'worked1', conversationId: reply.conversationId, text: 'I waited until we were both calm and I listened first.' });
    const kept = await client.waitFor('reply.end', (f) => f.conversationId === reply.conversationId, from);
    expect(kept.text).toContain('kept that with your plan');
    overview = (await api<Overview>('GET', '/api/progress')).body;
    expect(overview.plans[0]!.worked).toBe('I waited until we were both calm and I listened first.');
    client.close();
  });

  it('a plan she didn’t get to is asked about again after she picks a new time', async () => {
    const client = await ChatClient.open(h);
    const conversationId = await coachingConversation(client);
    const { plan } = (await api<{ plan: PlanView }>('POST', '/api/progress/plans', { conversationId })).body;
    h.clock.advance(40 * HOUR);
    const reply = await client.say('I didn’t get to it.', { options: { checkin: { planId: plan.id, outcome: 'not-yet' } } });
    expect(reply.meta.quickReplies?.map((q) => q.mode)).toEqual(['rehearse']);
    expect(reply.meta.quickReplies?.[0]?.text).toMatch(/^I want to say to him: “.+”$/); // the same talk, practised again
    expect((await api<Overview>('GET', '/api/progress')).body.due).toBeNull();
    const changed = await api<{ plan: PlanView }>('PATCH', `/api/progress/plans/${plan.id}`, { when: h.clock.now() + HOUR });
    expect(changed.body.plan.outcome).toBeUndefined();
    h.clock.advance(2 * HOUR);
    expect((await api<Overview>('GET', '/api/progress')).body.due?.id).toBe(plan.id);
    client.close();
  });

  it('brings up her small wins once when she sounds discouraged', async () => {
    const win = await api<{ win: { id: string } }>('POST', '/api/progress/wins', { text: 'He laughed at my joke at dinner' });
    expect(win.status).toBe(201);
    const client = await ChatClient.open(h);
    const first = await client.say('We argued again about his homework. Nothing works, I feel like giving up.');
    const note = await client.waitFor('reply.end', (f) => f.conversationId === first.conversationId && f.replyId !== first.replyId);
    expect(note.text).toContain('He laughed at my joke at dinner');
    const again = await client.say('Honestly it feels hopeless.', { conversationId: first.conversationId });
    expect(again.text).not.toContain('He laughed at my joke');
    client.close();
  });
});

describe('progress is hers', () => {
  it('is never saved from a private conversation, and a check-in sent there records nothing', async () => {
    const client = await ChatClient.open(h);
    const end = await client.say(STORY, { private: true });
    const refused = await api<{ error: { code: string; message: string } }>('POST', '/api/progress/plans', { conversationId: end.conversationId });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain('isn’t being kept');

    const kept = await coachingConversation(client);
    const { plan } = (await api<{ plan: PlanView }>('POST', '/api/progress/plans', { conversationId: kept })).body;
    await client.say('It went badly.', { private: true, options: { checkin: { planId: plan.id, outcome: 'badly' } } });
    expect((await api<Overview>('GET', '/api/progress')).body.plans[0]!.outcome).toBeUndefined();

    // Her small wins are not brought into a private conversation either.
    await api('POST', '/api/progress/wins', { text: 'He laughed at my joke at dinner' });
    const sad = await client.say('Nothing works, I feel like giving up.', { private: true });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const replies = client.frames.filter((f) => f.type === 'reply.start' && f.conversationId === sad.conversationId);
    expect(replies).toHaveLength(1);
    expect(JSON.stringify(client.frames)).not.toContain('laughed at my joke');
    client.close();
  });

  it('another browser sees none of it, and cannot change it', async () => {
    const client = await ChatClient.open(h);
    const conversationId = await coachingConversation(client);
    const { plan } = (await api<{ plan: PlanView }>('POST', '/api/progress/plans', { conversationId })).body;
    await api('POST', '/api/progress/wins', { text: 'He hugged me' });
    const other = String((await h.app.inject({ method: 'GET', url: '/api/health' })).headers['set-cookie']).split(';')[0]!;
    const theirs = (await api<Overview>('GET', '/api/progress', undefined, other)).body;
    expect(theirs.plans).toEqual([]);
    expect(theirs.wins).toEqual([]);
    expect((await api('PATCH', `/api/progress/plans/${plan.id}`, { remind: true }, other)).status).toBe(404);
    expect((await api('POST', '/api/progress/plans', { conversationId }, other)).status).toBe(404);
    client.close();
  });

  it('is in the export (JSON and Markdown) and gone after "delete everything"', async () => {
    const client = await ChatClient.open(h);
    const conversationId = await coachingConversation(client);
    await api('POST', '/api/progress/plans', { conversationId });
    await api('POST', '/api/progress/wins', { text: 'He made me a cup of tea' });
    const json = (await api<{ progress: { plans: PlanView[]; wins: Array<{ text: string }> } }>('GET', '/api/export?format=json')).body;
    expect(json.progress.plans).toHaveLength(1);
    expect(json.progress.wins.map((w) => w.text)).toEqual(['He made me a cup of tea']);
    const md = await h.app.inject({ method: 'GET', url: '/api/export?format=markdown', headers: { cookie: h.cookie } });
    expect(md.body).toContain('## Your plans');
    expect(md.body).toContain('## Your small wins');
    expect(md.body).toContain('He made me a cup of tea');

    expect((await api('DELETE', '/api/conversations')).status).toBe(204);
    const after = (await api<Overview>('GET', '/api/progress')).body;
    expect(after.plans).toEqual([]);
    expect(after.wins).toEqual([]);
    expect((await api<{ weeks: unknown[] }>('GET', '/api/progress/trend')).body.weeks).toEqual([]);
    expect(h.db.prepare('SELECT COUNT(*) AS n FROM owner_state').get()).toEqual({ n: 0 });
    client.close();
  });

  it('follows the retention limit: progress she has not changed for that long is deleted', async () => {
    await api('POST', '/api/progress/wins', { text: 'He said thanks for dinner' });
    h.clock.advance(31 * 24 * HOUR);
    purgeExpired(h.db, h.clock, 30);
    expect((await api<Overview>('GET', '/api/progress')).body.wins).toEqual([]);
  });

  it('bad input gets a clear error naming the field and changes nothing', async () => {
    const cases: Array<[string, 'POST' | 'PATCH', unknown, string]> = [
      ['/api/progress/wins', 'POST', { text: '' }, 'text is empty'],
      ['/api/progress/wins', 'POST', { text: 'x'.repeat(161) }, 'a few words'],
      ['/api/progress/plans', 'POST', { conversationId: 'nope' }, 'does not exist'],
      ['/api/progress/plans', 'POST', { conversationId: 'a', utcOffsetMinutes: 99999 }, 'utcOffsetMinutes'],
      ['/api/progress/plans/missing', 'PATCH', { remind: true }, 'plan does not exist'],
      ['/api/progress/plans/missing', 'PATCH', {}, 'nothing to change'],
    ];
    for (const [url, method, payload, message] of cases) {
      const res = await api<{ error: { code: string; message: string } }>(method, url, payload);
      expect(res.status, url).toBeGreaterThanOrEqual(400);
      expect(res.body.error.message, url).toContain(message);
    }
    expect((await api<Overview>('GET', '/api/progress')).body.wins).toEqual([]);
  });
});

describe('the trend', () => {
  it('counts her check-ins and how calm her kept conversations were, week by week', async () => {
    const client = await ChatClient.open(h);
    const conversationId = await coachingConversation(client);
    const { plan } = (await api<{ plan: PlanView }>('POST', '/api/progress/plans', { conversationId })).body;
    h.clock.advance(8 * 24 * HOUR);
    await client.say('It went about the same as usual.', { options: { checkin: { planId: plan.id, outcome: 'same' } } });
    await client.say('Just testing', { private: true }); // private: not in the trend
    const weeks = (await api<{ weeks: Array<{ checkIns: Record<string, number>; checkInScore: number | null; conversations: number; calmScore: number | null; highest: string | null }> }>('GET', '/api/progress/trend')).body.weeks;
    expect(weeks).toHaveLength(2);
    expect(weeks[0]).toMatchObject({ conversations: 1, checkInScore: null });
    expect(weeks[1]).toMatchObject({ conversations: 1, checkInScore: 2, checkIns: { same: 1, better: 0, badly: 0, 'not-yet': 0 } });
    expect(weeks[0]!.highest).not.toBeNull();
    client.close();
  });
});
