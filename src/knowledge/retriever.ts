import { Document } from '@langchain/core/documents';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { MarkdownTextSplitter } from '@langchain/textsplitters';
import { chunkId, type KnowledgeDocument } from './knowledge-base.js';
import { EmbeddingIndex } from './embedding-index.js';
import { Bm25Index } from './bm25-index.js';
import { termsOf, uniqueTerms } from './terms.js';

export interface RetrievedChunk {
  /** `<document id>#<section slug>`: stable as long as the heading does not change. */
  id: string;
  docId: string;
  kind: KnowledgeDocument['kind'];
  title: string;
  /** The `## ` heading the chunk came from ("intro" for text before the first heading). */
  section: string;
  /** The step this chunk belongs to or supports most. */
  stepId?: string;
  text: string;
  score: number;
}

export interface RankedDocument {
  doc: KnowledgeDocument;
  /** Best chunk's keyword score plus the front-matter boost. */
  score: number;
  /** The part of the score that came from front matter (signs, keywords, applies_when). */
  boost: number;
}

export interface RetrieverOptions {
  /** Chunks returned by `retrieve`. */
  k?: number;
  /**
   * Optional semantic ranking (any LangChain embeddings, e.g. OpenAICompatibleEmbeddings).
   * Keyword ranking always runs; embeddings only reorder, and are skipped while they fail.
   */
  embeddings?: EmbeddingsInterface;
}

type ChunkMeta = Omit<RetrievedChunk, 'score'>;
/** A chunk by its index in the retriever, with its score for one query. */
interface ScoredChunk { index: number; score: number }

const MAX_SECTION_CHARS = 1400;
/** Sections that hold things she can say or do: a small nudge, so advice beats background. */
const ACTIONABLE_SECTIONS = new Set(['Phrases you can use', 'What helps', 'Practices', 'How to do it']);

/**
 * Retrieval over knowledge/: each `## ` section is a chunk, ranked by BM25 (a LangChain retriever, indexed) over
 * stemmed terms, then boosted when her words echo a page's front matter (the `signs` a
 * mother might say, its `keywords`, its `applies_when`).
 */
export class KnowledgeRetriever {
  private readonly byDoc: Map<string, KnowledgeDocument>;
  /** Each chunk's place in id order: ties in score break by id without comparing strings per turn. */
  private readonly idRank: number[];

  private constructor(
    readonly documents: KnowledgeDocument[],
    private readonly chunks: Document<ChunkMeta>[],
    private readonly bm25: Bm25Index<ChunkMeta>,
    private readonly k: number,
    private readonly semantic?: EmbeddingIndex,
  ) {
    this.byDoc = new Map(documents.map((d) => [d.id, d]));
    const byId = chunks.map((c, i) => ({ id: c.metadata.id, i })).sort((a, b) => a.id.localeCompare(b.id));
    this.idRank = new Array<number>(chunks.length);
    byId.forEach(({ i }, rank) => { this.idRank[i] = rank; });
  }

  static async fromDocuments(documents: KnowledgeDocument[], options: RetrieverOptions | number = {}): Promise<KnowledgeRetriever> {
    const { k = 6, embeddings } = typeof options === 'number' ? { k: options } : options;
    const chunks = (await Promise.all(documents.map(chunksOf))).flat();
    const bm25 = new Bm25Index(chunks, (c) => c.pageContent.split(' ').filter(Boolean));
    const semantic = embeddings ? new EmbeddingIndex(embeddings, chunks.map((c) => `${c.metadata.title}: ${c.metadata.text}`)) : undefined;
    return new KnowledgeRetriever(documents, chunks, bm25, k, semantic);
  }

  document(id: string): KnowledgeDocument | undefined {
    return this.byDoc.get(id);
  }

  /** The best chunks for her words, each with the step it supports. */
  async retrieve(query: string, k = this.k): Promise<RetrievedChunk[]> {
    const scored = this.scoreChunks(query);
    if (this.semantic) return (await this.rerank(query, scored.map((c) => this.withScore(c)))).filter((c) => c.score > 0).slice(0, k);
    return scored.filter((c) => c.score > 0).slice(0, k).map((c) => this.withScore(c));
  }

  /** Whole pages ranked for her words (keyword ranking only, so the guided coach stays deterministic). */
  async rankDocuments(query: string): Promise<RankedDocument[]> {
    const best = new Map<string, number>();
    for (const [index, score] of this.bm25Scores(query)) {
      const { docId } = this.chunks[index]!.metadata;
      best.set(docId, Math.max(best.get(docId) ?? 0, score));
    }
    const queryTerms = new Set(termsOf(query));
    return this.documents
      .map((doc) => {
        const boost = frontMatterBoost(doc, queryTerms);
        return { doc, boost, score: (best.get(doc.id) ?? 0) + boost };
      })
      .filter((r) => r.score > 0)
      .sort((a, b) => b.score - a.score || a.doc.id.localeCompare(b.doc.id));
  }

  /** A chunk by id, for citing the exact section a reply quoted. */
  chunk(id: string): RetrievedChunk | undefined {
    const found = this.chunks.find((c) => c.metadata.id === id);
    return found && { ...found.metadata, score: 0 };
  }

