import type { TextClassifier } from './text-classifier.js';

/** Per-label recall and the confusion matrix of one head, on labelled messages it did not train on. */
export interface HeadReport {
  total: number;
  accuracy: number;
  recall: Record<string, { correct: number; total: number }>;
  /** confusion[truth][predicted] = count */
  confusion: Record<string, Record<string, number>>;
}

export function evaluateHead(
  classifier: TextClassifier, head: string, items: Array<{ text: string; label: string }>,
  decide: (text: string) => string = (text) => classifier.head(head, text).label,
): HeadReport {
  const confusion: HeadReport['confusion'] = {};
  const recall: HeadReport['recall'] = {};
  let correct = 0;
  for (const { text, label } of items) {
    const predicted = decide(text);
    confusion[label] ??= {};
    confusion[label]![predicted] = (confusion[label]![predicted] ?? 0) + 1;
    recall[label] ??= { correct: 0, total: 0 };
    recall[label]!.total++;
    if (predicted === label) {
      recall[label]!.correct++;
      correct++;
    }
  }
  return { total: items.length, accuracy: items.length ? correct / items.length : 0, recall, confusion };
}
