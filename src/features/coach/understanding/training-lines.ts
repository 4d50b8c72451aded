import { z } from 'zod';

/** Conflict topics: every page in knowledge/topics, plus `none`. Checked against the pages at start-up. */
export const INTENTS = ['vent', 'understand', 'repair', 'limit', 'plan', 'rehearse', 'check', 'help', 'question', 'greet', 'close'] as const;
export const FEELINGS = ['angry', 'hurt', 'sad', 'worried', 'guilty', 'exhausted', 'confused', 'hopeful', 'none'] as const;
export const ENDINGS = ['walked-out', 'slammed-door', 'shouting', 'silence', 'he-cried', 'she-cried', 'made-up', 'still-going', 'none'] as const;
export const ASKED = ['what-happened', 'how-it-ended', 'what-he-said', 'how-she-feels', 'what-tried', 'what-she-wants', 'his-age'] as const;

/** One line of training/coach/utterances-*.jsonl (see training/coach/LABELS.md). */
export const UtteranceLine = z.object({
  text: z.string().min(1),
  topic: z.string().min(1),
  intent: z.enum(INTENTS),
  feeling: z.enum(FEELINGS),
  ending: z.enum(ENDINGS),
}).strict();
export type UtteranceLine = z.infer<typeof UtteranceLine>;

/** One line of training/coach/questions-*.jsonl: a way of asking a question-bank entry, or `none`. */
export const QuestionLine = z.object({ text: z.string().min(1), question: z.string().min(1) }).strict();

/** One line of training/coach/answers-*.jsonl: her reply to Mend's question, and whether it answers it. */
export const AnswerLine = z.object({ asked: z.enum(ASKED), text: z.string().min(1), answers: z.boolean() }).strict();
export type AnswerLine = z.infer<typeof AnswerLine>;

/**
 * The answer classifier reads her words crossed with what Mend asked, so one linear model
 * learns "he walked out" answers how-it-ended but not his-age.
 */
export function answerText(asked: AnswerLine['asked'], text: string): string {
  const words = text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];
  return `${text} ${words.map((w) => `${asked.replace(/-/g, '')}q${w}`).join(' ')} asked${asked.replace(/-/g, '')}`;
}
