/**
 * `npm run train:safety`: trains the learned safety screen from training/safety/*.jsonl (and
 * the rules' labelled set, for the level head), picks its decision thresholds on three
 * disjoint tenths it holds back (each scored by a model trained without it), reports the
 * first tenth, then trains on everything and writes models/safety.json. No network;
 * deterministic for a seed. `--compare` measures several feature settings first, to pick the
 * model class by measurement.
 */
import { writeFileSync } from 'node:fs';
import { z } from 'zod';
import { dataHash, jsonlFiles, mulberry32, readJsonLines, shuffle, train, type Example, type FeatureConfig, type TextClassifier } from '../src/classify/index.js';
import { analyseRulesOnly } from '../src/safety/screen.js';
import { LearnedScreen, SAFETY_MODEL_PATH } from '../src/safety/learned/learned-screen.js';
import { SAFETY_HEADS, SafetyTrainingLine } from '../src/safety/learned/training-line.js';
import { levelAtLeast, maxLevel, SafetyLevel } from '../src/protocol/safety.js';
import { confusionTable, levelFigures } from './safety-figures.js';
import { QuestionLine, UtteranceLine } from '../src/features/coach/understanding/training-lines.js';

const SEED = 20261202;
/**
 * Words, word pairs and character 4-grams: measured with `--compare` on 2026-12-04 (batches
 * 01-12), as good as 3-5-grams on the held-back tenth (crisis 98.0% vs 96.7%, calm raised to
 * high 4.6% vs 5.2%) with about a third of the character features, so faster to screen.
 */
const FEATURES: FeatureConfig = { bucketBits: 18, wordNgrams: 2, charMin: 4, charMax: 4 };
const TRAINING = {
  epochs: Number(process.env.EPOCHS ?? 20), learningRate: Number(process.env.LR ?? 0.5), l2: Number(process.env.L2 ?? 1e-7),
};
const BALANCE = Number(process.env.BALANCE ?? 0.3);
const CALM_HIGH_COST = Number(process.env.CALM_HIGH_COST ?? 12);
/**
 * A crisis banner and emergency lines on an ordinary message ("a note on his pillow, what
 * should it say?") cost more than a suggestion to see a professional: she is frightened, and
 * she learns to ignore the banner.
 */
const CALM_CRISIS_COST = Number(process.env.CALM_CRISIS_COST ?? 20);
const MISSED_CRISIS_COST = Number(process.env.MISSED_CRISIS_COST ?? 30);
const CRISIS_AS_HIGH_COST = Number(process.env.CRISIS_AS_HIGH_COST ?? 12);
const MISSED_HIGH_COST = Number(process.env.MISSED_HIGH_COST ?? 20);
/**
 * As cheap as a missed strained: the goal allows more than three times as many false strained
 * (≤ 10%) as false high (≤ 3%), and at 5 the held-back strained recall fell to 80%.
 */
const CALM_STRAINED_COST = Number(process.env.CALM_STRAINED_COST ?? 2);

/** Thresholds are chosen on this many disjoint held-back tenths, each scored by a model trained without it. */
const THRESHOLD_FOLDS = Number(process.env.THRESHOLD_FOLDS ?? 3);
/** How close to the lowest cost a more sensitive setting may be and still win (see chooseThresholds). */
const NEAR_TIE = Number(process.env.NEAR_TIE ?? 0.01);

const RulesLine = z.object({ text: z.string(), level: SafetyLevel }).passthrough();

/** Question-bank entries about danger: their paraphrases are not ordinary calm messages. */
const RISKY_QUESTION = /die|suicid|self-harm|harm|hurt|hit|violen|police|drunk|drink|drug|vap|weed|eating|abuse|groom|scared|afraid|safe|knife|weapon|emergency|worry/;

/**
 * Ordinary coaching messages, most of what mothers send, so the model learns that "I could
 * try talking to him in the car tomorrow" is calm. Taken from the coach's own training
 * messages only where the rules find nothing, the coach label is not a request for help and
 * the topic and her feeling are not ones the safety labels often call strained; they teach the
 * level head only.
 */
/**
 * Coach topics whose messages are often strained by the safety labels (weeks of silence, a
 * punched wall, bullying, substances), and her exhaustion: too often not calm to be taught as calm.
 */
