import { Document } from '@langchain/core/documents';
import { BM25Retriever } from '@langchain/community/retrievers/bm25';
import { MarkdownTextSplitter } from '@langchain/textsplitters';
import type { KnowledgeDocument } from './knowledge-base.js';

export interface RetrievedChunk {
  /** `<document id>#<n>`: stable as long as the file does not change. */
  id: string;
  docId: string;
  kind: KnowledgeDocument['kind'];
  title: string;
  /** The step this chunk belongs to or supports most. */
  stepId?: string;
  text: string;
  score: number;
}

/** Keyword (BM25) retrieval over knowledge chunks: no embedding model needed. */
export class KnowledgeRetriever {
  private constructor(private readonly bm25: BM25Retriever) {}

  static async fromDocuments(documents: KnowledgeDocument[], k = 6): Promise<KnowledgeRetriever> {
    const splitter = new MarkdownTextSplitter({ chunkSize: 900, chunkOverlap: 0 });
    const chunks: Document[] = [];
    for (const doc of documents) {
      const header = `${doc.title}. ${doc.summary} ${doc.signs.join('. ')} ${doc.keywords.join(' ')}`;
      const parts = await splitter.splitText(doc.markdown);
      parts.forEach((text, n) => chunks.push(new Document({
        pageContent: `${header}\n${text}`,
        metadata: { id: `${doc.id}#${n}`, docId: doc.id, kind: doc.kind, title: doc.title, stepId: stepOf(doc), text },
      })));
    }
    return new KnowledgeRetriever(BM25Retriever.fromDocuments(chunks, { k, includeScore: true }));
  }

  async retrieve(query: string): Promise<RetrievedChunk[]> {
    if (!query.trim()) return [];
    const found = await this.bm25.invoke(query);
    return found.map((d) => ({
      id: d.metadata.id, docId: d.metadata.docId, kind: d.metadata.kind, title: d.metadata.title,
      stepId: d.metadata.stepId, text: d.metadata.text, score: Number(d.metadata.bm25Score ?? 0),
    }));
  }
}

function stepOf(doc: KnowledgeDocument): string | undefined {
  return doc.kind === 'step' ? doc.id : doc.steps[0];
}
