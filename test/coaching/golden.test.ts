import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ChatClient, createHarness, type Harness } from '../helpers/harness.js';
import { freshIdentity, questionOf, type ReplyEnd } from './coaching-helpers.js';

/**
 * Golden conversations: 45 multi-turn conversations written by a helper from the knowledge
 * files alone, each turn with what a careful tester would insist on. Every rule that must
 * always hold is asserted; how often the classifiers get the topic and the question right is
 * measured, printed and held to the figures measured when this was written (README).
 */
const Expect = z.object({
  topic: z.string().optional(), answers: z.string().optional(), unanswerable: z.boolean().optional(),
  notAsk: z.array(z.string()).optional(), mentions: z.array(z.string()).optional(), notMentions: z.array(z.string()).optional(),
  greeting: z.boolean().optional(),
}).strict();
const Conversation = z.object({ id: z.string(), about: z.string(), turns: z.array(z.object({ say: z.string(), expect: Expect.optional() })) });
const CONVERSATIONS = readFileSync(new URL('./golden/conversations.jsonl', import.meta.url), 'utf8')
  .split('\n').filter(Boolean).map((l) => Conversation.parse(JSON.parse(l)));

/** What each "don't ask again" means in a question Mend asks. */
const ASKS: Record<string, RegExp> = {
  'his-age': /how old is he|his age/i,
  'his-name': /what’s your son’s name|his name/i,
  'how-it-ended': /how did it end/i,
  'what-he-said': /what did he say/i,
  'how-she-feels': /how are you feeling|how do you feel/i,
  'what-happened': /what happened|tell me about the last/i,
};
/** Measured: topic 55/65, question answered from the right entry 58/82. */
const FLOORS = { topic: 0.8, answers: 0.68 };

let h: Harness;
const results = new Map<string, ReplyEnd[]>();
beforeAll(async () => {
  h = await createHarness();
  for (const c of CONVERSATIONS) {
    const client = await ChatClient.open(h, await freshIdentity(h));
    const ends: ReplyEnd[] = [];
    for (const t of c.turns) ends.push(await client.say(t.say, ends.length ? { conversationId: ends[0]!.conversationId } : {}));
    client.close();
    results.set(c.id, ends);
  }
}, 120_000);
afterAll(async () => { await h.close(); });

describe('golden conversations', () => {
  it('always: a reply every turn, no reworded echo, 1-4 quick replies on coaching replies, no sentence repeated', () => {
    for (const c of CONVERSATIONS) {
      const ends = results.get(c.id)!;
      const seen = new Set<string>();
      ends.forEach((end, i) => {
        expect(end.status, `${c.id} turn ${i + 1}`).toBe('complete');
        expect(end.text).not.toMatch(/you told you|You’re telling me/i);
        // Coaching replies (not the fixed safety texts, nor a hand-over to Find help) offer quick replies.
        if (!end.meta.fixed && end.meta.understood) {
          const quick = end.meta.quickReplies ?? [];
          expect(quick.length, `${c.id} turn ${i + 1} quick replies`).toBeGreaterThan(0);
          expect(quick.length).toBeLessThanOrEqual(4);
        }
        // The crisis follow-up is a fixed, reviewed text; only coaching replies must not repeat themselves.
        if (end.meta.fixed) return;
        for (const sentence of end.text.split(/(?<=[.!?])\s+/).filter((s) => s.length > 40 && !s.startsWith('>') && !s.includes('**Step'))) {
          expect(seen.has(sentence), `${c.id} turn ${i + 1} repeats: ${sentence}`).toBe(false);
          seen.add(sentence);
        }
      });
    }
  });

  it('never welcomes a turn that is not a greeting, and never re-asks what she said', () => {
    for (const c of CONVERSATIONS) {
      results.get(c.id)!.forEach((end, i) => {
        const e = c.turns[i]!.expect;
        if (e?.greeting === false) expect(end.text, `${c.id} turn ${i + 1}`).not.toMatch(/Hello, and welcome/);
        for (const what of e?.notAsk ?? []) expect(questionOf(end.text), `${c.id} turn ${i + 1} asks ${what}`).not.toMatch(ASKS[what]!);
      });
    }
  });

  it('gets the topic and the question right often enough (measured, printed)', () => {
    const tally = { topic: [0, 0], answers: [0, 0], unanswerable: [0, 0], mentions: [0, 0], notMentions: [0, 0] };
    for (const c of CONVERSATIONS) {
      results.get(c.id)!.forEach((end, i) => {
        const e = c.turns[i]!.expect ?? {};
        const count = (key: keyof typeof tally, ok: boolean) => { tally[key][1]!++; if (ok) tally[key][0]!++; };
        if (e.topic) count('topic', end.meta.understood?.topic === e.topic || end.meta.citations.some((x) => x.id.startsWith(`${e.topic}#`)));
        if (e.answers) count('answers', end.meta.understood?.answered === e.answers);
        if (e.unanswerable) count('unanswerable', /can’t answer that one well|don’t have a reliable answer/.test(end.text));
        for (const m of e.mentions ?? []) count('mentions', new RegExp(m, 'i').test(end.text));
        for (const m of e.notMentions ?? []) count('notMentions', !new RegExp(m, 'i').test(end.text));
      });
    }
    console.log('golden conversations:', Object.fromEntries(Object.entries(tally).map(([k, [ok, n]]) => [k, `${ok}/${n}`])));
    expect(tally.topic[0]! / tally.topic[1]!).toBeGreaterThanOrEqual(FLOORS.topic);
    expect(tally.answers[0]! / tally.answers[1]!).toBeGreaterThanOrEqual(FLOORS.answers);
  });
});
