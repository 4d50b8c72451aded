import { bulletsOf, chunkId, unquotePhrase, type KnowledgeDocument } from '../../knowledge/knowledge-base.js';
import type { Citation } from '../../protocol/frames.js';
import type { KindId } from './kinds.js';

/** The pages under knowledge/referral this flow quotes. */
export const REFERRAL_DOCS = {
  kinds: 'kinds-of-help',
  finding: 'finding-someone',
  firstCall: 'first-call',
  inviting: 'inviting-your-son',
  refuses: 'if-he-refuses',
  bring: 'what-to-bring',
  urgent: 'when-it-is-urgent',
} as const;

/** kinds-of-help.md has one `## ` section per kind; headings are matched loosely so a retitle does not break it. */
const KIND_HEADINGS: Record<KindId, RegExp> = {
  'family-therapist': /family therap/i,
  'adolescent-psychologist': /psycholog/i,
  'adolescent-psychiatrist': /psychiatr/i,
  'school-counsellor': /school/i,
  'family-doctor': /doctor|\bGP\b/,
  'substance-use': /substance|drug|alcohol/i,
  'domestic-violence': /violence|abuse/i,
};

export interface KnowledgeSection {
  heading: string;
  text: string;
  citation: Citation;
}

/** Read access to the referral pages, by page and heading, with the citation for each section. */
export class ReferralKnowledge {
  private readonly docs: Map<string, KnowledgeDocument>;

  constructor(documents: KnowledgeDocument[]) {
    this.docs = new Map(documents.filter((d) => d.kind === 'referral').map((d) => [d.id, d]));
  }

  kind(kind: KindId): KnowledgeSection | undefined {
    const doc = this.docs.get(REFERRAL_DOCS.kinds);
    const heading = doc && [...doc.sections.keys()].find((h) => KIND_HEADINGS[kind].test(h));
    return heading ? this.section(REFERRAL_DOCS.kinds, heading) : undefined;
  }

  /** A section whose heading starts with `heading` (case-insensitive). */
  section(docId: string, heading: string): KnowledgeSection | undefined {
    const doc = this.docs.get(docId);
    if (!doc) return undefined;
    const found = [...doc.sections.keys()].find((h) => h.toLowerCase().startsWith(heading.toLowerCase()));
    if (!found) return undefined;
    return { heading: found, text: doc.sections.get(found)!, citation: { id: chunkId(doc.id, found), stepId: 'seek-help', title: doc.title } };
  }

  bullets(docId: string, heading: string): string[] {
    const doc = this.docs.get(docId);
    const section = this.section(docId, heading);
    return doc && section ? bulletsOf(doc, section.heading) : [];
  }

  /** Lines she could say, without their quotation marks; the ones matching `prefer` first. */
  phrases(docId: string, prefer: RegExp[] = [], count = 2): string[] {
    const all = this.bullets(docId, 'Phrases you can use').map(unquotePhrase);
    const preferred = prefer.flatMap((p) => all.filter((line) => p.test(line)).slice(0, 1));
    return [...new Set([...preferred, ...all])].slice(0, count);
  }

  /** The `## ` headings of a page, in order (used to list what to think about before a session). */
  headings(docId: string): string[] {
    return [...(this.docs.get(docId)?.sections.keys() ?? [])];
  }

  /** The page's intro paragraph (before the first `## `), for a page-level summary. */
  intro(docId: string): string {
    const doc = this.docs.get(docId);
    return doc ? doc.markdown.split(/^## /m)[0]!.replace(/^# .*$/m, '').trim() : '';
  }

  title(docId: string): string | undefined {
    return this.docs.get(docId)?.title;
  }
}

/** The first sentences of a section, for a short description. */
export function firstSentences(text: string, count: number): string {
  const sentences = text.replace(/\s+/g, ' ').match(/[^.!?]+[.!?]+/g) ?? [text];
  return sentences.slice(0, count).join('').trim();
}
