import { describe, expect, it } from 'vitest';
import { adaptScript, framingOf, presumptionHolds, presumptionsOf, type Story } from '../../src/features/coach/coach-script.js';
import { readSignals } from '../../src/features/coach/coach-signals.js';
import { flipPerspective, reflectionOf } from '../../src/features/coach/coach-reflect.js';
import { loadKnowledgeDocuments } from '../../src/knowledge/knowledge-base.js';
import { TopicMatcher } from '../../src/knowledge/topic-matcher.js';

const topics = new TopicMatcher(loadKnowledgeDocuments());
const story = (herWords: string, stepId = 'calm'): Story => ({ story: readSignals(herWords, false), herWords, facts: {}, stepId, topicIds: [] });
const fits = (line: string, s: Story) => presumptionsOf(line).every((p) => presumptionHolds(p, line, s));

describe('what a line takes for granted', () => {
  it('a thank-you needs something to thank, or waits for "next time"', () => {
    const line = 'Thanks for walking away instead of saying something you\'d regret. That was the right call.';
    expect(fits(line, story('I found out he has been skipping school.'))).toBe(false);
    expect(fits('I noticed you were up on time all week. Thanks.', story('He lied to me.', 'positive'))).toBe(true);
    expect(framingOf('I noticed you were up on time all week. Thanks.', story('He lied to me.', 'positive'))).toBe('praise');
  });

  it('an apology needs something she did; "I called you lazy" needs her to have said so', () => {
    expect(fits('I said that badly. Let me try again.', story('He won\'t shower.'))).toBe(false);
    expect(fits('I\'m sorry I shouted at you last night. That wasn\'t okay.', story('I screamed at him and I feel so guilty.'))).toBe(true);
  });

  it('her feelings are hers to state: "I was worried" needs worry, "I\'m not angry" fails when she is', () => {
    expect(fits('I\'m not going to go on about it. I just need you to know I was worried.', story('He says I love his sister more.'))).toBe(false);
    expect(fits('I\'m not angry. I just want to understand what\'s going on with maths.', story('I\'m scared and angry.'))).toBe(false);
    expect(fits('I\'m not trying to take your social life away. I\'m worried about your sleep.', story('I just want him to get some sleep.'))).toBe(true);
  });

  it('lines for the heat of the moment are framed for next time', () => {
    const line = 'We\'re both too wound up. Let\'s stop and come back to this in half an hour.';
    expect(fits(line, story('He won\'t shower.'))).toBe(false);
    expect(framingOf(line, story('We had a huge row and he slammed the door.'))).toBe('moment');
  });
});

describe('a line made hers', () => {
  it('his name goes in front without keeping the line\'s capital', () => {
    expect(adaptScript('Something\'s clearly bugging you. What\'s going on?', { name: 'Tom', herWords: '' })).toBe('Tom, something\'s clearly bugging you. What\'s going on?');
    expect(adaptScript('Let\'s agree a cut-off time that feels fair to both of us.', { name: 'Sam', herWords: '' })).toBe('Sam, let\'s agree a cut-off time that feels fair to both of us.');
  });

  it('her "when" replaces the example\'s only for what already happened', () => {
    expect(adaptScript('I\'m sorry I shouted at you last night. That wasn\'t okay.', { herWords: 'I screamed at him tonight.' })).toBe('I\'m sorry I shouted at you earlier. That wasn\'t okay.');
    expect(adaptScript('Fancy doing something on Saturday, just us? Your pick.', { herWords: 'We had a good chat yesterday.' })).toBe('Fancy doing something on Saturday, just us? Your pick.');
  });
});

describe('her words, not his topic', () => {
  it('her own anger or embarrassment does not make the topic his temper or his embarrassment', () => {
    expect(topics.match('I\'m scared and angry.').map((m) => m.doc.id)).not.toContain('anger-and-slammed-doors');
    expect(topics.match('I\'m embarrassed for him, his friends must notice.').map((m) => m.doc.id)).not.toContain('pulling-away');
    expect(topics.match('He\'s embarrassed by me and told me to drop him round the corner.').map((m) => m.doc.id)).toContain('pulling-away');
  });

  it('"I\'m …" is a feeling, "Not really," is an answer, and "we" may not mean her and him', () => {
    expect(reflectionOf('I\'m scared and angry.').feeling).toBe('you’re scared and angry');
    expect(reflectionOf('Not really, he just said it and went upstairs.').event).toBe('he just said it and went upstairs');
    expect(flipPerspective('We\'re still married, I mean his dad is my husband')).toBe('you’re still married: his dad is your husband');
  });
});
