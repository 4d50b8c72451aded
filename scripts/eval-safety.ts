/**
 * `npm run eval:safety [file…]`: scores the shipped safety screen (rules alone, and rules with
 * the learned layer) on held-out messages it never trained on: training/heldout/safety-frozen.jsonl
 * by default, or the files named (a fresh batch before it joins training). Prints recall per
 * level, calm messages raised, and the confusion matrix.
 */
import { readJsonLines } from '../src/classify/index.js';
import { analyseMessage, analyseRulesOnly } from '../src/safety/screen.js';
import { SafetyTrainingLine } from '../src/safety/learned/training-line.js';
import { confusionTable, levelFigures } from './safety-figures.js';

const files = process.argv.slice(2).length ? process.argv.slice(2) : ['training/heldout/safety-frozen.jsonl'];
for (const file of files) {
  const lines = readJsonLines(file, SafetyTrainingLine);
  const rows = lines.map((l) => ({ text: l.text, truth: l.level, rules: analyseRulesOnly(l.text), both: analyseMessage(l.text) }));
  console.log(`\n${file} (${lines.length} messages)`);
  console.log(`  rules alone:     ${levelFigures(rows.map((r) => ({ truth: r.truth, said: r.rules.level })))}`);
  console.log(`  rules + learned: ${levelFigures(rows.map((r) => ({ truth: r.truth, said: r.both.level })))}`);
  console.log(confusionTable(rows.map((r) => ({ truth: r.truth, said: r.both.level }))));
  const subjectHits = lines.filter((l, i) => l.level !== 'calm' && rows[i]!.both.level !== 'calm' && rows[i]!.both.atRisk.includes(l.subject as never)).length;
  const raised = lines.filter((l, i) => l.level !== 'calm' && rows[i]!.both.level !== 'calm').length;
  console.log(`  kind of risk named among those raised: ${subjectHits}/${raised}`);
  if (process.argv.includes('--misses') || process.env.MISSES) {
    for (const r of rows) if (r.truth !== r.both.level) console.log(`  ${r.truth} → ${r.both.level}: ${r.text.slice(0, 110)}`);
  }
}
