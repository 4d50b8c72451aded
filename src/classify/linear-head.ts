/**
 * One softmax layer over hashed features: a weight per (bucket, label) and a bias per label.
 * Every feature present counts 1/√n, so long and short messages are on the same scale.
 */
export class LinearHead {
  constructor(
    readonly labels: readonly string[],
    readonly weights: Float32Array, // bucket-major: weights[bucket * labels.length + label]
    readonly bias: Float32Array,
  ) {}

  static empty(labels: readonly string[], buckets: number): LinearHead {
    return new LinearHead(labels, new Float32Array(buckets * labels.length), new Float32Array(labels.length));
  }

  /** Probability of each label, in `labels` order. */
  probabilities(features: Uint32Array): Float64Array {
    const k = this.labels.length;
    const scores = new Float64Array(k);
    for (let j = 0; j < k; j++) scores[j] = this.bias[j]!;
    const scale = features.length ? 1 / Math.sqrt(features.length) : 0;
    for (let f = 0; f < features.length; f++) {
      const base = features[f]! * k;
      for (let j = 0; j < k; j++) scores[j]! += this.weights[base + j]! * scale;
    }
    return softmax(scores);
  }
}

export function softmax(scores: Float64Array): Float64Array {
  let max = -Infinity;
  for (const s of scores) if (s > max) max = s;
  let sum = 0;
  for (let j = 0; j < scores.length; j++) {
    scores[j] = Math.exp(scores[j]! - max);
    sum += scores[j]!;
  }
  for (let j = 0; j < scores.length; j++) scores[j]! /= sum;
  return scores;
}
