import { memoryOf as storedMemory } from '../../src/features/memory/index.js';
import { afterEach, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { ChatClient, createHarness, type Harness } from '../helpers/harness.js';
import { COMPLETIONS, mockServer, sseResponse, testModel, useModelMock } from '../helpers/openai-mock.js';
import { loadKnowledgeDocuments } from '../../src/knowledge/knowledge-base.js';
import { estimateTokens, RECENT_MESSAGES } from '../../src/features/memory/rolling-summary.js';
import { fakeSafety } from './coaching-helpers.js';

useModelMock();

let h: Harness | undefined;
afterEach(async () => { await h?.close(); h = undefined; });

type Body = { messages: Array<{ role: string; content: string }>; max_tokens?: number };
const MODEL_SUMMARY = 'Her son Jake (15) called her a nag over grades and slammed the door; she feels like a failure.';

/** Answers summary requests with a fixed summary and coach requests with a short reply; records both. */
function recordingModel(coach: Body[], summaries: Body[], options: { failSummary?: boolean; summary?: string } = {}) {
  return http.post(COMPLETIONS, async ({ request }) => {
    const body = await request.json() as Body;
    if (body.messages[0]!.content.includes('running notes')) {
      summaries.push(body);
      if (options.failSummary) return HttpResponse.json({ error: { message: 'no' } }, { status: 500 });
      return sseResponse([options.summary ?? MODEL_SUMMARY]);
    }
    coach.push(body);
    return sseResponse([`Reply ${coach.length}. `, 'What happened next?']);
  });
}

const promptTokens = (body: Body) => body.messages.reduce((n, m) => n + estimateTokens(m.content), 0);
/** The user-role message carrying what Mend remembers (summary and facts). */
const memoryOf = (body: Body) => body.messages.find((m) => m.role === 'user' && m.content.startsWith('(Mend\'s notes'))?.content ?? '';

const TURNS = [
  'He called me a nag and slammed the door when I asked about his grades.',
  'His name is Jake, he is 15. Honestly I feel like a failure.',
  'I just want us to be able to talk without fighting.',
  'I have tried taking his phone away but it made things worse.',
  'I could try talking to him in the car tomorrow.',
  'What if he just puts his earphones in?',
  'I tried it in the car. He said school is pointless.',
  'Then he asked if we could get chips, which surprised me.',
  'Today he was short with me again at breakfast.',
  'I kept my voice down this time and he actually apologised later.',
  'Should I bring up the grades again this week?',
  'He has a maths test on Friday and I am worried.',
];

async function run(app: Harness, messages: string[]) {
  const client = await ChatClient.open(app);
  const ends: Array<Awaited<ReturnType<ChatClient['say']>>> = [];
  for (const text of messages) {
    const conversationId = ends.at(-1)?.conversationId;
    ends.push(await client.say(text, conversationId ? { conversationId } : {}));
  }
  client.close();
  return ends;
}

describe('coaching with an OpenAI-compatible model', () => {
  it('sends the coach system prompt, the knowledge it retrieved, the suggested step and her message', async () => {
    const coach: Body[] = [];
    mockServer.use(recordingModel(coach, []));
    h = await createHarness({ deps: { model: testModel() } });
    const [end] = await run(h, [TURNS[0]!]);
    // One system message (strict chat templates take no second one): the instructions, then the context.
    const [system, ...rest] = coach[0]!.messages;
    const context = system;
    expect(system!.role).toBe('system');
    expect(rest.every((m) => m.role !== 'system')).toBe(true);
    expect(system!.content).toContain('Never diagnose anyone');
    expect(system!.content).toContain('exactly one question');
    expect(context!.content).toMatch(/Step to name: Step \d · /);
    const stepTitles = loadKnowledgeDocuments().filter((d) => d.kind === 'step').map((d) => d.title);
    expect(stepTitles.some((t) => context!.content.includes(`### ${t} (`))).toBe(true);
    expect(rest.at(-1)).toEqual({ role: 'user', content: TURNS[0] });
    expect(end!.meta.steps.length).toBeGreaterThan(0);
    const sent = [...context!.content.matchAll(/^### (.+) \(/gm)].map((m) => m[1]);
    for (const c of end!.meta.citations) expect(sent).toContain(c.title);
  });

  it('at a strained level the prompt asks for a warm pointer to a family counsellor', async () => {
    const coach: Body[] = [];
    mockServer.use(recordingModel(coach, []));
    h = await createHarness({ deps: { model: testModel(), safety: fakeSafety({ 'every day': 'strained' }) } });
    const [end] = await run(h, ['We scream at each other every day.']);
    expect(coach[0]!.messages[0]!.content).toContain('safety level of this conversation is **strained**');
    expect(coach[0]!.messages[0]!.content).toContain('family counsellor');
    expect(end!.meta.steps).toContain('seek-help');
  });

  it('folds older turns into a model-written summary and keeps the prompt within budget', async () => {
    const coach: Body[] = [];
    const summaries: Body[] = [];
    mockServer.use(recordingModel(coach, summaries));
    h = await createHarness({ deps: { model: testModel() } });
    const ends = await run(h, TURNS);
    expect(ends.every((e) => e.status === 'complete')).toBe(true);
    expect(summaries.length).toBeGreaterThan(0);
    const summaryRequest = summaries[0]!;
    expect(summaryRequest.messages[0]!.content).toContain('running notes');
    expect(summaryRequest.messages[1]!.content).toContain(TURNS[0]);
    const last = coach.at(-1)!;
    expect(memoryOf(last)).toContain(MODEL_SUMMARY);
    expect(memoryOf(last)).toContain('His name: Jake');
    const dialogue = last.messages.slice(1).filter((m) => m.content !== memoryOf(last) && m.content !== 'Thank you, I have that in mind.');
    expect(dialogue.length).toBeLessThanOrEqual(RECENT_MESSAGES + 1);
    expect(dialogue.some((m) => m.content === TURNS[0])).toBe(false);
    expect(promptTokens(last)).toBeLessThanOrEqual(promptTokens(coach[3]!) * 1.3);
    expect(storedMemory(h.store, ends[0]!.conversationId).summary()!.text).toBe(MODEL_SUMMARY);
  });

  it('when the summary call fails, the turn still completes with an extractive summary', async () => {
    const coach: Body[] = [];
    const summaries: Body[] = [];
    mockServer.use(recordingModel(coach, summaries, { failSummary: true }));
    h = await createHarness({ deps: { model: testModel() } });
    const ends = await run(h, TURNS.slice(0, 8));
    expect(summaries.length).toBeGreaterThan(0);
    expect(ends.at(-1)!.status).toBe('complete');
    expect(memoryOf(coach.at(-1)!)).toContain('She: “He called me a nag');
  });

  it('her correction of a fact reaches the next prompt', async () => {
    const coach: Body[] = [];
    mockServer.use(recordingModel(coach, []));
    h = await createHarness({ deps: { model: testModel() } });
    const [first] = await run(h, ['My son Jake is 15 and he lied to me about a party.']);
    await h.app.inject({
      method: 'PUT', url: `/api/conversations/${first!.conversationId}/memory`, headers: { cookie: h.cookie },
      payload: { facts: [{ key: 'son_name', value: 'Jack' }] },
    });
    const client = await ChatClient.open(h);
    await client.say('What should I say to him tonight?', { conversationId: first!.conversationId });
    client.close();
    const context = memoryOf(coach.at(-1)!);
    expect(context).toContain('His name: Jack');
    expect(context).not.toContain('His name: Jake');
  });

  it.each([
    ['fenced JSON', '```json\n{"summary": "' + MODEL_SUMMARY + '"}\n```', MODEL_SUMMARY],
    ['a "Summary:" label', `Summary: ${MODEL_SUMMARY}`, MODEL_SUMMARY],
    ['a <think> block', `<think>She seems upset, keep it short.</think>\n${MODEL_SUMMARY}`, MODEL_SUMMARY],
    ['a list of tips', 'Here are some tips for her:\n1. Stay calm.\n2. Listen.\n3. Praise him.\n4. Set limits.\n5. Be patient.', undefined],
    ['HTML', `<p>${MODEL_SUMMARY}</p>`, undefined],
    ['a refusal', "I'm sorry, but I can't help with summarising this.", undefined],
  ])('a summary written as %s is repaired or replaced before it is stored, shown or sent', async (_name, written, kept) => {
    const coach: Body[] = [];
    mockServer.use(recordingModel(coach, [], { summary: written }));
    h = await createHarness({ deps: { model: testModel() } });
    const ends = await run(h, TURNS);
    const stored = storedMemory(h.store, ends[0]!.conversationId).summary()!.text;
    const panel = await h.app.inject({ method: 'GET', url: `/api/conversations/${ends[0]!.conversationId}/memory`, headers: { cookie: h.cookie } });
    if (kept) expect(stored).toBe(kept);
    else expect(stored).toContain('She: “');
    for (const text of [stored, panel.body, memoryOf(coach.at(-1)!)]) expect(text).not.toMatch(/```|<think>|<p>|tips for her|I'm sorry|\\?"summary\\?": \\?"/);
  });
});
