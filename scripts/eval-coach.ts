/**
 * `npm run eval:coach`: scores the shipped coach classifiers on the held-out files in
 * training/heldout (written by someone who never saw the training data; never trained on).
 * Utterance files named on the command line are scored instead of 08 and 09 (a fresh batch).
 */
import { evaluateHead, loadClassifier, readJsonLines } from '../src/classify/index.js';
import { AnswerLine, answerText, QuestionLine, UtteranceLine } from '../src/features/coach/understanding/training-lines.js';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const message = loadClassifier('models/coach-message.json');
const named = process.argv.slice(2);
const utteranceFiles = named.length ? named : ['training/heldout/coach-utterances-08.jsonl', 'training/heldout/coach-utterances-09.jsonl'];
for (const file of utteranceFiles) {
  const utterances = readJsonLines(file, UtteranceLine);
  for (const head of ['topic', 'intent', 'feeling', 'ending'] as const) {
    const report = evaluateHead(message, head, utterances.map((u) => ({ text: u.text, label: u[head] })));
    console.log(`${file} ${head}: ${pct(report.accuracy)} of ${report.total}`);
  }
}
const question = loadClassifier('models/coach-question.json');
for (const file of ['training/heldout/coach-questions.jsonl', 'training/heldout/coach-questions-02.jsonl']) {
  const questions = readJsonLines(file, QuestionLine);
  console.log(`${file} question: ${pct(evaluateHead(question, 'question', questions.map((q) => ({ text: q.text, label: q.question }))).accuracy)} of ${questions.length}`);
}
const answer = loadClassifier('models/coach-answer.json');
for (const file of ['training/heldout/coach-answers.jsonl', 'training/heldout/coach-answers-02.jsonl']) {
  const answers = readJsonLines(file, AnswerLine);
  console.log(`${file} answers: ${pct(evaluateHead(answer, 'answers', answers.map((a) => ({ text: answerText(a.asked, a.text), label: a.answers ? 'yes' : 'no' }))).accuracy)} of ${answers.length}`);
}
