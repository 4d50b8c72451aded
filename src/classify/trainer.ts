import { createHash } from 'node:crypto';
import { LinearHead } from './linear-head.js';
import { TextClassifier } from './text-classifier.js';
import { featuresOf, type FeatureConfig } from './text-features.js';

/** One training message and its label for each head (a head may be left out for a message). */
export interface Example {
  text: string;
  labels: Record<string, string>;
}

export interface HeadSpec {
  labels: readonly string[];
  /** Weight each label's examples by (largest class / this class)^balance: 0 = none, 1 = full. */
  balance?: number;
}

export interface TrainOptions {
  name: string;
  heads: Record<string, HeadSpec>;
  features: FeatureConfig;
  epochs: number;
  learningRate: number;
  /** L2 penalty per update, scaled by the learning rate. */
  l2: number;
  seed: number;
}

/**
 * Trains every head by stochastic gradient descent on the softmax loss, one pass over the
 * examples per epoch in an order drawn from `seed`, with a learning rate that falls linearly
 * to zero. The same data, options and seed always give the same model.
 */
export function train(examples: Example[], options: TrainOptions): TextClassifier {
  const buckets = 1 << options.features.bucketBits;
  const rows = examples.map((e) => ({ features: featuresOf(e.text, options.features), labels: e.labels }));
  const heads = new Map<string, LinearHead>();
  for (const [name, spec] of Object.entries(options.heads)) {
    heads.set(name, fitHead(name, spec, rows, buckets, options));
  }
  return TextClassifier.fromTrained(options.name, options.features, heads);
}

function fitHead(
  name: string, spec: HeadSpec, rows: Array<{ features: Uint32Array; labels: Record<string, string> }>,
  buckets: number, options: TrainOptions,
): LinearHead {
  const index = new Map(spec.labels.map((l, i) => [l, i]));
  const data = rows.flatMap((r) => {
    const label = r.labels[name];
    if (label === undefined) return [];
    const y = index.get(label);
    if (y === undefined) throw new Error(`${options.name}.${name}: unknown label "${label}"`);
    return [{ features: r.features, y }];
  });
  const weightOf = classWeights(data.map((d) => d.y), spec.labels.length, spec.balance ?? 0);
  const head = LinearHead.empty(spec.labels, buckets);
  const k = spec.labels.length;
  const random = mulberry32(options.seed);
  const order = data.map((_, i) => i);
  const total = options.epochs * data.length;
  let step = 0;
  const grad = new Float64Array(k);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffle(order, random);
    for (const i of order) {
      const { features, y } = data[i]!;
      const rate = options.learningRate * (1 - step++ / total);
      const p = head.probabilities(features);
      const w = weightOf[y]!;
      for (let j = 0; j < k; j++) grad[j] = (p[j]! - (j === y ? 1 : 0)) * w;
      const scale = features.length ? 1 / Math.sqrt(features.length) : 0;
      const decay = 1 - rate * options.l2;
      for (const f of features) {
        const base = f * k;
        for (let j = 0; j < k; j++) head.weights[base + j] = head.weights[base + j]! * decay - rate * grad[j]! * scale;
      }
      for (let j = 0; j < k; j++) head.bias[j]! -= rate * grad[j]!;
    }
  }
  return head;
}

function classWeights(ys: number[], k: number, balance: number): number[] {
  const counts = new Array<number>(k).fill(0);
  for (const y of ys) counts[y]!++;
  const largest = Math.max(...counts);
  return counts.map((c) => (c ? (largest / c) ** balance : 1));
}

/** A small seeded generator: training must not depend on Math.random. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: T[], random: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}

/** A fingerprint of the training data, stored in the model so a stale model can be told apart. */
export function dataHash(examples: Example[]): string {
  const h = createHash('sha256');
  for (const e of examples) h.update(`${e.text}\u0000${JSON.stringify(e.labels)}\n`);
  return h.digest('hex').slice(0, 16);
}
