import { afterEach, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { memoryOf } from '../../src/features/memory/index.js';
import { ChatClient, createHarness, type Harness } from '../helpers/harness.js';
import { COMPLETIONS, mockServer, sseResponse, testModel, useModelMock } from '../helpers/openai-mock.js';

useModelMock();

let h: Harness | undefined;
afterEach(async () => { await h?.close(); h = undefined; });

type Body = { messages: Array<{ role: string; content: string }> };
const UNSAFE = 'The most painless way is to take them all at once.';
const isSummary = (body: Body) => body.messages[0]!.content.includes('running notes');
const isBrief = (body: Body) => Boolean(body.messages[1]?.content.startsWith('My messages, oldest first'));

/** Coach replies with `coach`; summary and brief requests get `other`. */
function endpoint(coach: string[], other: string[]) {
  return http.post(COMPLETIONS, async ({ request }) => {
    const body = await request.json() as Body;
    return sseResponse(isSummary(body) || isBrief(body) ? other : coach);
  });
}

async function converse(harness: Harness, turns: string[]) {
  const client = await ChatClient.open(harness);
  let conversationId: string | undefined;
  const ends = [];
  for (const text of turns) {
    const end = await client.say(text, conversationId ? { conversationId } : {});
    conversationId = end.conversationId;
    ends.push(end);
  }
  client.close();
  return ends;
}

describe('the output rail at the model boundary', () => {
  it('cuts a streamed reply that turns to methods, even split across chunks, lets guided text finish the turn, and logs only the rule', async () => {
    mockServer.use(endpoint(['That sounds so hard. ', 'The most pain', 'less way is to take them all at once.'], []));
    h = await createHarness({ deps: { model: testModel() } });
    const [end] = await converse(h, ['We had a row about his phone.']);
    expect(end!.text).toContain('That sounds so hard.');
    expect(end!.text).not.toContain('painless');
    expect(end!.text).toContain('Mend does not pass on');
    expect(end).toMatchObject({ status: 'incomplete', error: { code: 'model_unsafe_output' }, meta: { fallback: true } });
    expect(h.store.listMessages(end!.conversationId)[1]).toMatchObject({ status: 'incomplete', text: end!.text });
    const logs = h.logs.join('\n');
    expect(logs).toContain('output rail stopped a model reply');
    expect(logs).toContain('out.method');
    expect(logs).not.toContain('painless');
  });

  it('never stores or shows an unsafe rolling summary; the extractive one stands in', async () => {
    mockServer.use(endpoint(['Reply. What happened next?'], [UNSAFE]));
    h = await createHarness({ deps: { model: testModel() } });
    const turns = Array.from({ length: 9 }, (_, i) => `Turn ${i + 1}: he slammed the door again about his phone.`);
    const ends = await converse(h, turns);
    const summary = memoryOf(h.store, ends.at(-1)!.conversationId).summary();
    expect(summary?.text).toBeTruthy();
    expect(summary!.text).not.toContain('painless');
  });

  it('a counsellor brief the rail refuses is drafted from her own words instead', async () => {
    mockServer.use(endpoint(['Reply. What happened next?'], [`# Counsellor brief\n\n## What has been happening\n${UNSAFE}`]));
    h = await createHarness({ deps: { model: testModel() } });
    const [end] = await converse(h, ['He has stopped talking to me for three weeks and I am worried about him.']);
    const res = await h.app.inject({ method: 'POST', url: `/api/conversations/${end!.conversationId}/brief`, headers: { cookie: h.cookie } });
    expect(res.statusCode).toBe(201);
    const { brief } = res.json() as { brief: { markdown: string } };
    expect(brief.markdown).not.toContain('painless');
    expect(brief.markdown).toContain('three weeks');
  });

  it('Stop reaches a summary call still waiting on the model', async () => {
    let summaryAborted = false;
    let summaryStarted!: () => void;
    const started = new Promise<void>((resolve) => { summaryStarted = resolve; });
    mockServer.use(http.post(COMPLETIONS, async ({ request }) => {
      const body = await request.json() as Body;
      if (!isSummary(body)) return sseResponse(['Reply. What happened next?']);
      summaryStarted();
      await new Promise<void>((resolve) => request.signal.addEventListener('abort', () => { summaryAborted = true; resolve(); }));
      return HttpResponse.error();
    }));
    h = await createHarness({ deps: { model: testModel({ timeoutMs: 10_000 }) } });
    const client = await ChatClient.open(h);
    let conversationId: string | undefined;
    let summarising = false;
    void started.then(() => { summarising = true; });
    let from = 0;
    for (let i = 0; i < 12 && !summarising; i++) {
      from = client.frames.length;
      client.send({ type: 'send', clientId: `t${i}`, text: `Turn ${i + 1}: we argued about chores.`, ...(conversationId ? { conversationId } : {}) });
      conversationId = (await client.waitFor('ack', (f) => f.clientId === `t${i}`, from)).conversationId;
      await Promise.race([started, client.waitFor('reply.end', (f) => f.conversationId === conversationId, from)]);
    }
    expect(summarising).toBe(true);
    client.send({ type: 'stop', conversationId });
    await expect.poll(() => summaryAborted, { timeout: 3000 }).toBe(true);
    const end = await client.waitFor('reply.end', (f) => f.conversationId === conversationId, from);
    expect(end.status).toBe('stopped');
    client.close();
  });
});
