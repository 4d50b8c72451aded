import { afterEach, describe, expect, it } from 'vitest';
import { ChatClient, createHarness, type Harness } from '../helpers/harness.js';
import type { ServerFrame } from '../../src/protocol/frames.js';

let h: Harness | undefined;
afterEach(async () => { await h?.close(); h = undefined; });

type SafetyFrame = Extract<ServerFrame, { type: 'safety' }>;

async function newConversation(harness: Harness, text: string) {
  const client = await ChatClient.open(harness);
  const end = await client.say(text, { region: 'US' });
  const safety = client.frames.find((f): f is SafetyFrame => f.type === 'safety');
  client.close();
  return { end, safety };
}

describe('safety in the chat, across conversations', () => {
  it('means found with a note is crisis for him: 988, the banner, and the reply first asks whether he is safe', async () => {
    h = await createHarness();
    const { end, safety } = await newConversation(h, 'I found pills hidden in his room and a note saying sorry');
    expect(safety).toMatchObject({ level: 'crisis', banner: true });
    expect(safety!.atRisk[0]).toBe('son-self-harm');
    expect(end.text.trimStart().startsWith('**Is he safe right now?**')).toBe(true);
    expect(end.text).toContain('988');
  });

  it('a goodbye text from him is crisis for him, whatever the learned heads guess about who', async () => {
    h = await createHarness();
    const { end, safety } = await newConversation(h, "my son just texted me 'tell dad i love him. im done.' and won't pick up");
    expect(safety!.atRisk[0]).toBe('son-self-harm');
    expect(end.text.trimStart().startsWith('**Is he safe right now?**')).toBe(true);
  });

  it('a crisis carries into her next conversation with a gentle note she can dismiss', async () => {
    h = await createHarness();
    const first = await newConversation(h, 'He said he wants to kill himself and he has been giving his things away.');
    expect(first.safety!.level).toBe('crisis');
    const second = await newConversation(h, 'Can we talk about his homework?');
    expect(second.safety).toMatchObject({ level: 'crisis', banner: true, carriedFrom: first.end.conversationId });
    expect(second.safety!.notice).toMatch(/earlier conversation/);
    expect(second.end.text).toMatch(/is everyone safe right now/i);

    const dismiss = await h.app.inject({ method: 'POST', url: `/api/conversations/${first.end.conversationId}/safety/dismiss-carried`, headers: { cookie: h.cookie } });
    expect(dismiss.statusCode).toBe(204);
    const third = await newConversation(h, 'Can we talk about his homework?');
    expect(third.safety).toBeUndefined();
  });

  it('another browser cannot dismiss her note', async () => {
    h = await createHarness();
    const first = await newConversation(h, 'He said he wants to kill himself.');
    const stranger = String((await h.app.inject({ method: 'GET', url: '/api/health' })).headers['set-cookie']).split(';')[0]!;
    const res = await h.app.inject({ method: 'POST', url: `/api/conversations/${first.end.conversationId}/safety/dismiss-carried`, headers: { cookie: stranger } });
    expect(res.statusCode).toBe(404);
  });

  it('a partner hurting him gets the child-abuse line, not only the crisis line', async () => {
    h = await createHarness();
    const { safety } = await newConversation(h, 'my boyfriend hit my son with a belt last night and left marks on his back');
    expect(safety!.level === 'high' || safety!.level === 'crisis').toBe(true);
    expect(safety!.atRisk).toContain('son-abused');
    expect(safety!.resources.some((r) => r.purpose.includes('child-abuse'))).toBe(true);
  });
});
