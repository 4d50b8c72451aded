import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { QuantisedHead } from './quantised-head.js';
import type { LinearHead } from './linear-head.js';
import { featuresOf, type FeatureConfig } from './text-features.js';

/** What one head says about a message: its best label, how sure it is, and every label's probability. */
export interface HeadPrediction {
  label: string;
  confidence: number;
  probabilities: Record<string, number>;
}

/**
 * Checked by length in fromFile rather than by a regular expression: the weights run to
 * megabytes, and a pattern over all of them was a tenth of the server's start-up. A stray
 * character changes the decoded length, which fromFile refuses.
 */
const Base64 = z.string();

/** The model file: the feature settings and, per head, its labels and int8-quantised weights. */
export const ClassifierFile = z.object({
  format: z.literal('mend-classifier'),
  version: z.literal(1),
  name: z.string(),
  trainedOn: z.object({ examples: z.number().int(), seed: z.number().int(), dataHash: z.string() }),
  features: z.object({
    bucketBits: z.number().int().min(8).max(24),
    wordNgrams: z.number().int().min(1).max(3),
    charMin: z.number().int().min(0).max(8),
    charMax: z.number().int().min(0).max(8),
  }),
  heads: z.record(z.string(), z.object({
    labels: z.array(z.string()).min(2),
    /** Per label: weight = int8 × scale. */
    scales: z.array(z.number()),
    bias: z.array(z.number()),
    weights: Base64,
  })),
  /** Decision thresholds chosen by the trainer on held-back data (e.g. the safety levels'). */
  thresholds: z.record(z.string(), z.number().min(0).max(1)).optional(),
}).strict();
export type ClassifierFile = z.infer<typeof ClassifierFile>;

export class ClassifierFileError extends Error {
  override name = 'ClassifierFileError';
}

/**
 * A trained text classifier with one or more heads over shared features (the safety screen's
 * level, who is at risk and whether it is happening now; the coach's topic, intent…). Its
 * weights are the int8 ones the file holds, so what is measured after training is what ships.
 */
export class TextClassifier {
  constructor(
    readonly name: string,
    readonly config: FeatureConfig,
    private readonly heads: ReadonlyMap<string, QuantisedHead>,
    readonly thresholds: Readonly<Record<string, number>> = {},
  ) {}

  get headNames(): readonly string[] {
    return [...this.heads.keys()];
  }

  features(text: string): Uint32Array {
    return featuresOf(text, this.config);
  }

  /** Every head's prediction; `features` lets a caller featurise once for several calls. */
  classify(text: string, features = this.features(text)): Record<string, HeadPrediction> {
    const out: Record<string, HeadPrediction> = {};
    for (const [name, head] of this.heads) out[name] = predict(head, features);
    return out;
  }

  head(name: string, text: string, features = this.features(text)): HeadPrediction {
    const head = this.heads.get(name);
    if (!head) throw new ClassifierFileError(`${this.name} has no head "${name}"`);
    return predict(head, features);
  }

  /** One head's raw probabilities in `labelsOf(name)` order: the allocation-free read for hot paths. */
  probabilities(name: string, features: Uint32Array): Float64Array {
    const head = this.heads.get(name);
    if (!head) throw new ClassifierFileError(`${this.name} has no head "${name}"`);
    return head.probabilities(features);
  }

  labelsOf(name: string): readonly string[] {
    const head = this.heads.get(name);
    if (!head) throw new ClassifierFileError(`${this.name} has no head "${name}"`);
    return head.labels;
  }

  toFile(trainedOn: ClassifierFile['trainedOn']): ClassifierFile {
    const heads: ClassifierFile['heads'] = {};
    for (const [name, { labels, scales, bias, weights }] of this.heads) {
      heads[name] = { labels: [...labels], scales: [...scales], bias: [...bias], weights: Buffer.from(weights.buffer, weights.byteOffset, weights.length).toString('base64') };
    }
    return { format: 'mend-classifier', version: 1, name: this.name, trainedOn, features: { ...this.config }, heads, thresholds: { ...this.thresholds } };
  }

  withThresholds(thresholds: Record<string, number>): TextClassifier {
    return new TextClassifier(this.name, this.config, this.heads, thresholds);
  }

  /** A freshly trained classifier, quantised as its file will be, so what is measured is what ships. */
  static fromTrained(name: string, config: FeatureConfig, heads: ReadonlyMap<string, LinearHead>): TextClassifier {
    return new TextClassifier(name, config, new Map([...heads].map(([head, h]) => [head, QuantisedHead.of(h)])));
  }

  static fromFile(file: ClassifierFile): TextClassifier {
    const buckets = 1 << file.features.bucketBits;
    const heads = new Map<string, QuantisedHead>();
    for (const [name, h] of Object.entries(file.heads)) {
      const k = h.labels.length;
      if (h.scales.length !== k || h.bias.length !== k) throw new ClassifierFileError(`${file.name}.${name}: scales and bias need one entry per label`);
      const bytes = Buffer.from(h.weights, 'base64');
      if (bytes.length !== buckets * k) throw new ClassifierFileError(`${file.name}.${name}: expected ${buckets * k} weights, found ${bytes.length}`);
      if (h.weights.length !== Math.ceil((buckets * k) / 3) * 4) throw new ClassifierFileError(`${file.name}.${name}: weights are not base64 of ${buckets * k} bytes`);
      heads.set(name, new QuantisedHead(h.labels, h.scales, h.bias, new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length)));
    }
    return new TextClassifier(file.name, file.features, heads, file.thresholds ?? {});
  }
}

/** Reads and validates a model file; a missing or malformed file is an error naming the file. */
export function loadClassifier(path: string): TextClassifier {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ClassifierFileError(`${path}: ${(error as Error).message}. Run \`npm run train\` to rebuild the models.`);
  }
  const parsed = ClassifierFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ClassifierFileError(`${path}: ${issue.path.join('.') || 'file'} ${issue.message}`);
  }
  return TextClassifier.fromFile(parsed.data);
}

function predict(head: QuantisedHead, features: Uint32Array): HeadPrediction {
  const p = head.probabilities(features);
  let best = 0;
  const probabilities: Record<string, number> = {};
  for (let j = 0; j < p.length; j++) {
    probabilities[head.labels[j]!] = p[j]!;
    if (p[j]! > p[best]!) best = j;
  }
  return { label: head.labels[best]!, confidence: p[best]!, probabilities };
}
