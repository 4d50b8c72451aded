/**
 * `npm run eval:coach`: scores the shipped coach classifiers on the held-out files in
 * training/heldout (written by someone who never saw the training data; never trained on).
 */
import { evaluateHead, loadClassifier, readJsonLines } from '../src/classify/index.js';
import { AnswerLine, answerText, QuestionLine, UtteranceLine } from '../src/features/coach/understanding/training-lines.js';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const message = loadClassifier('models/coach-message.json');
for (const file of ['training/heldout/coach-utterances-02.jsonl', 'training/heldout/coach-utterances-03.jsonl']) {
  const utterances = readJsonLines(file, UtteranceLine);
  for (const head of ['topic', 'intent', 'feeling', 'ending'] as const) {
    const report = evaluateHead(message, head, utterances.map((u) => ({ text: u.text, label: u[head] })));
    console.log(`${file} ${head}: ${pct(report.accuracy)} of ${report.total}`);
  }
}
const question = loadClassifier('models/coach-question.json');
const questions = readJsonLines('training/heldout/coach-questions.jsonl', QuestionLine);
console.log(`question: ${pct(evaluateHead(question, 'question', questions.map((q) => ({ text: q.text, label: q.question }))).accuracy)} of ${questions.length}`);
const answer = loadClassifier('models/coach-answer.json');
const answers = readJsonLines('training/heldout/coach-answers.jsonl', AnswerLine);
console.log(`answers: ${pct(evaluateHead(answer, 'answers', answers.map((a) => ({ text: answerText(a.asked, a.text), label: a.answers ? 'yes' : 'no' }))).accuracy)} of ${answers.length}`);
