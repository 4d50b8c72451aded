import type { KnowledgeDocument } from './knowledge-base.js';
import { phraseOverlap, termsOf, uniqueTerms } from './terms.js';

export interface TopicMatch {
  doc: KnowledgeDocument;
  score: number;
}

/** A topic counts when its evidence reaches this: one telling keyword, or a few ordinary ones. */
const THRESHOLD = 0.7;

/**
 * Which conflict topics (knowledge/topics) her words are about, from each topic's keywords
 * and signs. A keyword counts for less when several topics share it ("door", "room") and
 * when it is an everyday word all through the knowledge files ("talk", "time"), so only
 * telling words ("grades", "tiktok", "lied") name a topic on their own.
 */
export class TopicMatcher {
  private readonly weights: Map<string, number>;
  private readonly spread: Map<string, number>;
  private readonly topics: KnowledgeDocument[];

  constructor(documents: KnowledgeDocument[]) {
    this.topics = documents.filter((d) => d.kind === 'topic');
    const owners = new Map<string, number>();
    for (const topic of this.topics) {
      for (const term of keywordTerms(topic)) owners.set(term, (owners.get(term) ?? 0) + 1);
    }
    this.spread = documentFrequency(documents);
    this.weights = new Map([...owners].map(([term, n]) => [term, specificity(this.spread.get(term) ?? 0) / n]));
  }

  /** Topics she is talking about, best first; weak, incidental matches are left out. */
  match(text: string): TopicMatch[] {
    const terms = new Set(termsOf(withoutHerFeelings(text)));
    const subject = subjectTerms(text);
    const scored = this.topics
      .map((doc) => ({ doc, score: this.score(doc, terms) + (this.score(doc, subject) > 0 ? SUBJECT_BONUS : 0) }))
      .filter((m) => m.score >= THRESHOLD)
      .sort((a, b) => b.score - a.score || a.doc.id.localeCompare(b.doc.id));
    const top = scored[0]?.score ?? 0;
    return scored.filter((m) => m.score >= top * 0.5);
  }

  /** The topics a free-text label names (her correction "school, phones" → grades-and-school, phone-and-screens). */
  byLabel(label: string): KnowledgeDocument[] {
    const found = label.split(/[,;]/).map((part) => this.closest(part.trim().toLowerCase()));
    return [...new Set(found.filter((d): d is KnowledgeDocument => Boolean(d)))];
  }

  private closest(part: string): KnowledgeDocument | undefined {
    if (!part) return undefined;
    const exact = this.topics.find((t) => t.title.toLowerCase() === part);
    if (exact) return exact;
    const terms = new Set(termsOf(part));
    const best = this.topics
      .map((doc) => ({ doc, score: this.score(doc, terms) + uniqueTerms(doc.title).filter((t) => terms.has(t)).length }))
      .sort((a, b) => b.score - a.score || a.doc.id.localeCompare(b.doc.id))[0];
    return best && best.score > 0 ? best.doc : undefined;
  }

  private score(doc: KnowledgeDocument, terms: ReadonlySet<string>): number {
    let score = 0;
    for (const term of keywordTerms(doc)) if (terms.has(term)) score += this.weights.get(term) ?? 0;
    for (const sign of doc.signs) if (this.signMatches(sign, terms)) score += 1.5;
    return score;
  }

  /** Most of a sign's words, including at least one that is not everyday ("said" and "friend" alone are not enough). */
  private signMatches(sign: string, terms: ReadonlySet<string>): boolean {
    const { share, hits } = phraseOverlap(sign, terms);
    if (share < 0.75 || hits < 2) return false;
    return hits >= 3 || uniqueTerms(sign).some((t) => terms.has(t) && specificity(this.spread.get(t) ?? 0) >= 0.7);
  }
}

/**
 * Her own feelings are not his topic: "I'm so angry" is not about his temper, and "I'm
 * embarrassed for him" is not about him being embarrassed by her. The feeling word is left out.
 */
const HER_FEELING = /\b(I(?:[’']m| am| was| feel| felt| get| got)(?: (?:so|really|just|a bit|a little|quite|very|absolutely|completely|totally|still|also|both))*) ([a-z]+)(?: and ([a-z]+))?/gi;
function withoutHerFeelings(text: string): string {
  return text.replace(HER_FEELING, (_m, lead: string) => lead);
}

const keywordTermsOf = new WeakMap<KnowledgeDocument, Set<string>>();
function keywordTerms(doc: KnowledgeDocument): Set<string> {
  let terms = keywordTermsOf.get(doc);
  if (!terms) {
    terms = new Set([...doc.keywords.flatMap((k) => uniqueTerms(k)), ...uniqueTerms(doc.title)]);
    keywordTermsOf.set(doc, terms);
  }
  return terms;
}

/**
 * Words right after "about" or "over" ("when I asked about his grades", "a row over chores")
 * name what the argument was about, as opposed to how it went (a slammed door).
 */
const SUBJECT_BONUS = 0.5;
function subjectTerms(text: string): Set<string> {
  const spans = [...text.matchAll(/\b(?:about|over)\s+((?:[\w’']+\s+){0,2}[\w’']+)/gi)].map((m) => m[1]!);
  return new Set(spans.flatMap((span) => termsOf(span)));
}

/** Share of all knowledge pages whose text uses each term. */
function documentFrequency(documents: KnowledgeDocument[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const doc of documents) for (const term of new Set(uniqueTerms(doc.markdown))) counts.set(term, (counts.get(term) ?? 0) + 1);
  return new Map([...counts].map(([term, n]) => [term, n / Math.max(documents.length, 1)]));
}

function specificity(share: number): number {
  if (share <= 0.2) return 1;
  return share <= 0.4 ? 0.7 : 0.35;
}
