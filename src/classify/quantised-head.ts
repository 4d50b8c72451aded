import { softmax, type LinearHead } from './linear-head.js';

/**
 * One trained head as the model file keeps it: per label, weight = int8 × scale. Scoring
 * sums the int8 weights of the message's features and scales once per label at the end, so
 * the table stays a quarter of its float size in memory and reads cost the same.
 */
export class QuantisedHead {
  constructor(
    readonly labels: readonly string[],
    readonly scales: readonly number[],
    readonly bias: readonly number[],
    /** Bucket-major: weights[bucket * labels.length + label]. */
    readonly weights: Int8Array,
  ) {}

  /** Float weights to int8 with one scale per label (each label's largest weight maps to 127). */
  static of(head: LinearHead): QuantisedHead {
    const k = head.labels.length;
    const scales = new Array<number>(k).fill(0);
    for (let i = 0; i < head.weights.length; i++) scales[i % k] = Math.max(scales[i % k]!, Math.abs(head.weights[i]!));
    for (let j = 0; j < k; j++) scales[j] = scales[j]! / 127 || 1;
    const weights = new Int8Array(head.weights.length);
    for (let i = 0; i < weights.length; i++) weights[i] = Math.round(head.weights[i]! / scales[i % k]!);
    return new QuantisedHead([...head.labels], scales, Array.from(head.bias), weights);
  }

  /**
   * Probability of each label, in `labels` order; every feature counts 1/√n, as in training.
   * One pass per label keeps its sum in a register; the message's rows are in cache after the first.
   */
  probabilities(features: Uint32Array): Float64Array {
    const k = this.labels.length;
    const weights = this.weights;
    const n = features.length;
    const scale = n ? 1 / Math.sqrt(n) : 0;
    const scores = new Float64Array(k);
    for (let j = 0; j < k; j++) {
      let sum = 0;
      for (let f = 0; f < n; f++) sum += weights[features[f]! * k + j]!;
      scores[j] = this.bias[j]! + this.scales[j]! * sum * scale;
    }
    return softmax(scores);
  }
}
