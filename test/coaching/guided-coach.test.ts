import { afterEach, describe, expect, it } from 'vitest';
import { loadKnowledgeDocuments } from '../../src/knowledge/knowledge-base.js';
import { ChatClient, createHarness, type Harness } from '../helpers/harness.js';
import { converse, fakeSafety, questionOf, scriptOf } from './coaching-helpers.js';

let h: Harness | undefined;
afterEach(async () => { await h?.close(); h = undefined; });

const STEP_IDS = new Set(loadKnowledgeDocuments().filter((d) => d.kind === 'step').map((d) => d.id));
const SECTION_IDS = new Set(loadKnowledgeDocuments().flatMap((d) => [...d.sections.keys()].map((s) => `${d.id}#${s.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`)));

/** A mother telling one argument over six turns, the way people do: in pieces. */
const SIX_TURNS = [
  'He called me a nag and slammed the door when I asked about his grades.',
  'His name is Jake, he is 15. Honestly I feel like a failure.',
  'I just want us to be able to talk without fighting.',
  'I have tried taking his phone away but it made things worse.',
  'Ok, I could try talking to him in the car tomorrow.',
  'What if he just puts his earphones in?',
];

describe('guided coaching (no model)', () => {
  it('a topic her words deny is not taken up: "he didn\'t lie to me, he told me himself" is not about lying', async () => {
    h = await createHarness();
    const [, reply] = await converse(h, ['my son came out as gay last night and I reacted badly', "he didn't lie to me, he told me himself"]);
    expect(reply!.text).not.toMatch(/\blie\b|\blying\b|\blied\b|fooled/i);
    expect(reply!.meta.understood?.topic).not.toBe('lying-and-trust');
  });

  it('names what it understood, a fitting step with a reason, offers a script from the knowledge and asks one question', async () => {
    h = await createHarness();
    const [reply] = await converse(h, [SIX_TURNS[0]!]);
    const text = reply!.text;
    // What Mend understood, named; her sentence is never turned round into "he called you a nag".
    expect(text).toMatch(/So it ended with a slammed door|This sounds like it’s about/);
    expect(text).not.toContain('called you a nag');
    expect(text).toMatch(/\*\*Step \d · [^*]+\*\* is the step that fits now, because/);
    expect(['positive', 'listen', 'calm']).toContain(reply!.meta.steps[0]);
    expect(scriptOf(text)).toBeTruthy();
    const question = questionOf(text);
    expect(question.endsWith('?')).toBe(true);
    expect(question.split('?').length - 1).toBe(1);
    expect(reply!.meta.citations.length).toBeGreaterThan(0);
    for (const c of reply!.meta.citations) expect(SECTION_IDS).toContain(c.id);
  });

  it('the script it offers is a phrase from the knowledge files, adapted', async () => {
    h = await createHarness();
    const [reply] = await converse(h, ['My son has been giving me the silent treatment for a week, ever since we argued. He just stays in his room.']);
    const script = scriptOf(reply!.text)!;
    const phrases = loadKnowledgeDocuments().flatMap((d) => (d.sections.get('Phrases you can use') ?? '').split('\n'));
    expect(phrases.some((line) => line.includes(script.slice(0, 30)))).toBe(true);
    expect(reply!.meta.steps[0]).toBe('acknowledge');
  });

  it('moves forward over six turns: every reply different, no question or script offered twice, always a step', async () => {
    h = await createHarness();
    const replies = await converse(h, SIX_TURNS);
    const texts = replies.map((r) => r.text);
    expect(new Set(texts).size).toBe(6);
    const questions = texts.map(questionOf);
    expect(new Set(questions).size).toBe(6);
    for (const q of questions) expect(q.endsWith('?')).toBe(true);
    const scripts = texts.map(scriptOf).filter(Boolean);
    expect(new Set(scripts).size).toBe(scripts.length);
    for (const r of replies) {
      expect(r.meta.steps.length).toBeGreaterThan(0);
      for (const s of r.meta.steps) expect(STEP_IDS).toContain(s);
    }
    expect(new Set(replies.map((r) => r.meta.steps[0])).size).toBeGreaterThan(1);
  });

  it('does not go round in circles when she says little: short answers still get new questions and new ideas', async () => {
    h = await createHarness();
    const replies = await converse(h, [SIX_TURNS[0]!, 'ok', 'yes', 'I see', 'right', 'maybe', 'go on']);
    const texts = replies.map((r) => r.text);
    expect(new Set(texts).size).toBe(texts.length);
    expect(new Set(texts.map(questionOf)).size).toBe(texts.length);
    const offers = texts.map((t) => scriptOf(t) ?? /Something that helps here: (.+)/.exec(t)?.[1]).filter(Boolean);
    expect(new Set(offers).size).toBe(offers.length);
    expect(offers.length).toBeGreaterThanOrEqual(5);
  });

  it('reflects only what it understood, and never rewords her sentences', async () => {
    h = await createHarness();
    const replies = await converse(h, SIX_TURNS);
    for (const r of replies) expect(r.text).not.toMatch(/You’re telling me|What you want is clear|I hear that|you feel like a failure/);
    // "I feel like a failure" is not read confidently as one feeling: nothing is claimed about it.
    if (!replies[1]!.meta.understood?.feeling) expect(replies[1]!.text).not.toMatch(/You sound|That sounds (?:so|really)/);
  });

  it('coaches the silence, not the phone, when a week of silence followed taking his phone', async () => {
    h = await createHarness();
    const [reply] = await converse(h, ['He ignored me for a whole week after I took his phone away. Total silent treatment.']);
    expect(['acknowledge', 'patience']).toContain(reply!.meta.steps[0]);
    expect(reply!.text).not.toMatch(/screen|put it down/i);
  });

  it('never asks for what she has already said: his age given, only his name is asked for', async () => {
    h = await createHarness();
    const replies = await converse(h, [
      'He called me a nag and slammed the door when I asked about his grades.',
      'He is 15. I just want him to do his homework without a fight every night.',
      'I have tried taking his phone away but it made things worse.',
      'I feel exhausted and a bit guilty.',
    ]);
    for (const reply of replies.slice(1)) expect(questionOf(reply.text)).not.toMatch(/how old/i);
  });

  it('remembers his name once she gives it, and uses her correction from the next reply on', async () => {
    h = await createHarness();
    const replies = await converse(h, SIX_TURNS.slice(0, 3));
    expect(replies[0]!.text).not.toContain('Jake');
    expect(replies[1]!.text).toContain('Jake');
    expect(replies[2]!.text).toContain('Jake');
    const id = replies[0]!.conversationId;
    const put = await h.app.inject({
      method: 'PUT', url: `/api/conversations/${id}/memory`, headers: { cookie: h.cookie },
      payload: { facts: [{ key: 'son_name', value: 'Sam' }] },
    });
    expect(put.statusCode).toBe(200);
    const client = await ChatClient.open(h);
    const after = await client.say('I have tried taking his phone away but it made things worse.', { conversationId: id });
    client.close();
    expect(after.text).toContain('Sam');
    expect(after.text).not.toContain('Jake');
  });

  it('is deterministic: the same conversation gets the same replies', async () => {
    h = await createHarness();
    const first = await converse(h, SIX_TURNS.slice(0, 3));
    await h.close();
    h = await createHarness();
    const second = await converse(h, SIX_TURNS.slice(0, 3));
    expect(second.map((r) => r.text)).toEqual(first.map((r) => r.text));
  });

  it('greets a first "hello" and asks what happened instead of coaching on nothing', async () => {
    h = await createHarness();
    const [hello, real] = await converse(h, ['hello', 'He lied to me about where he was on Saturday night.']);
    expect(hello!.text).toContain('Tell me about the last argument');
    expect(hello!.meta.steps).toEqual(['acknowledge']);
    expect(real!.meta.understood?.topic).toBe('lying-and-trust');
    expect(real!.text).toContain('lying and trust');
    expect(real!.text).toMatch(/\*\*Step \d/);
  });

  it('at a strained level it suggests a family counsellor, warmly, alongside the coaching', async () => {
    h = await createHarness({ deps: { safety: fakeSafety({ 'every single day': 'strained' }) } });
    const [reply] = await converse(h, ['We scream at each other every single day and I cannot get through to him.']);
    expect(reply!.meta.steps).toContain('seek-help');
    expect(reply!.meta.steps[0]).not.toBe('seek-help');
    expect(reply!.text).toMatch(/family counsellor/);
    expect(reply!.text).toContain('**Seek help**');
    expect(reply!.meta.citations.map((c) => c.id)).toContain('seek-help#what-this-step-is');
  });

  it('at a high level it leads with getting professional help this week', async () => {
    h = await createHarness({ deps: { safety: fakeSafety({ pushed: 'high' }) } });
    const [reply] = await converse(h, ['He pushed me against the wall when I took his phone.']);
    expect(reply!.meta.steps[0]).toBe('seek-help');
    const firstParagraph = reply!.text.split('\n\n')[0]!;
    expect(firstParagraph).toMatch(/professional help this week/);
    expect(reply!.text).not.toContain('pushed you against the wall');
  });
});
