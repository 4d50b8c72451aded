import type { KnowledgeDocument } from '../../knowledge/knowledge-base.js';
import type { FactValues } from '../memory/facts.js';

export type CoachStage = 'welcome' | 'open' | 'gather' | 'plan' | 'follow-up' | 'deepen' | 'urgent';

export interface QuestionContext {
  facts: FactValues;
  /** His name, or "him" / "he" when she has not said it. */
  him: string;
  he: string;
  topicIds: string[];
  step: KnowledgeDocument;
  asked: ReadonlySet<string>;
  /** She has told something that happened (so "what has been happening?" would ask again). */
  told?: boolean;
  /** She found something out and has not raised it with him yet: nothing was said, nothing ended. */
  notRaised?: boolean;
  /** Her story has a row in it (raised voices, a slammed door, someone walking out). */
  heated?: boolean;
}

interface Question {
  id: string;
  fits: (c: QuestionContext) => boolean;
  text: (c: QuestionContext) => string;
}

/** Ways in to "what was said", shaped by what the argument was about. */
const WHAT_SAID_BY_TOPIC: Record<string, string> = {
  'silent-treatment': 'What was the last thing said between you before the silence started?',
  'lying-and-trust': 'How did you find out, and what did he say when you brought it up?',
  'respect-and-rudeness': 'What did he actually say, and what did you do in the moment?',
  'phone-and-screens': 'What did you say when you asked him to put it down, and what came back?',
  'grades-and-school': 'What was actually said between you about school, as near as you can remember it?',
  gaming: 'What did you say to him about the game, and what came back?',
  'siblings-and-fairness': 'What had happened just before he said it, and what did you say back?',
  'his-dads-rules': 'What does he actually say about his dad’s rules, and what do you say back?',
  'closer-to-his-dad': 'What does a good moment between him and his dad look like, and what happens when it’s you?',
  'hobbies-and-quitting': 'What reason has he given you for wanting to stop, in his words?',
  'pulling-away': 'What did he say, and what did you say or do in that moment?',
};

const WHAT_SAID = (c: QuestionContext) => (c.heated
  ? 'What were the last few things each of you said before it blew up?'
  : 'What did you say to him, and what did he say back, as near as you can remember it?');

const missing = (key: keyof FactValues) => (c: QuestionContext) => !c.facts[key];
const always = () => true;

/** Something happened she can tell about: a conflict topic, or how it ended. */
const hasIncident = (c: QuestionContext) => c.topicIds.length > 0 || Boolean(c.facts.ending) || Boolean(c.told);
/** Something was said between them that she can tell about. */
const hadWords = (c: QuestionContext) => hasIncident(c) && !c.notRaised;

