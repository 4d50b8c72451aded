import { fileURLToPath } from 'node:url';
import { loadClassifier, type HeadPrediction, type TextClassifier } from '../../../classify/index.js';
import { answerText, type AnswerLine } from './training-lines.js';

const model = (name: string) => fileURLToPath(new URL(`../../../../models/${name}.json`, import.meta.url));

/**
 * How sure a classifier must be before the coach acts on what it read. Below these, Mend
 * asks or offers choices instead of guessing (the figures are in README, "Guided coach").
 */
export const CONFIDENCE = { topic: 0.6, intent: 0.45, feeling: 0.5, ending: 0.6, question: 0.35, answers: 0.6 } as const;

/** What the coach understood of one message: each reading with how sure it is, or undefined when unsure. */
export interface Understanding {
  topic: string | undefined;
  intent: string | undefined;
  feeling: string | undefined;
  ending: string | undefined;
  /** The question-bank entry her question matches, if one matches well enough. */
  question: string | undefined;
  /** How sure the matcher is that her question is one the bank does not cover. */
  outsideBank: number;
  /** She asked something (the intent reads as a question, or it ends in a question mark). */
  asks: boolean;
  /** Whether she is answering the question Mend asked last (undefined when Mend asked none). */
  answersLast: boolean | undefined;
  confidence: Record<'topic' | 'intent' | 'question', number>;
}

export class CoachUnderstanding {
  constructor(private readonly message: TextClassifier, private readonly questions: TextClassifier, private readonly answers: TextClassifier) {}

  static load(): CoachUnderstanding {
    return new CoachUnderstanding(loadClassifier(model('coach-message')), loadClassifier(model('coach-question')), loadClassifier(model('coach-answer')));
  }

  read(text: string, asked?: AnswerLine['asked']): Understanding {
    const read = this.message.classify(text);
    const intent = sure(read.intent!, CONFIDENCE.intent);
    const asks = intent === 'question' || /\?\s*$/.test(text.trim());
    const question = asks ? this.questions.head('question', text) : undefined;
    const answers = asked ? this.answers.head('answers', answerText(asked, text)) : undefined;
    return {
      topic: sure(read.topic!, CONFIDENCE.topic),
      intent,
      feeling: sure(read.feeling!, CONFIDENCE.feeling),
      ending: sure(read.ending!, CONFIDENCE.ending),
      question: question ? sure(question, CONFIDENCE.question) : undefined,
      outsideBank: question?.probabilities.none ?? 0,
      asks,
      answersLast: answers ? answers.label === 'yes' && answers.confidence >= CONFIDENCE.answers : undefined,
      confidence: { topic: read.topic!.confidence, intent: read.intent!.confidence, question: question?.confidence ?? 0 },
    };
  }
}

/** The label when the head is sure enough and it names something ("none" never counts). */
function sure(p: HeadPrediction, min: number): string | undefined {
  return p.confidence >= min && p.label !== 'none' ? p.label : undefined;
}

let shared: CoachUnderstanding | undefined;

/** The shipped models, loaded once; a missing or malformed file stops the app with its name. */
export function coachUnderstanding(): CoachUnderstanding {
  shared ??= CoachUnderstanding.load();
  return shared;
}
