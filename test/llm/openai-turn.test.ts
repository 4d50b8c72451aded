import { afterEach, describe, expect, it } from 'vitest';
import { ChatClient, createHarness, type Harness } from '../helpers/harness.js';
import { failingReply, mockServer, slowReply, sseResponse, streamingReply, testModel, COMPLETIONS, useModelMock } from '../helpers/openai-mock.js';
import { http } from 'msw';

useModelMock();

let h: Harness | undefined;
afterEach(async () => { await h?.close(); h = undefined; });

async function openaiApp() {
  h = await createHarness({ deps: { model: testModel() } });
  return h;
}

describe('a turn with an OpenAI-compatible model', () => {
  it('streams the model reply to her and stores it, sending the coach prompt and her words', async () => {
    const bodies: unknown[] = [];
    mockServer.use(streamingReply(['It sounds ', 'like a hard evening. ', 'What did he say next?'], bodies));
    const app = await openaiApp();
    const client = await ChatClient.open(app);
    const end = await client.say('He slammed the door when I asked about his grades.');
    expect(end).toMatchObject({ status: 'complete', text: 'It sounds like a hard evening. What did he say next?' });
    const start = client.frames.find((f) => f.type === 'reply.start');
    expect(start).toMatchObject({ provider: 'openai', model: 'test-model' });
    const body = bodies[0] as { model: string; stream: boolean; messages: Array<{ role: string; content: string }> };
    expect(body).toMatchObject({ model: 'test-model', stream: true });
    expect(body.messages[0]!.role).toBe('system');
    expect(body.messages[0]!.content).toContain('Mend');
    expect(body.messages.at(-1)).toEqual({ role: 'user', content: 'He slammed the door when I asked about his grades.' });
    expect(app.store.listMessages(end.conversationId).map((m) => m.status)).toEqual(['complete', 'complete']);
    client.close();
  });

  it.each([
    [401, 'model_auth'],
    [429, 'model_rate_limited'],
    [500, 'model_unavailable'],
  ])('a %i from the model becomes a typed %s error, guided mode answers, and the socket stays usable', async (status, code) => {
    mockServer.use(failingReply(status));
    const app = await openaiApp();
    const client = await ChatClient.open(app);
    const end = await client.say('We had a fight about chores.');
    expect(end.error?.code).toBe(code);
    expect(end.meta.fallback).toBe(true);
    expect(end.text.length).toBeGreaterThan(40);
    mockServer.use(streamingReply(['Back again. ']));
    const next = await client.say('Are you there?', { conversationId: end.conversationId });
    expect(next).toMatchObject({ status: 'complete', text: 'Back again. ' });
    const roles = app.store.listMessages(end.conversationId).map((m) => m.role);
    expect(roles).toEqual(['user', 'assistant', 'user', 'assistant']);
    client.close();
  });

  it('a stream cut mid-way keeps the partial reply, marks it incomplete, says why, and guided mode finishes the turn', async () => {
    mockServer.use(http.post(COMPLETIONS, () => sseResponse(['First part of the reply. ', 'Second part, '], { cut: true })));
    const app = await openaiApp();
    const client = await ChatClient.open(app);
    const end = await client.say('He lied about the party.');
    expect(end.status).toBe('incomplete');
    expect(end.error?.code).toBe('model_stream_cut');
    expect(end.meta.fallback).toBe(true);
    expect(end.text).toContain('First part of the reply.');
    expect(end.text).toContain("Mend's guided coach takes over from here");
    expect(end.text.length).toBeGreaterThan(end.text.indexOf('takes over from here') + 80);
    const stored = app.store.listMessages(end.conversationId);
    expect(stored[0]!.text).toBe('He lied about the party.');
    expect(stored[1]).toMatchObject({ status: 'incomplete', text: end.text });
    client.close();
  });

  it('a slow upstream hits the timeout and she hears about it within it', async () => {
    mockServer.use(slowReply(5000));
    const app = await openaiApp();
    const client = await ChatClient.open(app);
    const started = Date.now();
    const end = await client.say('He has not spoken to me all day.');
    expect(Date.now() - started).toBeLessThan(3000);
    expect(end.error?.code).toBe('model_timeout');
    expect(end.meta.fallback).toBe(true);
    client.close();
  });

  it('Stop aborts the model call and keeps what was said so far', async () => {
    mockServer.use(http.post(COMPLETIONS, () => sseResponse(Array.from({ length: 200 }, (_, i) => `word${i}. `), { gapMs: 10 })));
    const app = await openaiApp();
    const client = await ChatClient.open(app);
    client.send({ type: 'send', clientId: 's1', text: 'Tell me everything.' });
    const ack = await client.waitFor('ack');
    await client.waitFor('reply.delta');
    client.send({ type: 'stop', conversationId: ack.conversationId });
    const end = await client.waitFor('reply.end');
    expect(end.status).toBe('stopped');
    expect(end.text.length).toBeGreaterThan(0);
    expect(end.text).not.toContain('word199');
    expect(app.store.listMessages(ack.conversationId)[1]).toMatchObject({ status: 'stopped', text: end.text });
    client.close();
  });
});
