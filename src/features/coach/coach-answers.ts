import type { QuestionBank } from '../../knowledge/question-bank.js';
import { levelAtLeast, type SafetyLevel } from '../../protocol/safety.js';
import type { QuickReply } from '../../protocol/frames.js';
import type { CoachMove } from './coach-planner.js';
import type { Understanding } from './understanding/coach-understanding.js';

/**
 * Her direct question, answered from the question bank when an entry matches well enough;
 * a question that matches nothing gets an honest "I can't answer that well" instead of a
 * pretend answer. At high or crisis the safety reply leads, so no answer is planned.
 */
export function answerFor(understood: Understanding, bank: QuestionBank, level: SafetyLevel, earlierReplies: readonly string[]): CoachMove['answer'] {
  if (!understood.asks || levelAtLeast(level, 'high')) return undefined;
  const entry = understood.question ? bank.get(understood.question) : undefined;
  // Answered already in this conversation: coaching carries on rather than saying it twice.
  if (entry && earlierReplies.some((r) => r.includes(firstSentence(entry.answer)))) return undefined;
  if (entry) return { entry: { id: entry.id, question: entry.question, answer: entry.answer, professional: entry.professional } };
  // A question nothing in the bank matches, unless it is part of coaching ("what do I say?"): said plainly, not guessed.
  const plainQuestion = understood.intent === 'question' || understood.intent === undefined;
  const outside = understood.outsideBank >= OUTSIDE_BANK && !COACHING_INTENTS.has(understood.intent ?? '');
  if (!plainQuestion && !outside) return undefined;
  return { again: earlierReplies.some((r) => r.includes(CANNOT_ANSWER_MARK)) };
}

function firstSentence(text: string): string {
  return text.split(/(?<=[.!?])\s+/)[0] ?? text;
}

/** Intents that are coaching, even when they end in a question mark. */
const COACHING_INTENTS: ReadonlySet<string> = new Set(['plan', 'rehearse', 'check', 'help', 'repair', 'limit']);
/** How sure the matcher must be that a question is outside the bank to say so for a non-question intent. */
const OUTSIDE_BANK = 0.5;

/** Words of the honest "I can't answer that" reply, to say it differently the second time. */
export const CANNOT_ANSWER_MARK = 'can’t answer that one well';

const PRACTISE: QuickReply = { label: 'Practise what to say', mode: 'rehearse' };
const CHECK: QuickReply = { label: 'Check a message before I send it', mode: 'draft' };
const COUNSELLOR: QuickReply = { label: 'Find a counsellor', mode: 'referral' };
const ENDINGS: QuickReply[] = [
  { label: 'He walked out', text: 'It ended with him walking out.' },
  { label: 'We were both shouting', text: 'It ended with us both shouting.' },
  { label: 'He went silent', text: 'He went silent and stopped talking to me.' },
];
const FEELINGS: QuickReply[] = [
  { label: 'I’m angry', text: 'I’m angry.' },
  { label: 'I’m hurt', text: 'I’m hurt.' },
  { label: 'I’m worried about him', text: 'I’m worried about him.' },
];

/**
 * Two to four tappable replies that fit the moment: how it ended or how she feels while
 * Mend is still hearing the story, then the next things she can do. Free text always works too.
 */
export function quickRepliesFor(move: CoachMove, facts: { ending?: string; feeling?: string }, understood: Understanding | undefined): QuickReply[] {
  if (move.stage === 'urgent') return [COUNSELLOR];
  // Story choices only where they answer the question just asked.
  const asks = move.question.text;
  const story = !facts.ending && !understood?.ending && /\bend(?:ed)?\b/i.test(asks) ? ENDINGS.slice(0, 2)
    : !facts.feeling && !understood?.feeling && /\bfeel/i.test(asks) ? FEELINGS.slice(0, 2) : [];
  const next = move.answer ? [PRACTISE, COUNSELLOR] : move.stage === 'welcome' ? [PRACTISE, CHECK] : [PRACTISE, CHECK, COUNSELLOR];
  return [...story, ...next].slice(0, 4);
}
