import { afterEach, describe, expect, it } from 'vitest';
import { http } from 'msw';
import { createHarness, type Harness } from '../helpers/harness.js';
import { COMPLETIONS, mockServer, sseResponse, testModel, useModelMock } from '../helpers/openai-mock.js';
import { strictTemplateError } from '../helpers/strict-template.js';
import { converse } from '../coaching/coaching-helpers.js';
import { Rehearsal, VAPE_SCENE } from '../rehearsal/rehearsal-helpers.js';
import { referralChat, THREE_WEEKS } from '../referral/referral-helpers.js';
import { memoryOf } from '../../src/features/memory/index.js';
import { BRIEF_HEADINGS } from '../../src/features/referral/brief.js';

useModelMock();

let h: Harness | undefined;
afterEach(async () => { await h?.close(); h = undefined; });

type Body = { messages: Array<{ role: string; content: string }> };
type Task = 'coach' | 'son' | 'note' | 'debrief' | 'draft' | 'referral' | 'brief' | 'summary' | 'classify';

function taskOf(body: Body): Task {
  const system = body.messages[0]?.role === 'system' ? body.messages[0].content : '';
  if (system.startsWith('You are playing a')) return 'son';
  if (system.includes('After each of her lines you add a short note')) return 'note';
  if (system.includes('has just rehearsed a hard conversation')) return 'debrief';
  if (system.includes('Check it before she sends it')) return 'draft';
  if (system.includes('prepare for a first appointment')) return 'brief';
  if (system.includes('running notes')) return 'summary';
  if (system.startsWith('You are a safety reviewer')) return 'classify';
  if (system.includes('Right now you are helping her take')) return 'referral';
  return 'coach';
}

const ANSWERS: Record<Task, string> = {
  coach: 'That sounds so hard. **Step 3 · Communicate calmly** fits now. Try: "I want to hear you." What did he say?',
  son: 'Whatever. You never listen anyway.',
  note: 'That opening stayed calm. Try asking what happened.',
  debrief: '**What went well**\n- You stayed calm the second time.',
  draft: '**What may land badly**\n- "You always" invites an argument.',
  referral: 'A family therapist could help you both. Would you like me to draft a one-page summary you can bring?',
  brief: BRIEF_HEADINGS.map((heading) => `## ${heading}\n- He walks out when I try to talk.`).join('\n\n'),
  summary: 'She and her son keep arguing about his phone and grades; he slams the door and she feels worn out.',
  classify: '{"level":"calm","subject":"none","who":"none","now":false}',
};

/** Every task answers after reasoning in <think>, split across chunks and mid-tag. */
function thinkingEndpoint(seen: Array<{ task: Task; body: Body }>) {
  return http.post(COMPLETIONS, async ({ request }) => {
    const body = await request.json() as Body;
    const task = taskOf(body);
    seen.push({ task, body });
    return sseResponse(['<th', 'ink>SECRET-REASONING about her son', ' and more</thi', 'nk>\n\n', ANSWERS[task]]);
  });
}

const TURNS = [
  'He slammed the door when I asked about his grades.', 'He said I never listen to him.', 'I shouted back and now I feel awful.',
  'This morning he would not look at me.', 'His dad thinks I am too soft on him.', 'He spends all night on his phone.',
  'I took the phone and he called me a control freak.', 'I gave it back and now I feel weak.', 'Tonight he came home late again.',
];

describe('every task, through the whole app', () => {
  it('sends one system message and strict user/assistant turns, and no reasoning reaches her, the memory or the brief', async () => {
    const seen: Array<{ task: Task; body: Body }> = [];
    mockServer.use(thinkingEndpoint(seen));
    h = await createHarness({ env: { MEND_SAFETY_OPINION_MS: '2000' }, deps: { model: testModel() } });

    const coach = await converse(h, TURNS);
    const conversationId = coach[0]!.conversationId;
    const brief = await h.app.inject({ method: 'POST', url: `/api/conversations/${conversationId}/brief`, headers: { cookie: h.cookie } });
    const rehearsal = await Rehearsal.open(h);
    await rehearsal.start(VAPE_SCENE);
    await rehearsal.say('I found a vape in your jacket. I want to hear your side.');
    await rehearsal.act('rehearsal.end');
    rehearsal.close();
    const draft = await Rehearsal.open(h);
    await draft.say('You always lie to me and you are grounded.', undefined, 'draft');
    draft.close();
    const referral = await referralChat(h, [THREE_WEEKS, 'yes please'], { region: 'US' });

    expect(new Set(seen.map((s) => s.task))).toEqual(new Set(['coach', 'son', 'note', 'debrief', 'draft', 'referral', 'brief', 'summary', 'classify']));
    for (const { task, body } of seen) expect({ task, error: strictTemplateError(body.messages) }).toEqual({ task, error: undefined });

    const conversations = [conversationId, rehearsal.conversationId!, draft.conversationId!, referral[0]!.conversationId];
    const stored = conversations.flatMap((id) => h!.store.listMessages(id).filter((m) => m.role === 'assistant'));
    expect(stored.length).toBeGreaterThan(12);
    for (const m of stored) {
      expect(m.text).not.toMatch(/SECRET|think>/);
      expect(m.meta.fallback).toBeUndefined();
    }
    const summary = memoryOf(h.store, conversationId).summary();
    expect(summary?.text).toBe(ANSWERS.summary);
    expect(brief.statusCode).toBe(201);
    expect(brief.body).not.toMatch(/SECRET|think>/);
    expect(brief.json().brief.markdown).toContain('He walks out when I try to talk.');
  });
});

describe('the strict template checker', () => {
  it.each([
    [[{ role: 'system', content: 'a' }, { role: 'system', content: 'b' }, { role: 'user', content: 'hi' }], 'Only one system message'],
    [[{ role: 'system', content: 'a' }, { role: 'assistant', content: 'Whatever.' }, { role: 'user', content: 'hi' }], 'must alternate'],
    [[{ role: 'user', content: 'a' }, { role: 'user', content: 'b' }], 'must alternate'],
    [[{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }], 'last message'],
  ])('rejects what strict templates reject (%#)', (messages, error) => {
    expect(strictTemplateError(messages)).toContain(error);
  });
});
