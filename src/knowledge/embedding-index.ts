import type { EmbeddingsInterface } from '@langchain/core/embeddings';

/** After a failure, keyword-only ranking for this long before trying the endpoint again. */
const RETRY_AFTER_MS = 60_000;

/**
 * Chunk vectors, computed on first use and kept; a query is compared by cosine similarity.
 * Any failure (endpoint down, wrong model, bad shape) yields `null` so retrieval carries on
 * with keywords alone rather than failing her turn.
 */
export class EmbeddingIndex {
  private vectors?: Promise<number[][]>;
  private failedAt = -Infinity;

  constructor(
    private readonly embeddings: EmbeddingsInterface,
    private readonly texts: string[],
    private readonly now: () => number = Date.now,
  ) {}

  async similarities(query: string): Promise<number[] | null> {
    if (this.now() - this.failedAt < RETRY_AFTER_MS) return null;
    try {
      this.vectors ??= this.embeddings.embedDocuments(this.texts);
      const [vectors, q] = await Promise.all([this.vectors, this.embeddings.embedQuery(query)]);
      if (vectors.length !== this.texts.length) throw new Error('embeddings returned the wrong number of vectors');
      return vectors.map((v) => cosine(v, q));
    } catch {
      this.vectors = undefined;
      this.failedAt = this.now();
      return null;
    }
  }
}

export function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}