  /**
   * Every chunk sharing a term with her words, best first, as chunk indexes: whole chunks are
   * copied out only for the few a turn keeps (copying hundreds per turn was a turn's largest cost).
   */
  private scoreChunks(query: string): ScoredChunk[] {
    const queryTerms = new Set(termsOf(query));
    const boosts = new Map<string, number>();
    const boostOf = (doc: string) => {
      let boost = boosts.get(doc);
      if (boost === undefined) boosts.set(doc, (boost = frontMatterBoost(this.byDoc.get(doc)!, queryTerms)));
      return boost;
    };
    const scored: ScoredChunk[] = [];
    for (const [index, bm25] of this.bm25Scores(query)) {
      const { docId, section } = this.chunks[index]!.metadata;
      const prior = bm25 > 0 && ACTIONABLE_SECTIONS.has(section) ? 0.3 : 0;
      scored.push({ index, score: bm25 + (bm25 > 0 ? boostOf(docId) : 0) + prior });
    }
    return scored.sort((a, b) => b.score - a.score || this.idRank[a.index]! - this.idRank[b.index]!);
  }

  private bm25Scores(query: string): Map<number, number> {
    const terms = uniqueTerms(query);
    return terms.length === 0 ? new Map() : this.bm25.score(terms);
  }

  private withScore(c: ScoredChunk): RetrievedChunk {
    return { ...this.chunks[c.index]!.metadata, score: c.score };
  }

  /** Blends keyword and semantic rank; if the embeddings endpoint fails, keyword order stands. */
  private async rerank(query: string, scored: RetrievedChunk[]): Promise<RetrievedChunk[]> {
    const similarity = await this.semantic!.similarities(query);
    if (!similarity) return scored;
    const top = Math.max(...scored.map((c) => c.score), 1e-9);
    const indexOf = new Map(this.chunks.map((c, i) => [c.metadata.id, i]));
    return scored
      .map((c) => ({ ...c, score: 0.6 * (c.score / top) + 0.4 * Math.max(0, similarity[indexOf.get(c.id)!] ?? 0) }))
      .sort(byScoreThenId);
  }
}

const byScoreThenId = (a: RetrievedChunk, b: RetrievedChunk) => b.score - a.score || a.id.localeCompare(b.id);

async function chunksOf(doc: KnowledgeDocument): Promise<Document<ChunkMeta>[]> {
  const splitter = new MarkdownTextSplitter({ chunkSize: MAX_SECTION_CHARS, chunkOverlap: 0 });
  const parts: Array<{ section: string; id: string; text: string }> = [];
  for (const [section, body] of sectionEntries(doc)) {
    const pieces = body.length > MAX_SECTION_CHARS ? await splitter.splitText(body) : [body];
    pieces.forEach((text, n) => parts.push({ section, id: `${chunkId(doc.id, section)}${n > 0 ? `-${n + 1}` : ''}`, text }));
  }
  return parts.map(({ section, id, text }) => new Document<ChunkMeta>({
    pageContent: termsOf(`${doc.title} ${section} ${text}`).join(' '),
    metadata: { id, docId: doc.id, kind: doc.kind, title: doc.title, section, stepId: stepOf(doc), text },
  }));
}

function sectionEntries(doc: KnowledgeDocument): Array<[string, string]> {
  const intro = doc.markdown.split(/^## /m)[0]!.replace(/^# .*$/m, '').trim();
  return [...(intro ? [['intro', intro] as [string, string]] : []), ...doc.sections].filter(([, body]) => body.trim());
}

function stepOf(doc: KnowledgeDocument): string | undefined {
  return doc.kind === 'step' ? doc.id : doc.steps[0];
}

/**
 * Front matter is written for exactly this: `signs` are things a mother says, `keywords`
 * are her likely words, `applies_when` describes the situation. A near-match of a sign is
 * strong evidence the page fits; keywords add a little each.
 */
export function frontMatterBoost(doc: KnowledgeDocument, queryTerms: ReadonlySet<string>): number {
  if (queryTerms.size === 0) return 0;
  const terms = frontMatterTerms(doc);
  let boost = 0;
  for (const sign of terms.signs) boost += signStrength(sign, queryTerms) * 2;
  for (const when of terms.appliesWhen) boost += signStrength(when, queryTerms);
  let keywordHits = 0;
  for (const t of terms.keywords) if (queryTerms.has(t)) keywordHits++;
  return Math.min(boost, 7) + Math.min(keywordHits * 0.5, 3);
}

/** Front matter never changes while Mend runs, so its terms are worked out once per page. */
const frontMatterCache = new WeakMap<KnowledgeDocument, { signs: string[][]; appliesWhen: string[][]; keywords: Set<string> }>();
function frontMatterTerms(doc: KnowledgeDocument) {
  let terms = frontMatterCache.get(doc);
  if (!terms) {
    terms = {
      signs: doc.signs.map(uniqueTerms).filter((t) => t.length > 0),
      appliesWhen: doc.applies_when.map(uniqueTerms).filter((t) => t.length > 0),
      keywords: new Set(doc.keywords.flatMap((k) => uniqueTerms(k))),
    };
    frontMatterCache.set(doc, terms);
  }
  return terms;
}

function signStrength(phraseTerms: string[], queryTerms: ReadonlySet<string>): number {
  let hits = 0;
  for (const t of phraseTerms) if (queryTerms.has(t)) hits++;
  if (hits === 0) return 0;
  const share = hits / phraseTerms.length;
  if (share === 1) return 1.5;
  return share >= 0.6 && hits >= 2 ? share : 0;
}
