import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient, createHarness, type Harness } from '../helpers/harness.js';
import { converse, freshIdentity, questionOf, scriptOf, type ReplyEnd } from './coaching-helpers.js';

/**
 * Mothers trying Mend the way they would after a real row: in pieces, with short answers,
 * with his name later on. Each case is something a family coach would wince at if it came
 * back wrong: a thank-you when he has done nothing to thank, a script about swearing when
 * he only rolled his eyes, her own words garbled, a welcome when she has already told her
 * story, a topic page that isn't hers.
 */
let h: Harness;
beforeAll(async () => { h = await createHarness(); });
afterAll(async () => { await h.close(); });

const talk = async (messages: string[]) => converse(h, messages, await ChatClient.open(h, await freshIdentity(h)));
const scripts = (replies: ReplyEnd[]) => replies.map((r) => scriptOf(r.text)).filter((s): s is string => Boolean(s));
/** The paragraph just before the quoted script: how Mend leads into the words. */
function leadOf(text: string): string | undefined {
  const paragraphs = text.split(/\n\s*\n/);
  const at = paragraphs.findIndex((p) => p.startsWith('> “'));
  return at > 0 ? paragraphs[at - 1] : undefined;
}

describe('scripts fit what happened', () => {
  it('no thank-you for something he has not done: found out he skips school, asks how to raise it', async () => {
    const replies = await talk([
      'I just found out from the school that he’s been skipping lessons for two weeks.',
      'He doesn’t know I know yet.',
      'I’m scared and angry.',
      'How do I bring it up?',
    ]);
    for (const reply of replies) {
      const script = scriptOf(reply.text);
      // A thank-you is only offered framed as "next time he does something right".
      if (script && /^(?:\w+, )?(?:thanks|thank you)\b/i.test(script)) expect(leadOf(reply.text)).toMatch(/next time|next small thing/i);
    }
    expect(scripts(replies).join(' ')).not.toMatch(/walking away|break things|angry\. It/i);
    // She said she's angry: no script has her say she isn't.
    expect(scripts(replies.slice(2)).join(' ')).not.toMatch(/I'm not angry/);
    expect(replies[0]!.meta.citations.map((c) => c.id.split('#')[0])).toContain('grades-and-school');
    expect(scriptOf(replies[3]!.text)).toMatch(/school/i);
    // She hasn't talked to him yet: nothing asks how it ended.
    for (const reply of replies.slice(1)) expect(questionOf(reply.text)).not.toMatch(/how did it end/i);
  });

  it('he swore at her over homework: step 3 and words about how he speaks to her, not "you look wiped out"', async () => {
    const replies = await talk(['He swore at me when I asked about his homework.', 'not really', 'I feel awful, like he hates me.', 'What should I say to him?']);
    // The topic classifier reads this as school; what it must never do is claim more than it understood.
    expect(['calm', 'listen']).toContain(replies[0]!.meta.steps[0]);
    const all = scripts(replies).join(' ');
    expect(all).not.toMatch(/wiped out|can't be bothered/i);
    // "not really" is an answer, not news: no "Good.", and not mirrored back.
    expect(replies[1]!.text).not.toMatch(/^Good\b/);
    expect(replies[1]!.text).not.toMatch(/not really/i);
  });

  it('eye-rolling is not swearing: no script about swearing when he only rolls his eyes', async () => {
    const replies = await talk(['He rolls his eyes at everything I say.', 'not really', 'I’m just tired of it.']);
    expect(scripts(replies).join(' ')).not.toMatch(/swear/i);
    expect(replies[0]!.meta.steps[0]).toBe('calm');
  });

  it('she screamed at him and feels guilty: an apology, with her "tonight", and again when she asks how to say sorry', async () => {
    const replies = await talk([
      'I screamed at him tonight over his messy room and now I feel so guilty.',
      'He just went quiet and shut his door.',
      'I want to say sorry but I don’t know how.',
    ]);
    expect(scriptOf(replies[0]!.text)).toMatch(/sorry/i);
    expect(scriptOf(replies[0]!.text)).toContain('earlier');
    expect(scriptOf(replies[2]!.text)).toMatch(/sorry|shouldn't have|wish I hadn't/i);
    expect(scripts(replies).join(' ')).not.toMatch(/^Thanks|Bins|who does what/i);
  });

  it('asking for money for a game is not theft: no "the money gets paid back"', async () => {
    const replies = await talk(['He keeps asking for money for Fortnite skins and when I said no he kicked off.', 'He said I’m the worst mum ever.']);
    expect(scripts(replies).join(' ')).not.toMatch(/paid back|purse/i);
  });

  it('good news gets built on, not "tell me about the last time it went wrong"', async () => {
    const [reply] = await talk(['I tried what you suggested and we had a good chat in the car yesterday!']);
    expect(['positive', 'love']).toContain(reply!.meta.steps[0]);
    expect(questionOf(reply!.text)).not.toMatch(/went wrong/i);
    expect(reply!.text).toMatch(/progress/i);
  });
});

describe('the topic pages her situations need', () => {
  it.each([
    ['My son says I love his sister more than him.', 'siblings-and-fairness', /either of you|competition|compared/i],
    ['His dad, my ex, lets him do whatever he wants and tells him my rules are stupid.', 'his-dads-rules', /dad/i],
    ['He’s fine with his dad but so cold with me. They laugh together and I’m left out.', 'closer-to-his-dad', /dad|just us|miss/i],
    ['He won’t shower. He smells and I’ve told him a hundred times.', 'hygiene-and-self-care', /shower|deodorant/i],
    ['He wants to quit football. He’s been playing since he was six and he’s really good.', 'hobbies-and-quitting', /changed|season|good at it/i],
    ['He’s embarrassed by me in front of his friends. He told me to drop him round the corner so they wouldn’t see me.', 'pulling-away', /corner|hug|film|hanging out|mortified/i],
    ['I caught him taking money from my purse. Twenty pounds.', 'lying-and-trust', /money/i],
    ['Every time I cook he says it’s disgusting and makes himself toast instead.', 'respect-and-rudeness', /bugging you|effort|talking to me like that/i],
  ])('%s', async (text, topicId, script) => {
    const [reply] = await talk([text]);
    // Only a topic the classifier is sure of is used; when it isn't, the reply claims none.
    if (!reply!.meta.understood?.topic) {
      expect(reply!.text).not.toMatch(/This sounds like it’s about/);
      return;
    }
    expect(reply!.meta.understood.topic).toBe(topicId);
    expect(reply!.meta.citations.map((c) => c.id.split('#')[0])).toContain(topicId);
    expect(scriptOf(reply!.text)).toMatch(script);
    expect(reply!.text).toMatch(/\*\*Step \d · [^*]+\*\*/);
  });
});

describe('her words, reflected back as she said them', () => {
  it('a story told in a short first message is coached, not welcomed, and a welcome is never repeated', async () => {
    const [shower] = await talk(['He won’t shower.']);
    expect(shower!.text).not.toContain('Tell me about the last argument');
    expect(shower!.text).toMatch(/\*\*Step \d/);
    const [hello, next] = await talk(['hi', 'He doesn’t know I know yet.']);
    expect(hello!.text).toContain('Tell me about the last argument');
    expect(next!.text).not.toContain('Tell me about the last argument');
  });

  it('names what it understood instead of rewording her, and answers her question instead of parroting it', async () => {
    const replies = await talk([
      'He’s embarrassed by me in front of his friends. He told me to drop him round the corner so they wouldn’t see me.',
      'I’m so disappointed.',
      'What should I say?',
    ]);
    expect(replies[0]!.text).toMatch(/^This sounds like it’s about \*\*embarrassed to be seen with you\*\*/);
    expect(replies[1]!.text).not.toMatch(/you’re so disappointed/i);
    expect(replies[2]!.text).not.toMatch(/Good question: what should you say/);
  });

  it('"we" is not assumed to be her and her son', async () => {
    const replies = await talk(['He’s fine with his dad but so cold with me.', 'We’re still married, I mean his dad is my husband.']);
    expect(replies[1]!.text).not.toMatch(/you’re both still married|you mean|you’re still married/);
  });
});
