import { afterEach, describe, expect, it } from 'vitest';
import { http } from 'msw';
import { ChatClient, createHarness, type Harness } from '../helpers/harness.js';
import { COMPLETIONS, mockServer, sseResponse, testModel, useModelMock } from '../helpers/openai-mock.js';
import { Rehearsal, VAPE_SCENE } from '../rehearsal/rehearsal-helpers.js';
import { PseudonymisingModel, Pseudonymiser } from '../../src/llm/pseudonymising-model.js';

useModelMock();

let h: Harness | undefined;
afterEach(async () => { await h?.close(); h = undefined; });

type Body = { messages: Array<{ role: string; content: string }> };

/** Twelve turns naming eight kinds of people and places, some only once and long before they come back. */
const TURNS = [
  "Hi, I'm Sarah. My son Jake is 15 and things at home are bad.", // her own name, her son
  'His dad Mark and I split up last year.', // his father
  'Mark lets him stay up until 2am on his phone.', // a relative at the start of a sentence
  'His teacher Mrs Okafor rang me about his grades.', // a teacher
  'He goes to Oakwood High and says he hates it.', // his school
  'His friend Tyler has been a bad influence on him.', // a friend
  'My mum Linda says I am far too soft with him.', // her mother
  'His sister Amy barely talks to him now.', // a sibling
  'Mr Brown, his maths teacher, gave him a detention on Friday.', // a second teacher, by title
  // "he shouted at me again" reads high from the learned layer since the batch 08 retrain (a known false alarm, README);
  // this test is about names, so its line stays calm.
  'Yesterday he argued with me again about the phone.',
  'Even Linda thinks that Sarah has tried everything.', // her name, long out of the recent window
  'Jake, can we talk about tonight? That is what I want to say to him.', // speaking to him
];
const NAMES = /\b(?:Sarah|Jake|Mark|Okafor|Oakwood|Tyler|Linda|Amy|Brown)\b/;

function answer(body: Body): string {
  const system = body.messages[0]?.content ?? '';
  if (system.startsWith('You are a safety reviewer')) return '{"level":"calm","subject":"none","who":"none","now":false}';
  if (system.includes('running notes')) return 'Her son [SON] stays up late; his father [FATHER] allows it.';
  if (system.startsWith('You are playing a')) return 'Whatever, Mum.';
  return 'That sounds hard with [SON]. What did he say?';
}

/** Every request the provider receives, answered as its task expects. */
function recordRequests(): Body[] {
  const bodies: Body[] = [];
  mockServer.use(http.post(COMPLETIONS, async ({ request }) => {
    const body = await request.json() as Body;
    bodies.push(body);
    return sseResponse([answer(body)]);
  }));
  return bodies;
}

describe('no name reaches the provider, in any request of any task', () => {
  it('a scripted 12-turn conversation with 8 kinds of names, then a rehearsal, a draft check, the brief and the second opinion', async () => {
    const bodies = recordRequests();
    h = await createHarness({ env: { MEND_SAFETY_OPINION_MS: '2000' }, deps: { model: new PseudonymisingModel(testModel()) } });
    const client = await ChatClient.open(h);
    let conversationId: string | undefined;
    const ends = [];
    for (const text of TURNS) {
      const end = await client.say(text, conversationId ? { conversationId } : {});
      conversationId = end.conversationId;
      ends.push(end);
    }
    client.close();
    const r = await Rehearsal.open(h);
    r.conversationId = conversationId;
    await r.start(VAPE_SCENE);
    await r.say('Jake, can we talk about Oakwood High and what Mrs Okafor said?');
    await r.act('rehearsal.end');
    await r.say('Jake, you and Tyler need to stop this, or Mark will hear about it.', undefined, 'draft');
    r.close();
    const brief = await h.app.inject({ method: 'POST', url: `/api/conversations/${conversationId}/brief`, headers: { cookie: h.cookie } });
    expect(brief.statusCode).toBe(201);

    const tasks = new Set(bodies.map((b) => b.messages[0]!.content.slice(0, 120)));
    expect(tasks.size).toBe(8); // coach, classify, summary, son, note, debrief, draft, brief
    const leaks = bodies.flatMap((b) => b.messages.map((m) => NAMES.exec(m.content)?.[0]).filter(Boolean));
    expect(leaks).toEqual([]);
    // She reads the names back.
    expect(ends.at(-1)!.text).toContain('That sounds hard with Jake.');
  });
});

describe('the leaks found with a test server, one at a time', () => {
  it.each([
    [['His teacher Mrs Okafor rang.', 'Mrs Okafor says he is bright.'], 'Okafor'],
    [['Mr Brown gave him a detention.'], 'Brown'],
    [['He goes to Oakwood High and hates it.'], 'Oakwood'],
    [['He was excluded from St Mary\'s last term.'], 'Mary'],
    [['His dad Mark is strict.', 'Mark lets him stay up late.'], 'Mark'],
    [['Jake, can we talk about tonight?'], 'Jake'],
    [['Hi Jake, dinner is ready.'], 'Jake'],
  ])('%j masks %s', (texts, name) => {
    const names = Pseudonymiser.fromTexts(texts);
    for (const text of texts) expect(names.mask(text)).not.toContain(name);
  });

  it.each([
    'Will you help me?', 'Mark my words, he will regret it.', 'Right, so he left.', 'Hope you are well.', 'The school called.',
  ])('leaves everyday words alone: %j', (text) => {
    const names = Pseudonymiser.fromTexts([text, 'My husband Mark works late.']);
    expect(names.mask(text)).toBe(text);
  });
});

describe('names said long before the recent window', () => {
  /** Her words and a reply, stored straight in, many times over: a conversation far past the window a turn reads. */
  function pad(store: Harness['store'], conversationId: string, count: number): void {
    for (let i = 0; i < count; i++) {
      store.appendMessage(conversationId, { role: 'user', text: `We talked about homework again, evening ${i}.`, mode: 'coach', safetyLevel: 'calm', status: 'complete' });
      store.appendMessage(conversationId, { role: 'assistant', text: 'That sounds like progress.', mode: 'coach', safetyLevel: 'calm', status: 'complete' });
    }
  }

  it('stay masked, and so does one she gives after the conversation has grown past it', async () => {
    const bodies = recordRequests();
    h = await createHarness({ deps: { model: new PseudonymisingModel(testModel()) } });
    const client = await ChatClient.open(h);
    const first = await client.say("Hi, I'm Sarah. My son Jake is 15 and we keep arguing.");
    const { conversationId } = first;
    pad(h.store, conversationId, 150);
    await client.say('Sarah is who he calls a nag. How do I answer Jake when he says it?', { conversationId });
    // A new name, written after the names were first gathered, then pushed out of the window too.
    await client.say('His friend Tyler has been round every night this week.', { conversationId });
    pad(h.store, conversationId, 150);
    bodies.length = 0;
    await client.say('At 3am Tyler was still here, so Jake was up too. Honestly, Sarah needs sleep.', { conversationId }); // no name pattern here
    client.close();
    expect(bodies.length).toBeGreaterThan(0);
    const leaks = bodies.flatMap((b) => b.messages.map((m) => /\b(?:Sarah|Jake|Tyler)\b/.exec(m.content)?.[0]).filter(Boolean));
    expect(leaks).toEqual([]);
  });
});
