import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jsonlFiles, readJsonLines, train } from '../../src/classify/index.js';
import { screenMessage } from '../../src/safety/index.js';
import { analyseMessage, analyseRulesOnly } from '../../src/safety/screen.js';
import { learnedScreen, SAFETY_MODEL_PATH } from '../../src/safety/learned/learned-screen.js';
import { SafetyTrainingLine } from '../../src/safety/learned/training-line.js';
import { levelAtLeast, type SafetyLevel } from '../../src/protocol/safety.js';

const FROZEN = 'training/heldout/safety-frozen.jsonl';
const RANK: Record<SafetyLevel, number> = { calm: 0, strained: 1, high: 2, crisis: 3 };

/**
 * The frozen held-out set: 420 messages written by someone who never saw the rules or the
 * training data, never trained on. The targets are crisis 100%, high ≥ 95%, strained
 * ≥ 85%, calm raised to high or crisis ≤ 3%, calm raised to strained ≤ 10%. The floors below
 * are what the shipped screen measured (README, "Safety figures"): a retrain that does worse
 * fails here. Crisis (98.4%) and calm raised to high or crisis (4.8%) are still short of the targets.
 * Strained fell from 94.0% to 90.5% (still above its target) when 1,900 ordinary and paired lines
 * joined training and cut false alarms on 840 ordinary coaching messages (crisis 13 to 8, high 41 to 34, strained 106 to 84).
 */
const FLOORS = { crisis: 0.98, high: 0.96, strained: 0.9, calmToHigh: 0.05, calmToStrained: 0.1 };

describe('the learned safety screen on the frozen held-out set', () => {
  const lines = readJsonLines(FROZEN, SafetyTrainingLine);
  const rows = lines.map((l) => ({ truth: l.level, said: analyseMessage(l.text).level, rules: analyseRulesOnly(l.text).level }));
  const recall = (level: SafetyLevel) => {
    const of = rows.filter((r) => r.truth === level);
    return of.filter((r) => RANK[r.said] >= RANK[level]).length / of.length;
  };
  const calm = rows.filter((r) => r.truth === 'calm');

  it('meets the measured floors for every level and for false alarms', () => {
    const crisisExact = rows.filter((r) => r.truth === 'crisis' && r.said === 'crisis').length / rows.filter((r) => r.truth === 'crisis').length;
    const figures = {
      crisis: crisisExact, high: recall('high'), strained: recall('strained'),
      calmToHigh: calm.filter((r) => levelAtLeast(r.said, 'high')).length / calm.length,
      calmToStrained: calm.filter((r) => r.said === 'strained').length / calm.length,
    };
    console.log('frozen held-out:', Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, `${(100 * v).toFixed(1)}%`])));
    expect(figures.crisis).toBeGreaterThanOrEqual(FLOORS.crisis);
    expect(figures.high).toBeGreaterThanOrEqual(FLOORS.high);
    expect(figures.strained).toBeGreaterThanOrEqual(FLOORS.strained);
    expect(figures.calmToHigh).toBeLessThanOrEqual(FLOORS.calmToHigh);
    expect(figures.calmToStrained).toBeLessThanOrEqual(FLOORS.calmToStrained);
  });

  it('catches far more than the rules alone, and never lowers what a rule found', () => {
    for (const r of rows) expect(RANK[r.said]).toBeGreaterThanOrEqual(RANK[r.rules]);
    const rulesCrisis = rows.filter((r) => r.truth === 'crisis' && r.rules === 'crisis').length;
    const bothCrisis = rows.filter((r) => r.truth === 'crisis' && r.said === 'crisis').length;
    expect(bothCrisis).toBeGreaterThan(rulesCrisis * 1.5);
  });

  it('is never trained on the frozen set', () => {
    const frozen = new Set(lines.map((l) => l.text));
    const training = new Set(jsonlFiles('training/safety').flatMap((f) => readJsonLines(f, SafetyTrainingLine)).map((l) => l.text));
    for (const text of frozen) expect(training.has(text)).toBe(false);
  });
});

describe('the learned screen in use', () => {
  it.each([
    ['the gun safe is open and the handgun is gone and so is he', 'crisis'],
    ['he drank something from under the sink and says his throat is burning', 'crisis'],
    ["my son just texted me 'tell dad i love him. im done.' and won't pick up", 'crisis'],
    ['I found pills hidden in his room and a note saying sorry', 'crisis'],
    ["he's threatening to kill me and he means it", 'crisis'],
    ["he wishes he just wouldn't wake up in the morning", 'high'],
    ['comes home smelling like alcohol most weekends, hes 15', 'high'],
    ["I don't want to die and I'm not suicidal, I just think about not being here a lot", 'high'],
    ['he and his dad got into an actual fist fight last night', 'high'],
    ['he has just been stabbed outside the chicken shop', 'crisis'],
    ["he's been cutting. again. fresh marks on his arm", 'high'],
  ] as const)('%s -> at least %s', (text, floor) => {
    expect(levelAtLeast(screenMessage(text).level, floor)).toBe(true);
  });

  it.each([
    'I could try talking to him in the car tomorrow.',
    'My son Jayden was lovely tonight and thanked me.',
    'how many paracetamol can he have in a day for a sore throat',
    'he killed it at his football match, scored twice',
    // The issue's own over-firing examples: a correction after a full stop, and a figure of speech.
    'hes been cutting. class I mean lol, cutting class',
    'when he said that it felt like my heart just got stabbed',
  ])('leaves an ordinary message calm: %s', (text) => {
    expect(screenMessage(text).level).toBe('calm');
  });

  it('says who is at risk and whether it is happening now', () => {
    const assessment = learnedScreen().assess('my boyfriend hit my son with a belt last night and left marks on his back');
    expect(assessment.subject).toBe('son-abused');
    expect(assessment.who).toBe('him');
  });

  it('is small, shipped in the repo, and fast', () => {
    expect(statSync(SAFETY_MODEL_PATH).size).toBeLessThan(20 * 1024 * 1024);
    const texts = readJsonLines(FROZEN, SafetyTrainingLine).map((l) => l.text);
    for (const t of texts) learnedScreen().assess(t);
    // CPU time, not the clock: other work on a shared two-core machine must not fail this.
    const started = process.cpuUsage();
    for (let r = 0; r < 5; r++) for (const t of texts) learnedScreen().assess(t);
    const used = process.cpuUsage(started);
    const perMessage = (used.user + used.system) / 1000 / (5 * texts.length);
    console.log(`learned screen: ${(perMessage * 1000).toFixed(1)} µs a message`);
    expect(perMessage).toBeLessThan(0.2);
  });

  it('trains deterministically: the same data and seed give the same model', () => {
    const examples = readJsonLines('training/safety/ordinary-medicine.jsonl', SafetyTrainingLine).slice(0, 20)
      .map((l, i) => ({ text: l.text, labels: { level: i % 2 ? 'calm' : 'high' } }));
    const options = { name: 't', heads: { level: { labels: ['calm', 'high'] } }, features: { bucketBits: 10, wordNgrams: 2, charMin: 3, charMax: 4 }, epochs: 3, learningRate: 0.5, l2: 1e-6, seed: 7 };
    const a = JSON.stringify(train(examples, options).toFile({ examples: 20, seed: 7, dataHash: 'x' }));
    const b = JSON.stringify(train(examples, options).toFile({ examples: 20, seed: 7, dataHash: 'x' }));
    expect(a).toBe(b);
  });
});
