import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';
import { converse, questionOf, scriptOf, type ReplyEnd } from './coaching-helpers.js';

/**
 * Five mothers, five different arguments, each trying Mend for the first time. Each should
 * get a coaching path that visibly fits her conflict: what Mend understood named (the topic,
 * never her sentence reworded), a step that suits it, words to say that belong to her
 * situation, and a question about her story.
 */
const CONFLICTS = [
  {
    name: 'grades',
    // A nag and a slammed door, but what they argued about was his grades (the label guide's rule).
    topic: 'grades-and-school',
    text: 'He called me a nag and slammed the door when I asked about his grades.',
    steps: ['positive', 'listen', 'calm'],
    scriptAbout: /school|results|understand|noticed/i,
  },
  {
    name: 'phone at dinner',
    topic: 'phone-and-screens',
    text: 'We had a row because he was on his phone all through dinner again. When I asked him to put it away he rolled his eyes and kept scrolling.',
    steps: ['listen', 'calm'],
    scriptAbout: /phone|dinner|put it down|watching|basket/i,
  },
  {
    name: 'a lie about a party',
    topic: 'lying-and-trust',
    text: 'I found out he lied to me about a party. He said he was staying at a friend’s house but he was at a party I had said no to.',
    steps: ['calm', 'patience', 'listen'],
    scriptAbout: /lie|truth|party|trust|ask me/i,
  },
  {
    name: 'silent treatment for a week',
    topic: 'silent-treatment',
    text: 'My son has been giving me the silent treatment for a week now, ever since we argued about his curfew. He just stays in his room.',
    steps: ['acknowledge', 'patience'],
    scriptAbout: /left|sorry|ready|talk|love|miss/i,
  },
  {
    name: 'rudeness to his grandmother',
    topic: 'respect-and-rudeness',
    text: 'He was so rude to his grandmother on Sunday. She asked about school and he told her to mind her own business and walked out. She was in tears.',
    steps: ['calm', 'acknowledge'],
    scriptAbout: /grandmother|her|polite|hurt/i,
  },
];

let h: Harness;
const first = new Map<string, ReplyEnd>();
beforeAll(async () => {
  h = await createHarness();
  for (const c of CONFLICTS) first.set(c.name, (await converse(h, [c.text]))[0]!);
});
afterAll(async () => { await h.close(); });

describe('five different conflicts, five different first replies', () => {
  it.each(CONFLICTS)('$name: the topic understood and named, a fitting step, a script that belongs to it, one question', (c) => {
    const reply = first.get(c.name)!;
    expect(reply.meta.understood?.topic).toBe(c.topic);
    expect(reply.text).toMatch(/This sounds like it’s about \*\*/);
    // Her words are quoted exactly or not at all: never turned round into "you" sentences.
    expect(reply.text).not.toMatch(/You’re telling me|So you |I hear that you/);
    expect(c.steps).toContain(reply.meta.steps[0]);
    expect(reply.text).toMatch(/\*\*Step \d · [^*]+\*\*/);
    expect(scriptOf(reply.text)).toMatch(c.scriptAbout);
    expect(questionOf(reply.text)).toMatch(/\?$/);
    expect(reply.meta.citations.length).toBeGreaterThan(0);
  });

  it('names her feeling once, not in the reflection and again in the line after it', () => {
    for (const c of CONFLICTS) {
      const opening = first.get(c.name)!.text.split('\n\n')[0]!;
      for (const feeling of ['angry', 'hurt', 'worried', 'sad', 'guilty', 'worn out']) {
        expect(opening.split(new RegExp(`\\b${feeling}`, 'i')).length - 1, `${c.name}: ${opening}`).toBeLessThanOrEqual(1);
      }
    }
  });

  it('no two first replies share a script, a question or an opening, and at least four steps lead', () => {
    const replies = CONFLICTS.map((c) => first.get(c.name)!);
    const scripts = replies.map((r) => scriptOf(r.text));
    const openings = replies.map((r) => r.text.split('\n\n')[0]);
    expect(new Set(scripts).size).toBe(5);
    expect(new Set(openings).size).toBe(5);
    expect(new Set(replies.map((r) => questionOf(r.text))).size).toBeGreaterThanOrEqual(4);
    expect(new Set(replies.map((r) => r.meta.steps[0])).size).toBeGreaterThanOrEqual(4);
    if (process.env.MEND_PRINT_REPLIES) {
      for (const [i, r] of replies.entries()) console.log(`\n### ${CONFLICTS[i]!.name}\n> ${CONFLICTS[i]!.text}\n\n${r.text}\n[steps: ${r.meta.steps.join(', ')}]`);
    }
  });
});
