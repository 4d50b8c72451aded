import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PseudonymisingModel } from '../../src/llm/pseudonymising-model.js';
import { ChatClient, createHarness, type Harness } from '../helpers/harness.js';
import { mockServer, streamingReply, testModel, useModelMock } from '../helpers/openai-mock.js';

useModelMock();
let h: Harness;
beforeEach(async () => { h = await createHarness({ deps: { model: new PseudonymisingModel(testModel()) } }); });
afterEach(async () => { await h.close(); });

interface Body { messages: Array<{ role: string; content: string }> }

describe('progress with a model', () => {
  it('the check-in and the small-wins note are written by the model from her plan and wins, with names masked', async () => {
    const bodies: Body[] = [];
    mockServer.use(streamingReply(['Thank you for telling me.'], bodies));
    const client = await ChatClient.open(h);
    const first = await client.say('My son Jake is 15 and we argued about his phone. I want to talk to Jake tomorrow in the car.');
    await h.app.inject({ method: 'POST', url: '/api/progress/wins', headers: { cookie: h.cookie }, payload: { text: 'Jake laughed at my joke' } });
    // The model's reply has no quoted line: the plan is saved all the same, with its time and place.
    const saved = await h.app.inject({ method: 'POST', url: '/api/progress/plans', headers: { cookie: h.cookie }, payload: { conversationId: first.conversationId } });
    expect(saved.statusCode).toBe(201);
    const plan = saved.json<{ plan: { id: string; where: string } }>().plan;
    expect(plan.where).toBe('In the car');

    bodies.length = 0;
    const reply = await client.say('It went badly.', { options: { checkin: { planId: plan.id, outcome: 'badly' } } });
    expect(reply.status).toBe('complete');
    expect(reply.text).toBe('Thank you for telling me.');
    expect(reply.meta.quickReplies?.[0]?.mode).toBe('rehearse');
    const system = bodies[0]!.messages[0]!.content;
    expect(system).toContain('it went badly');
    expect(system).toContain('What happened when it started to go wrong?');

    bodies.length = 0;
    const note = client.frames.length;
    client.send({ type: 'send', clientId: 'sad1', conversationId: reply.conversationId, text: 'Nothing works with him. What is the point?' });
    await client.waitFor('reply.end', (f) => f.conversationId === reply.conversationId, note);
    await client.waitFor('reply.end', (f) => f.conversationId === reply.conversationId && client.frames.filter((x) => x.type === 'reply.end').length >= 2, note);
    await expect.poll(() => bodies.some((b) => b.messages[0]!.content.includes('good moments'))).toBe(true);
    const winsBody = bodies.find((b) => b.messages[0]!.content.includes('good moments'))!;
    const sent = JSON.stringify(winsBody);
    expect(sent).toContain('laughed at my joke');
    expect(sent).not.toContain('Jake'); // pseudonymised before it left
    client.close();
  });
});
