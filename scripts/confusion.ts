/**
 * `tsx scripts/confusion.ts <file.jsonl> [head]`: per-label recall and the most common
 * confusions of the coach message classifier on a labelled file (for reading misses).
 */
import { evaluateHead, loadClassifier, readJsonLines } from '../src/classify/index.js';
import { UtteranceLine } from '../src/features/coach/understanding/training-lines.js';

const [file = 'training/heldout/coach-utterances-08.jsonl', head = 'topic'] = process.argv.slice(2);
const message = loadClassifier('models/coach-message.json');
const lines = readJsonLines(file, UtteranceLine);
const report = evaluateHead(message, head, lines.map((u) => ({ text: u.text, label: u[head as 'topic'] })));
console.log(`${head}: ${(100 * report.accuracy).toFixed(1)}% of ${report.total}`);
for (const [label, r] of Object.entries(report.recall).sort((a, b) => a[1].correct / a[1].total - b[1].correct / b[1].total)) {
  const wrong = Object.entries(report.confusion[label] ?? {}).filter(([p]) => p !== label).sort((a, b) => b[1] - a[1]).slice(0, 3);
  console.log(`${label.padEnd(28)} ${r.correct}/${r.total}  ${wrong.map(([p, n]) => `${p}×${n}`).join(' ')}`);
}
