import { bulletsOf, chunkId, type KnowledgeDocument } from '../../knowledge/knowledge-base.js';
import { TopicMatcher } from '../../knowledge/topic-matcher.js';
import type { Citation } from '../../protocol/frames.js';

/** A bullet in a knowledge page, found by how it begins, so edits elsewhere in the page don't move it. */
export interface KnowledgeRef {
  doc: string;
  heading: string;
  startsWith: string;
  /** Quote only this sentence of the bullet (-1: the last, where a pitfall says what to do instead). */
  sentence?: number;
}

export interface Quote {
  text: string;
  citation: Citation;
}

/**
 * The knowledge files as rehearsal and the draft check use them: step labels ("Step 3 ·
 * Communicate calmly"), single bullets to quote, and which conflict topic a scene is about.
 */
export class RehearsalKnowledge {
  private readonly byId: Map<string, KnowledgeDocument>;
  private readonly topics: TopicMatcher;

  constructor(readonly documents: KnowledgeDocument[]) {
    this.byId = new Map(documents.map((d) => [d.id, d]));
    this.topics = new TopicMatcher(documents);
  }

  doc(id: string): KnowledgeDocument | undefined {
    return this.byId.get(id);
  }

  stepLabel(stepId: string): string {
    const step = this.byId.get(stepId);
    return step?.kind === 'step' ? `Step ${step.step} · ${step.title}` : stepId;
  }

  /** The bullet's words without Markdown; a pitfall's bold title is dropped, leaving its advice. */
  quote(ref: KnowledgeRef): Quote | undefined {
    const doc = this.byId.get(ref.doc);
    if (!doc) return undefined;
    const wanted = ref.startsWith.toLowerCase();
    const bullet = bulletsOf(doc, ref.heading).find((b) => plain(b).toLowerCase().startsWith(wanted) || titleOf(b).toLowerCase().startsWith(wanted));
    if (!bullet) return undefined;
    const advice = adviceOf(bullet);
    return { text: ref.sentence === undefined ? advice : sentenceOf(advice, ref.sentence), citation: this.citation(doc, ref.heading) };
  }

  /** Every bullet of a section, plain; for the debrief's practices. */
  bullets(docId: string, heading: string): Quote[] {
    const doc = this.byId.get(docId);
    if (!doc) return [];
    return bulletsOf(doc, heading).map((b) => ({ text: adviceOf(b), citation: this.citation(doc, heading) }));
  }

  /** The conflict topic (knowledge/topics) a scene is about, if any. */
  topicOf(text: string): KnowledgeDocument | undefined {
    return this.topics.match(text)[0]?.doc;
  }

  citation(doc: KnowledgeDocument, heading: string): Citation {
    const stepId = doc.kind === 'step' ? doc.id : doc.steps[0];
    return { id: chunkId(doc.id, heading), title: doc.title, ...(stepId ? { stepId } : {}) };
  }
}

function plain(bullet: string): string {
  return bullet.replace(/\*\*/g, '').replace(/^"(.*)"$/, '$1').trim();
}

function titleOf(bullet: string): string {
  return /^\*\*(.+?)\*\*/.exec(bullet)?.[1]?.replace(/^"|"$/g, '') ?? '';
}

function sentenceOf(text: string, index: number): string {
  const sentences = text.match(/[^.!?]+[.!?]+["”]?(?=\s|$)/g)?.map((x) => x.trim()) ?? [text];
  return sentences.at(index) ?? text;
}

function adviceOf(bullet: string): string {
  const afterTitle = bullet.replace(/^\*\*.+?\*\*\s*/, '');
  return plain(afterTitle || bullet);
}
