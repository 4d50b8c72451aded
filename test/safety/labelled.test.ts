import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { screenMessage } from '../../src/safety/index.js';
import { SafetyLevel } from '../../src/protocol/safety.js';

interface Labelled { text: string; level: SafetyLevel; note?: string }

const FILE = fileURLToPath(new URL('./labelled.jsonl', import.meta.url));
const SET: Labelled[] = readFileSync(FILE, 'utf8').split('\n').filter((l) => l.trim()).map((l, i) => {
  const row = JSON.parse(l) as Labelled;
  if (typeof row.text !== 'string' || !SafetyLevel.safeParse(row.level).success) throw new Error(`labelled.jsonl line ${i + 1} is malformed`);
  return row;
});
const LEVELS = SafetyLevel.options;
const ORDER = Object.fromEntries(LEVELS.map((l, i) => [l, i])) as Record<SafetyLevel, number>;

describe('labelled set', () => {
  const predicted = SET.map((row) => screenMessage(row.text, { rulesOnly: true }).level);
  const matrix = Object.fromEntries(LEVELS.map((a) => [a, Object.fromEntries(LEVELS.map((p) => [p, 0]))])) as Record<SafetyLevel, Record<SafetyLevel, number>>;
  SET.forEach((row, i) => { matrix[row.level][predicted[i]!]++; });
  const count = (level: SafetyLevel) => SET.filter((r) => r.level === level).length;
  const atLeast = (level: SafetyLevel) => SET.filter((r, i) => r.level === level && ORDER[predicted[i]!] >= ORDER[level]).length;
  const missed = (level: SafetyLevel) => SET.filter((r, i) => r.level === level && ORDER[predicted[i]!] < ORDER[level])
    .map((r, i) => `  [${r.level}] ${r.text}`);

  it('has enough messages at every level, and plenty of hard cases', () => {
    expect(SET.length).toBeGreaterThanOrEqual(320);
    expect(count('calm')).toBeGreaterThanOrEqual(120);
    expect(count('strained')).toBeGreaterThanOrEqual(70);
    expect(count('high')).toBeGreaterThanOrEqual(70);
    expect(count('crisis')).toBeGreaterThanOrEqual(60);
    expect(SET.filter((r) => r.note).length).toBeGreaterThanOrEqual(SET.length / 3);
  });

  it('prints the confusion matrix and meets the recall and false-alarm thresholds', () => {
    const pad = (s: string | number) => String(s).padStart(9);
    const table = [
      `${pad('label \\ got')}${LEVELS.map(pad).join('')}${pad('total')}`,
      ...LEVELS.map((a) => `${pad(a)}${LEVELS.map((p) => pad(matrix[a][p])).join('')}${pad(count(a))}`),
    ].join('\n');
    const crisisRecall = atLeast('crisis') / count('crisis');
    const highRecall = atLeast('high') / count('high');
    const strainedRecall = atLeast('strained') / count('strained');
    const calmFalseAlarm = (matrix.calm.high + matrix.calm.crisis) / count('calm');
    console.log(`\nSafety screen, labelled set (${SET.length} messages)\n${table}\n`
      + `crisis recall ${(crisisRecall * 100).toFixed(1)}% | high-or-above recall ${(highRecall * 100).toFixed(1)}% | `
      + `strained-or-above recall ${(strainedRecall * 100).toFixed(1)}% | calm scored high/crisis ${(calmFalseAlarm * 100).toFixed(1)}%`);
    const misses = [...missed('crisis'), ...missed('high'), ...missed('strained')];
    if (misses.length) console.log(`under-scored:\n${misses.join('\n')}`);

    expect(crisisRecall, 'crisis recall must be 100%').toBe(1);
    expect(highRecall, 'high recall (high or above)').toBeGreaterThanOrEqual(0.95);
    expect(strainedRecall, 'strained recall (strained or above)').toBeGreaterThanOrEqual(0.85);
    expect(calmFalseAlarm, 'calm messages scored high or crisis').toBeLessThanOrEqual(0.03);
  });

  it('screens the whole set 20 times at under 200 µs a message on average', () => {
    for (const row of SET.slice(0, 50)) screenMessage(row.text, { rulesOnly: true }); // warm up
    const rounds = 20;
    // CPU time, not the clock: other work on a shared two-core machine must not fail this.
    const start = process.cpuUsage();
    for (let r = 0; r < rounds; r++) for (const row of SET) screenMessage(row.text, { rulesOnly: true });
    const used = process.cpuUsage(start);
    const micros = (used.user + used.system) / (rounds * SET.length);
    console.log(`screening: ${micros.toFixed(1)} µs per message (${Math.round(1e6 / micros)} messages/second)`);
    expect(micros).toBeLessThan(200);
  });
});
