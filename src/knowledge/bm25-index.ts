import { BaseRetriever } from '@langchain/core/retrievers';
import type { Document } from '@langchain/core/documents';

/**
 * Okapi BM25 over pre-tokenised documents, with an inverted index so a query only touches
 * the documents that contain its terms. It replaces LangChain community's BM25Retriever,
 * which rescanned every document's text per query (the largest cost in a turn, by profile).
 */
export class Bm25Index<M extends Record<string, unknown>> extends BaseRetriever<M> {
  lc_namespace = ['mend', 'knowledge'];
  private readonly postings = new Map<string, Array<{ doc: number; tf: number }>>();
  private readonly lengths: number[];
  private readonly averageLength: number;

  constructor(
    private readonly documents: Document<M>[],
    private readonly tokensOf: (doc: Document<M>) => string[],
    private readonly k1 = 1.2,
    private readonly b = 0.75,
  ) {
    super();
    this.lengths = documents.map((doc, i) => this.index(i, tokensOf(doc)));
    this.averageLength = this.lengths.reduce((a, n) => a + n, 0) / Math.max(1, documents.length);
  }

  /** Scores per document index, for every document sharing at least one term with the query. */
  score(queryTerms: readonly string[]): Map<number, number> {
    const scores = new Map<number, number>();
    for (const term of new Set(queryTerms)) {
      const postings = this.postings.get(term);
      if (!postings) continue;
      const idf = Math.log(1 + (this.documents.length - postings.length + 0.5) / (postings.length + 0.5));
      for (const { doc, tf } of postings) {
        const norm = tf + this.k1 * (1 - this.b + (this.b * this.lengths[doc]!) / this.averageLength);
        scores.set(doc, (scores.get(doc) ?? 0) + (idf * tf * (this.k1 + 1)) / norm);
      }
    }
    return scores;
  }

  /** LangChain retriever interface: the query is whitespace-separated terms. */
  override async _getRelevantDocuments(query: string): Promise<Document<M>[]> {
    return [...this.score(query.split(/\s+/).filter(Boolean))]
      .sort((a, b) => b[1] - a[1])
      .map(([i, bm25Score]) => ({ ...this.documents[i]!, metadata: { ...this.documents[i]!.metadata, bm25Score } }));
  }

  private index(doc: number, tokens: string[]): number {
    const counts = new Map<string, number>();
    for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
    for (const [term, tf] of counts) {
      const list = this.postings.get(term) ?? [];
      list.push({ doc, tf });
      this.postings.set(term, list);
    }
    return tokens.length;
  }
}
