/**
 * `npm run train:coach`: trains the guided coach's classifiers from training/coach (topic,
 * intent, feeling and ending of her message; which question-bank entry a question matches;
 * whether she is answering Mend's last question), reports a tenth held back from each, then
 * trains on everything and writes models/coach-*.json. No network; deterministic for a seed.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dataHash, evaluateHead, jsonlFiles, mulberry32, readJsonLines, shuffle, train, type Example, type FeatureConfig, type HeadSpec, type TextClassifier } from '../src/classify/index.js';
import { loadKnowledgeDocuments } from '../src/knowledge/knowledge-base.js';
import { QuestionBank } from '../src/knowledge/question-bank.js';
import { AnswerLine, answerText, ENDINGS, FEELINGS, INTENTS, QuestionLine, UtteranceLine } from '../src/features/coach/understanding/training-lines.js';

const SEED = 20261202;
const FEATURES: FeatureConfig = { bucketBits: 16, wordNgrams: 2, charMin: 3, charMax: 5 };
/**
 * Her message's heads: character 4-grams only, so whole words weigh more against spelling
 * fragments, and twice the passes. Measured on the four held-out files of 2026-12-03 (before
 * they joined training): topic 87.9% on average, against 86.6% with 3-5-grams and 20 passes.
 */
const MESSAGE_FEATURES: FeatureConfig = { ...FEATURES, charMin: 4, charMax: 4 };
const MESSAGE_OPTIONS = { epochs: 40, learningRate: 1, l2: 1e-7, seed: SEED };
/** The question head has one label per bank entry: fewer buckets keep its file small. */
const QUESTION_FEATURES: FeatureConfig = { ...FEATURES, bucketBits: 14 };
const OPTIONS = { epochs: 20, learningRate: 0.5, l2: 1e-7, seed: SEED };
const MODELS = fileURLToPath(new URL('../models/', import.meta.url));

const pageIds = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.md') && f !== 'README.md').map((f) => f.replace(/\.md$/, '')).sort();
const TOPICS = [...pageIds('knowledge/topics'), 'none'];
const QUESTIONS = [...pageIds('knowledge/questions'), 'none'];

function heldBack(examples: Example[], head: string): { fit: Example[]; check: Example[] } {
  const order = [...examples];
  shuffle(order, mulberry32(SEED));
  const check = order.filter((_, i) => i % 10 === 0);
  return { fit: order.filter((_, i) => i % 10 !== 0), check: check.filter((e) => e.labels[head] !== undefined) };
}

function build(name: string, examples: Example[], heads: Record<string, HeadSpec>, features = FEATURES, options = OPTIONS): void {
  for (const head of Object.keys(heads)) {
    const { fit, check } = heldBack(examples, head);
    const model = train(fit, { name, heads: { [head]: heads[head]! }, features, ...options });
    const report = evaluateHead(model, head, check.map((e) => ({ text: e.text, label: e.labels[head]! })));
    console.log(`${name}.${head}: ${(100 * report.accuracy).toFixed(1)}% on ${report.total} held back`);
  }
  const model: TextClassifier = train(examples, { name, heads, features, ...options });
  const json = JSON.stringify(model.toFile({ examples: examples.length, seed: SEED, dataHash: dataHash(examples) }));
  writeFileSync(`${MODELS}${name}.json`, `${json}\n`);
  console.log(`wrote models/${name}.json (${examples.length} examples, ${(json.length / 1e6).toFixed(1)} MB)`);
}

const utterances = jsonlFiles('training/coach', 'utterances-').flatMap((f) => readJsonLines(f, UtteranceLine));
for (const u of utterances) if (!TOPICS.includes(u.topic)) throw new Error(`unknown topic "${u.topic}" in training/coach: no knowledge/topics/${u.topic}.md`);
/** Each topic page's own "signs" (phrases mothers use) teach the topic head too. */
const documents = loadKnowledgeDocuments();
const signs = documents.filter((d) => d.kind === 'topic').flatMap((d) => d.signs.map((text) => ({ text, labels: { topic: d.id } })));
build('coach-message', [...utterances.map((u) => ({ text: u.text, labels: { topic: u.topic, intent: u.intent, feeling: u.feeling, ending: u.ending } })), ...signs], {
  topic: { labels: TOPICS, balance: 0.3 }, intent: { labels: INTENTS, balance: 0.3 }, feeling: { labels: FEELINGS, balance: 0.3 }, ending: { labels: ENDINGS, balance: 0.3 },
}, MESSAGE_FEATURES, MESSAGE_OPTIONS);

const questions = jsonlFiles('training/coach', 'questions-').flatMap((f) => readJsonLines(f, QuestionLine));
for (const q of questions) if (!QUESTIONS.includes(q.question)) throw new Error(`unknown question "${q.question}": no knowledge/questions/${q.question}.md`);
const bank = QuestionBank.load(documents).entries.map((e) => ({ text: e.question, labels: { question: e.id } }));
build('coach-question', [...questions.map((q) => ({ text: q.text, labels: { question: q.question } })), ...bank], { question: { labels: QUESTIONS } }, QUESTION_FEATURES);

const answers = jsonlFiles('training/coach', 'answers-').flatMap((f) => readJsonLines(f, AnswerLine));
build('coach-answer', answers.map((a) => ({ text: answerText(a.asked, a.text), labels: { answers: a.answers ? 'yes' : 'no' } })), { answers: { labels: ['yes', 'no'] } });