const QUESTIONS: Question[] = [
  { id: 'what-happened', fits: (c) => !hasIncident(c), text: (c) => `What has been happening between you and ${c.him} lately? Tell me about the last time it went wrong.` },
  // After a lie, what he said is the lie itself; how she found out and raised it is still to hear.
  { id: 'what-said', fits: (c) => hadWords(c) && (!c.facts.he_said || c.topicIds[0] === 'lying-and-trust'), text: (c) => c.topicIds.map((t) => WHAT_SAID_BY_TOPIC[t]).find(Boolean) ?? WHAT_SAID(c) },
  { id: 'how-ended', fits: (c) => !c.facts.ending && hadWords(c) && c.heated !== false && !c.topicIds.includes('silent-treatment'), text: () => 'How did it end: did one of you walk away, or is it still hanging in the air between you?' },
  { id: 'not-raised', fits: (c) => Boolean(c.notRaised), text: (c) => `What do you most want ${c.him} to understand when you do bring it up?` },
  { id: 'feeling', fits: missing('feeling'), text: () => 'And you: how are you feeling about it now, a little while on?' },
  { id: 'name-age', fits: missing('son_name'), text: (c) => c.facts.son_age
    ? 'What’s your son’s name? It helps me keep him in mind.'
    : 'What’s your son’s name, and how old is he? It helps me keep him in mind.' },
  { id: 'wants', fits: missing('wants'), text: (c) => `If the next week went well, what would be different between you and ${c.him}?` },
  { id: 'tried', fits: missing('tried'), text: (c) => `What have you already tried with ${c.him}, even the things that didn’t work?` },
  { id: 'underneath', fits: always, text: (c) => (c.heated
    ? `What do you think was going on for ${c.him} underneath, before it boiled over?`
    : `What do you think might be going on for ${c.him} underneath all this?`) },
  { id: 'his-side', fits: always, text: (c) => `If ${c.he} told a friend about this, how do you think he’d describe it?` },
  { id: 'when-moment', fits: always, text: (c) => `When in the next day or two could you catch ${c.him} at an easy moment, say in the car, over food or late in the evening?` },
  { id: 'own-words', fits: always, text: () => 'How would you say that in your own words, so it sounds like you and not like a book?' },
  { id: 'hardest', fits: always, text: () => 'Which part of that feels hardest for you to do?' },
  { id: 'after', fits: always, text: (c) => `What did ${c.he} do after that?` },
  { id: 'noticed', fits: always, text: () => 'What did you notice in yourself while it was happening?' },
  { id: 'next-small', fits: always, text: () => 'What is one small thing you could do tomorrow to build on that?' },
  { id: 'safe-now', fits: always, text: () => 'Are you, and everyone at home, safe tonight?' },
  { id: 'who-first', fits: always, text: (c) => `Who could you contact first this week: your family doctor, ${c.him === 'him' ? 'his' : `${c.him}’s`} school counsellor, or a family therapist?` },
  { id: 'what-matters', fits: always, text: () => 'What feels most important to you right now?' },
];

/** The order questions are tried in at each stage; the first that fits and is new is asked. */
const ORDER: Record<CoachStage, string[]> = {
  welcome: ['what-said', 'how-ended'],
  open: ['what-said', 'how-ended', 'what-happened', 'not-raised', 'feeling', 'underneath'],
  gather: ['what-said', 'how-ended', 'what-happened', 'feeling', 'not-raised', 'name-age', 'wants', 'tried', 'underneath'],
  plan: ['when-moment', 'self', 'own-words', 'hardest', 'wants'],
  'follow-up': ['after', 'noticed', 'next-small', 'self', 'his-side'],
  deepen: ['self', 'underneath', 'his-side', 'tried', 'when-moment', 'hardest', 'next-small', 'what-matters'],
  urgent: ['safe-now', 'who-first', 'feeling', 'what-said', 'what-happened', 'tried', 'what-matters'],
};

export interface ChosenQuestion {
  id: string;
  text: string;
}

/** One question for this turn, never one she has already been asked while a new one fits. */
export function chooseQuestion(stage: CoachStage, c: QuestionContext): ChosenQuestion {
  const candidates = [...ORDER[stage], ...ORDER.deepen];
  for (const id of candidates) {
    const chosen = id === 'self' ? selfQuestion(c) : QUESTIONS.find((q) => q.id === id && q.fits(c)) && render(id, c);
    if (chosen && !c.asked.has(chosen.id)) return chosen;
  }
  const stillNew = QUESTIONS.filter((q) => q.fits(c) && !c.asked.has(q.id))[0];
  return stillNew ? render(stillNew.id, c)! : { id: 'what-matters', text: 'What feels most important to you right now?' };
}

function render(id: string, c: QuestionContext): ChosenQuestion | undefined {
  const q = QUESTIONS.find((x) => x.id === id);
  return q && { id, text: q.text(c) };
}

/** The step's own "A question to ask yourself", first question only: one question at a time. */
function selfQuestion(c: QuestionContext): ChosenQuestion | undefined {
  const body = c.step.sections.get('A question to ask yourself') ?? '';
  const question = body.split(/(?<=\?)\s+/).find((s) => s.trim().endsWith('?'))?.trim();
  const named = c.facts.son_name ? question?.replace(/\byour son\b/g, c.facts.son_name) : question;
  return named ? { id: `self:${c.step.id}`, text: named } : undefined;
}
