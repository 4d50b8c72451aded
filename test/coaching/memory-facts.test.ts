import { describe, expect, it } from 'vitest';
import { loadKnowledgeDocuments } from '../../src/knowledge/knowledge-base.js';
import { TopicMatcher } from '../../src/knowledge/topic-matcher.js';
import { extractFacts } from '../../src/features/memory/facts.js';
import { ConversationMemory } from '../../src/features/memory/conversation-memory.js';
import { memoryState } from '../../src/store/state-slot.js';

const topics = new TopicMatcher(loadKnowledgeDocuments());
const facts = (text: string) => extractFacts(text, topics);


describe('facts read from her messages', () => {
  it.each([
    ['my son Jake slammed the door', 'Jake', undefined],
    ['Jake (15) lied about a party', 'Jake', '15'],
    ["He's 15 and won't talk to me", undefined, '15'],
    ['My 16-year-old son Liam ignores me', 'Liam', '16'],
    ['Tom, 14, swore at me', 'Tom', '14'],
    ['Ethan, he\'s 15.', 'Ethan', '15'],
    ['He\'s 14, Noah.', 'Noah', '14'],
    ['He\'s 14, honestly.', undefined, '14'],
    ['his name is sam', 'Sam', undefined],
    ['he is fifteen and so angry', undefined, '15'],
  ])('%s → name %s, age %s', (text, name, age) => {
    const found = facts(text);
    expect(found.son_name).toBe(name);
    expect(found.son_age).toBe(age);
  });

  it('does not take ordinary words or times for a name or an age', () => {
    expect(facts('My son Always does this').son_name).toBeUndefined();
    expect(facts('My son is driving me mad').son_name).toBeUndefined();
    expect(facts("He's 20 minutes late every night").son_age).toBeUndefined();
    expect(facts('When I asked, he shrugged').son_name).toBeUndefined();
  });

  it('names the topics from the knowledge files’ keywords, and not from everyday words', () => {
    expect(facts('He was on his phone all through dinner').topics).toBe('Phones and screens');
    expect(facts('he was so rude to his grandmother').topics).toBe('Respect and rudeness');
    expect(facts('I just want us to be able to talk without fighting').topics).toBeUndefined();
  });

  it('keeps what he said, how it ended, how she feels, what she tried and what she wants, in her words', () => {
    const found = facts('He called me a nag and slammed the door. I feel like a failure. I have tried taking his phone away. I just want us to get on.');
    expect(found).toMatchObject({
      he_said: 'He called me a nag',
      ending: 'slammed the door',
      feeling: 'I feel like a failure',
      tried: 'I have tried taking his phone away',
      wants: 'I just want us to get on',
    });
  });

  it('collects topics and things tried across messages, and a correction is not overwritten by later messages', () => {
    const memory = new ConversationMemory(memoryState());
    memory.learn('My son Jake argued with me about his grades.', topics);
    memory.learn('I have tried grounding him. Then he was on his phone all through dinner.', topics);
    memory.correct([{ key: 'son_name', value: 'Jack' }]);
    memory.learn('My son Jake is impossible.', topics);
    const values = memory.values();
    expect(values.son_name).toBe('Jack');
    expect(values.topics).toBe('Grades and school, Phones and screens');
    expect(values.tried).toContain('I have tried grounding him');
  });
});
