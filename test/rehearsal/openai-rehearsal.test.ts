import { afterEach, describe, expect, it } from 'vitest';
import { http } from 'msw';
import { createHarness, type Harness } from '../helpers/harness.js';
import { COMPLETIONS, mockServer, sseResponse, testModel, useModelMock } from '../helpers/openai-mock.js';
import { Rehearsal, VAPE_SCENE } from './rehearsal-helpers.js';
import { OPENING_CUE } from '../../src/features/rehearse/requests.js';

useModelMock();

let h: Harness | undefined;
afterEach(async () => { await h?.close(); h = undefined; });

type Message = { role: string; content: string };
type Body = { messages: Message[]; max_tokens?: number };
type Task = 'son' | 'note' | 'debrief' | 'draft';

const BAD = 'You always lie to me, I found your vape, you\'re grounded';
const GOOD = 'I found a vape in your jacket. I\'m not going to yell. I\'m worried and I want to hear your side.';
const NOTE = 'NOTE-7731: "I\'m not going to yell" helped. Try asking what happened.';
const DEBRIEF = '**What went well**\n- DEBRIEF-5521: you stayed calm the second time.';
const DRAFT = '**What may land badly**\n- DRAFT-3310: "You always" invites an argument.';

/** Which of the four prompts a request carries, told apart by their system prompts. */
function taskOf(body: Body): Task {
  const system = body.messages[0]!.content;
  if (system.startsWith('You are playing a')) return 'son';
  if (system.includes('After each of her lines you add a short note')) return 'note';
  if (system.includes('has just rehearsed a hard conversation')) return 'debrief';
  if (system.includes('Check it before she sends it')) return 'draft';
  throw new Error(`unexpected prompt: ${system.slice(0, 80)}`);
}

/** Answers each task with its own marker text and records every request body by task. */
function recordingModel(seen: Record<Task, Body[]>) {
  return http.post(COMPLETIONS, async ({ request }) => {
    const body = await request.json() as Body;
    const task = taskOf(body);
    seen[task].push(body);
    const answers: Record<Task, string> = { son: `Whatever. SON-${seen.son.length}`, note: NOTE, debrief: DEBRIEF, draft: DRAFT };
    return sseResponse([answers[task]]);
  });
}

async function start(): Promise<{ r: Rehearsal; seen: Record<Task, Body[]> }> {
  const seen: Record<Task, Body[]> = { son: [], note: [], debrief: [], draft: [] };
  mockServer.use(recordingModel(seen));
  h = await createHarness({ deps: { model: testModel() } });
  return { r: await Rehearsal.open(h), seen };
}

describe('rehearsal with an OpenAI-compatible model', () => {
  it('the son and the coach are separate prompts, and the son only ever hears her lines and his own', async () => {
    const { r, seen } = await start();
    const opening = await r.start(VAPE_SCENE);
    const bad = await r.say(BAD);
    const good = await r.say(GOOD);
    r.close();

    expect(opening.map((x) => [x.meta.voice, x.text.startsWith('Setting the scene')])).toEqual([['coach-note', true], ['son', false]]);
    expect(bad.map((x) => [x.meta.voice, x.text])).toEqual([['son', 'Whatever. SON-2'], ['coach-note', NOTE]]);
    expect(good.map((x) => x.meta.voice)).toEqual(['son', 'coach-note']);
    expect(seen.son).toHaveLength(3);
    expect(seen.note).toHaveLength(2);

    const [system, ...conversation] = seen.son[2]!.messages;
    expect(system!.content).toContain('16-year-old');
    expect(system!.content).toContain('I want to talk about the vape I found');
    expect(system!.content).toMatch(/never a coach or a therapist/);
    expect(conversation).toEqual([
      { role: 'user', content: OPENING_CUE },
      { role: 'assistant', content: 'Whatever. SON-1' },
      { role: 'user', content: BAD },
      { role: 'assistant', content: 'Whatever. SON-2' },
      { role: 'user', content: GOOD },
    ]);
    for (const body of seen.son) {
      const everything = JSON.stringify(body.messages);
      expect(everything).not.toContain('NOTE-7731');
      expect(everything).not.toContain('Setting the scene');
      expect(everything).not.toMatch(/\*\*(Worked|Try):\*\*|Step \d ·/);
    }

    const note = seen.note[0]!;
    expect(note.messages.at(-1)).toEqual({ role: 'user', content: BAD });
    expect(note.messages[0]!.content).toContain('"You always lie" sounds like a charge he has to defend');
    expect(note.messages[0]!.content).toContain('*Step 3 · Communicate calmly*');
    expect(note.messages[0]!.content).not.toContain('SON-');
  });

  it('after a rewind the son is asked as if the old line was never said', async () => {
    const { r, seen } = await start();
    await r.start(VAPE_SCENE);
    await r.say(BAD);
    await r.act('rehearsal.rewind');
    await r.say(GOOD);
    r.close();
    const last = seen.son.at(-1)!.messages.slice(1);
    expect(last).toEqual([{ role: 'user', content: OPENING_CUE }, { role: 'assistant', content: 'Whatever. SON-1' }, { role: 'user', content: GOOD }]);
    expect(last[2]!.content).not.toContain('always');
  });

  it('End rehearsal sends the transcript and the analysis to the debrief prompt and stores the debrief', async () => {
    const { r, seen } = await start();
    await r.start(VAPE_SCENE);
    await r.say(BAD);
    await r.say(GOOD);
    const [debrief] = await r.act('rehearsal.end');
    r.close();

    expect(debrief).toMatchObject({ status: 'complete', text: DEBRIEF });
    expect(debrief!.meta.voice).toBe('debrief');
    const body = seen.debrief[0]!;
    expect(body.messages[1]!.content).toBe(['Him: Whatever. SON-1', `Her: ${BAD}`, 'Him: Whatever. SON-2', `Her: ${GOOD}`, 'Him: Whatever. SON-3'].join('\n'));
    const system = body.messages[0]!.content;
    expect(system).toContain('**What went well** · **The moments that turned it** · **Your hardest line, said another way** · **Steps to practise**');
    expect(system).toContain(`"${BAD}": he went from wary to shut down.`);
    expect(system).toContain('A better version in her own voice (use it, you may polish it): "I found your vape. I want to be able to trust what you tell me.');
    expect(system).not.toMatch(/\{\{|\}\}/);

    const stored = h!.store.listMessages(r.conversationId!).filter((m) => m.meta.voice === 'debrief');
    expect(stored.map((m) => [m.text, m.status])).toEqual([[DEBRIEF, 'complete']]);
  });

  it('the draft check sends her message with what may land badly and a rewrite to start from', async () => {
    const { r, seen } = await start();
    const [reply] = await r.say(BAD, undefined, 'draft');
    r.close();
    expect(reply).toMatchObject({ text: DRAFT });
    expect(reply!.meta.voice).toBe('coach');
    const body = seen.draft[0]!;
    expect(body.messages.at(-1)).toEqual({ role: 'user', content: BAD });
    expect(body.messages[0]!.content).toContain('- "you\'re grounded" turns the talk into a fight about the punishment');
    expect(body.messages[0]!.content).toContain('A rewrite to start from: "I found your vape.');
    expect(body.messages[0]!.content).toContain('**Step to lean on: Step 3 · Communicate calmly.**');
  });
});
