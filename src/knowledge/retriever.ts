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

  private constructor(
    readonly documents: KnowledgeDocument[],
    private readonly chunks: Document<ChunkMeta>[],
    private readonly bm25: Bm25Index<ChunkMeta>,
    private readonly k: number,
    private readonly semantic?: EmbeddingIndex,
  ) {
    this.byDoc = new Map(documents.map((d) => [d.id, d]));
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
    const scored = await this.scoreChunks(query);
    const ranked = this.semantic ? await this.rerank(query, scored) : scored;
    return ranked.filter((c) => c.score > 0).slice(0, k);
  }

  /** Whole pages ranked for her words (keyword ranking only, so the guided coach stays deterministic). */
  async rankDocuments(query: string): Promise<RankedDocument[]> {
    const best = new Map<string, number>();
    for (const chunk of await this.bm25Scores(query)) {
      best.set(chunk.docId, Math.max(best.get(chunk.docId) ?? 0, chunk.score));
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

  private async scoreChunks(query: string): Promise<RetrievedChunk[]> {
    const queryTerms = new Set(termsOf(query));
    const boosts = new Map(this.documents.map((d) => [d.id, frontMatterBoost(d, queryTerms)]));
    return (await this.bm25Scores(query))
      .map((c) => {
        const prior = c.score > 0 && ACTIONABLE_SECTIONS.has(c.section) ? 0.3 : 0;
        return { ...c, score: c.score + (c.score > 0 ? boosts.get(c.docId) ?? 0 : 0) + prior };
      })
      .sort(byScoreThenId);
  }

  private async bm25Scores(query: string): Promise<RetrievedChunk[]> {
    const terms = uniqueTerms(query);
    if (terms.length === 0) return [];
    return [...this.bm25.score(terms)].map(([i, score]) => ({ ...this.chunks[i]!.metadata, score }));
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