const NOT_ALWAYS_CALM: ReadonlySet<string> = new Set(['vaping-and-substances', 'silent-treatment', 'anger-and-slammed-doors', 'bullying']);

function ordinaryCalm(): Example[] {
  const utterances = jsonlFiles('training/coach', 'utterances-').flatMap((f) => readJsonLines(f, UtteranceLine))
    .filter((u) => u.intent !== 'help' && !NOT_ALWAYS_CALM.has(u.topic) && u.feeling !== 'exhausted').map((u) => u.text);
  const questions = jsonlFiles('training/coach', 'questions-').flatMap((f) => readJsonLines(f, QuestionLine))
    .filter((q) => !RISKY_QUESTION.test(q.question)).map((q) => q.text);
  return [...utterances, ...questions]
    .filter((text) => analyseRulesOnly(text).reasons.length === 0)
    .map((text) => ({ text, labels: { level: 'calm' } }));
}

function loadExamples(): Example[] {
  const full = jsonlFiles('training/safety').flatMap((f) => readJsonLines(f, SafetyTrainingLine));
  const rules = readJsonLines('test/safety/labelled.jsonl', RulesLine);
  return [
    ...full.map((l) => ({ text: l.text, labels: { level: l.level, subject: l.subject, who: l.who, now: l.now ? 'now' : 'not-now' } })),
    ...rules.map((l) => ({ text: l.text, labels: { level: l.level } })),
    ...ordinaryCalm(),
  ];
}

function fit(examples: Example[], features: FeatureConfig): TextClassifier {
  return train(examples, {
    name: 'safety', features, seed: SEED, ...TRAINING,
    heads: {
      level: { labels: SAFETY_HEADS.level, balance: BALANCE },
      subject: { labels: SAFETY_HEADS.subject, balance: 0.3 },
      who: { labels: SAFETY_HEADS.who, balance: 0.3 },
      now: { labels: SAFETY_HEADS.now },
    },
  });
}

/** The `fold`th tenth of each level held back (folds never overlap), drawn with the seed. */
function split(examples: Example[], fold = 0): { fit: Example[]; check: Example[] } {
  const random = mulberry32(SEED);
  const order = [...examples];
  shuffle(order, random);
  const check: Example[] = [];
  const fitSet: Example[] = [];
  const seen: Record<string, number> = {};
  const totals: Record<string, number> = {};
  for (const e of order) totals[e.labels.level!] = (totals[e.labels.level!] ?? 0) + 1;
  for (const e of order) {
    const level = e.labels.level!;
    const tenth = Math.round(totals[level]! / 10);
    const position = (seen[level] = (seen[level] ?? 0) + 1);
    (position > fold * tenth && position <= (fold + 1) * tenth ? check : fitSet).push(e);
  }
  return { fit: fitSet, check };
}

/**
 * What a wrong verdict costs: a missed crisis most, then a missed high, a false crisis or high
 * on a calm message (she is told to call a line over chores), a missed strained, and a false
 * strained least. The thresholds minimise this for rules and model together.
 */
function cost(truth: SafetyLevel, said: SafetyLevel): number {
  if (truth === said) return 0;
  if (truth === 'crisis') return said === 'high' ? CRISIS_AS_HIGH_COST : MISSED_CRISIS_COST;
  if (truth === 'high') return levelAtLeast(said, 'high') ? 0.5 : MISSED_HIGH_COST;
  if (truth === 'strained') return said === 'calm' ? 2 : 0.7;
  return said === 'crisis' ? CALM_CRISIS_COST : said === 'high' ? CALM_HIGH_COST : CALM_STRAINED_COST;
}

interface CheckRow { truth: SafetyLevel; rules: SafetyLevel; crisis: number; high: number; strained: number }

function checkRows(model: TextClassifier, check: Example[]): CheckRow[] {
  return check.map((e) => {
    const p = model.head('level', e.text).probabilities;
    return { truth: e.labels.level as SafetyLevel, rules: analyseRulesOnly(e.text).level, crisis: p.crisis!, high: p.crisis! + p.high!, strained: p.crisis! + p.high! + p.strained! };
  });
}

/**
 * The most sensitive crisis and high thresholds (lowest crisis, then high) among grid points
 * whose total cost over every held-back row is within NEAR_TIE of the lowest, with the
 * strained threshold that costs least beside them. The cost surface is flat near its
 * minimum, so a strict minimum jumps between distant settings when a few lines of data
 * change; among settings that cost about the same, safety prefers the one that raises more.
 */
