import type { FactValues } from '../memory/index.js';
import type { CoachKnowledge } from './coach-knowledge.js';
import { speaksToFeeling } from './coach-words.js';
import type { Understanding } from './understanding/coach-understanding.js';

const ENDINGS: Record<string, string> = {
  'walked-out': 'it ended with him walking out',
  'slammed-door': 'it ended with a slammed door',
  shouting: 'it ended in shouting',
  silence: 'he went quiet on you',
  'he-cried': 'he ended up in tears',
  'she-cried': 'you ended up in tears',
  'made-up': 'you made up afterwards',
  'still-going': 'it isn’t over yet',
};

const FEELINGS: Record<string, string> = {
  angry: 'You sound angry, and that makes sense.',
  hurt: 'That sounds really hurtful.',
  sad: 'That sounds so sad.',
  worried: 'I can hear how worried you are.',
  guilty: 'It sounds like you feel guilty about it.',
  exhausted: 'You sound worn out.',
  confused: 'It makes sense to feel unsure what to do.',
  hopeful: 'That sounds hopeful.',
};

/**
 * What the reply reflects back when the classifiers understood something new in this
 * message: the topic (named as the page it matched), how it ended, how she feels. Built
 * only from labels, so it never rewords her sentences; when nothing new was understood it
 * says nothing rather than pretend.
 */
export function reflectionFrom(
  understood: Understanding, before: FactValues, knowledge: CoachKnowledge, plannedTopics: readonly string[], earlierReplies: readonly string[],
  empathy?: string,
): string {
  const said = (sentence: string) => earlierReplies.some((r) => r.includes(sentence));
  // Only a topic the plan kept: "I'm so angry" is her feeling, not the page on his temper.
  const topic = understood.topic && plannedTopics.includes(understood.topic) ? knowledge.doc(understood.topic) : undefined;
  const newTopic = topic && !(before.topics ?? '').includes(topic.title) ? topic : undefined;
  const ending = understood.ending && !before.ending ? ENDINGS[understood.ending] : undefined;
  const about = newTopic ? `This sounds like it’s about **${newTopic.title.toLowerCase()}**` : '';
  const first = about && ending ? `${about}, and ${ending}.` : about ? `${about}.` : ending ? `So ${ending}.` : '';
  // The empathy line after it may already speak to her feeling ("Of course you're angry"): once is enough.
  const feeling = understood.feeling && !speaksToFeeling(empathy) ? FEELINGS[understood.feeling] ?? '' : '';
  return [first, feeling].filter((s) => s && !said(s)).join(' ');
}