function chooseThresholds(rows: CheckRow[]): Record<string, number> {
  const grid = Array.from({ length: 19 }, (_, i) => 0.05 * (i + 1));
  const points: Array<{ crisis: number; high: number; strained: number; total: number }> = [];
  for (const crisis of grid) for (const high of grid) for (const strained of grid) {
    let total = 0;
    for (const r of rows) {
      const learned: SafetyLevel = r.crisis >= crisis ? 'crisis' : r.high >= high ? 'high' : r.strained >= strained ? 'strained' : 'calm';
      total += cost(r.truth, maxLevel(r.rules, learned));
    }
    points.push({ crisis, high, strained, total });
  }
  const lowest = Math.min(...points.map((p) => p.total));
  const sensitive = points.find((p) => p.total <= lowest * (1 + NEAR_TIE))!;
  // Only crisis and high lean sensitive: a false strained shows her a counselling notice over an ordinary row.
  const { crisis, high, strained } = points.filter((p) => p.crisis === sensitive.crisis && p.high === sensitive.high)
    .reduce((best, p) => (p.total < best.total ? p : best));
  return Object.fromEntries(Object.entries({ crisis, high, strained }).map(([k, v]) => [k, Math.round(v * 100) / 100]));
}

function report(title: string, model: TextClassifier, check: Example[]): void {
  const screen = new LearnedScreen(model);
  const items = check.map((e) => ({ text: e.text, truth: e.labels.level as SafetyLevel }));
  const rows = items.map((i) => {
    const rules = analyseRulesOnly(i.text).level;
    return { truth: i.truth, rules, combined: maxLevel(rules, screen.assess(i.text).level) };
  });
  console.log(`\n${title} (${items.length} messages held back from training)`);
  console.log(`  rules alone:     ${levelFigures(rows.map((r) => ({ truth: r.truth, said: r.rules })))}`);
  console.log(`  rules + learned: ${levelFigures(rows.map((r) => ({ truth: r.truth, said: r.combined })))}`);
  console.log(confusionTable(rows.map((r) => ({ truth: r.truth, said: r.combined }))));
}

function main(): void {
  const started = Date.now();
  const examples = loadExamples();
  const { fit: fitSet, check } = split(examples);
  if (process.argv.includes('--compare')) {
    const settings: Array<[string, FeatureConfig]> = [
      ['words only', { bucketBits: 18, wordNgrams: 1, charMin: 0, charMax: 0 }],
      ['words + pairs', { bucketBits: 18, wordNgrams: 2, charMin: 0, charMax: 0 }],
      ['char 3-5 only', { bucketBits: 18, wordNgrams: 1, charMin: 3, charMax: 5 }],
      ['words + pairs + char 3-5 (2^16)', { ...FEATURES, bucketBits: 16, charMin: 3, charMax: 5 }],
      ['words + pairs + char 3-5 (2^18)', { ...FEATURES, charMin: 3, charMax: 5 }],
      ['words + pairs + char 2-6 (2^18)', { ...FEATURES, charMin: 2, charMax: 6 }],
      ['words + pairs + char 4 (2^18), shipped', FEATURES],
    ];
    for (const [name, features] of settings) {
      const model = fit(fitSet, features);
      report(`${name}`, model.withThresholds(chooseThresholds(checkRows(model, check))), check);
    }
  }
  const held = fit(fitSet, FEATURES);
  const rows = checkRows(held, check);
  for (let fold = 1; fold < THRESHOLD_FOLDS; fold++) {
    const other = split(examples, fold);
    rows.push(...checkRows(fit(other.fit, FEATURES), other.check));
  }
  const thresholds = chooseThresholds(rows);
  report(`Chosen model, thresholds ${JSON.stringify(thresholds)}`, held.withThresholds(thresholds), check);
  if (process.argv.includes('--dry')) return;
  const final = fit(examples, FEATURES).withThresholds(thresholds);
  const file = final.toFile({ examples: examples.length, seed: SEED, dataHash: dataHash(examples) });
  const json = JSON.stringify(file);
  writeFileSync(SAFETY_MODEL_PATH, `${json}\n`);
  console.log(`\nwrote ${SAFETY_MODEL_PATH}: ${examples.length} examples, ${(json.length / 1e6).toFixed(1)} MB, ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

main();
