import type { KnowledgeDocument } from '../../knowledge/knowledge-base.js';
import { termsOf } from '../../knowledge/terms.js';
import { TopicMatcher } from '../../knowledge/topic-matcher.js';
import { loadCoachingFlow, type CoachingFlow } from './coaching-flow.js';

/** Bound on each memo: knowledge lines are a few thousand at most. */
const MEMO_ENTRIES = 20_000;

export const STEP_IDS = ['acknowledge', 'listen', 'calm', 'seek-help', 'positive', 'patience', 'love'] as const;
export type StepId = (typeof STEP_IDS)[number];

/** The knowledge files as the coach uses them: the seven steps in order, pages by id, topics. */
export class CoachKnowledge {
  readonly steps: KnowledgeDocument[];
  readonly topics: TopicMatcher;
  private readonly byId: Map<string, KnowledgeDocument>;
  private readonly stepTerms: Map<string, Map<string, number>>;
  private readonly idf: Map<string, number>;
  private readonly topicKeywords: Set<string>;
  private readonly spread: Map<string, number>;
  /** knowledge/coaching/flow.json, checked against these documents. */
  readonly flow: CoachingFlow;
  /** The knowledge never changes while the coach runs, so a line's step ranking is worked out once. */
  private readonly affinities = new Map<string, string[]>();
  private readonly topicTerms = new Map<string, Set<string>>();

  constructor(readonly documents: KnowledgeDocument[], flowPath?: string) {
    this.flow = loadCoachingFlow(documents, flowPath);
    this.byId = new Map(documents.map((d) => [d.id, d]));
    this.steps = documents.filter((d) => d.kind === 'step').sort((a, b) => (a.step ?? 99) - (b.step ?? 99));
    this.topics = new TopicMatcher(documents);
    // Only telling keywords ("swearing", "party", "xbox") mark a line as about something she has not said;
    // words used all through the knowledge ("time", "talk", "home", "school") do not.
    const spread = documentShare(documents);
    this.spread = spread;
    this.topicKeywords = new Set(documents.filter((d) => d.kind === 'topic').flatMap((d) => d.keywords.flatMap((k) => termsOf(k)))
      .filter((t) => (spread.get(t) ?? 0) <= EVERYDAY_SHARE && !EVERYDAY.has(t)));
    this.stepTerms = new Map(this.steps.map((s) => [s.id, counts(termsOf(actionableText(s)))]));
    const df = new Map<string, number>();
    for (const terms of this.stepTerms.values()) for (const t of terms.keys()) df.set(t, (df.get(t) ?? 0) + 1);
    this.idf = new Map([...df].map(([t, n]) => [t, Math.log(1 + this.steps.length / n)]));
  }

  /**
   * The steps a line of advice is closest to, best first, by the words it shares with each
   * step's page (weighted so that words every step uses count for little). Lets the coach
   * pick, from a topic's phrases, the one that carries the step it is recommending.
   */
  stepAffinity(text: string): string[] {
    let ranked = this.affinities.get(text);
    if (!ranked) {
      if (this.affinities.size >= MEMO_ENTRIES) this.affinities.clear();
      ranked = this.rankSteps(text);
      this.affinities.set(text, ranked);
    }
    return ranked.slice();
  }

  private rankSteps(text: string): string[] {
    const terms = [...new Set(termsOf(text))];
    return this.steps
      .map((s) => {
        const tf = this.stepTerms.get(s.id)!;
        return { id: s.id, score: terms.reduce((sum, t) => sum + (this.idf.get(t) ?? 0) * Math.log(1 + (tf.get(t) ?? 0)), 0) };
      })
      .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id))
      .map((s) => s.id);
  }

  /** A word most pages use ("want", "say", "time"): sharing it says nothing about fit. */
  isCommon(term: string): boolean {
    return (this.spread.get(term) ?? 0) > COMMON_SHARE;
  }

  doc(id: string): KnowledgeDocument | undefined {
    return this.byId.get(id);
  }

  step(id: string): KnowledgeDocument | undefined {
    const doc = this.byId.get(id);
    return doc?.kind === 'step' ? doc : undefined;
  }

  /**
   * How many conflict words (topic keywords: "swearing", "phone", "party") a line uses that
   * she has not: a script about swearing does not fit a mother whose son never swore.
   */
  unsaidKeywords(text: string, hers: ReadonlySet<string>, topicIds: readonly string[] = []): number {
    // "I'm not angry" is not about anger.
    const said = text.replace(/\b(?:not|never|no|won[’']t|don[’']t)\s+(?:going to\s+|gonna\s+)?[\w’']+/gi, ' ');
    const ours = this.keywordTermsOf(topicIds);
    // A word of the topic she is talking about ("homework" when it is about grades) counts half.
    return [...new Set(termsOf(said).filter((t) => this.topicKeywords.has(t) && !hers.has(t)))]
      .reduce((sum, t) => sum + (ours.has(t) ? 0.5 : 1), 0);
  }

  /** The terms of these topics' keywords, the same for every line a turn weighs. */
  private keywordTermsOf(topicIds: readonly string[]): Set<string> {
    const key = topicIds.join('\n');
    let terms = this.topicTerms.get(key);
    if (!terms) {
      if (this.topicTerms.size >= MEMO_ENTRIES) this.topicTerms.clear();
      terms = new Set(topicIds.flatMap((id) => this.byId.get(id)?.keywords.flatMap((k) => termsOf(k)) ?? []));
      this.topicTerms.set(key, terms);
    }
    return terms;
  }

  /** "Step 3 · Communicate calmly", the way replies and the terminal name a step. */
  stepLabel(id: string): string {
    const doc = this.step(id);
    if (!doc) return id;
    return doc.step ? `Step ${doc.step} · ${doc.title}` : doc.title;
  }

  /** Topic pages named in her topics fact (titles, or her own words after a correction). */
  topicDocs(label: string | undefined): KnowledgeDocument[] {
    return label ? this.topics.byLabel(label) : [];
  }
}

/** What a step asks of her, without its worked example: the words that say which step a line serves. */
function actionableText(step: KnowledgeDocument): string {
  const parts = ['What this step is', 'Practices', 'Phrases you can use'].map((h) => step.sections.get(h) ?? '');
  return [step.title, step.summary, ...step.keywords, ...step.signs, ...parts].join('\n');
}

/** A keyword on more than this share of all pages is an everyday word, not a sign of a topic. */
const EVERYDAY_SHARE = 0.4;
const COMMON_SHARE = 0.5;
/** Topic keywords that are everyday words in any line ("spoken to you like that", "last night"). */
const EVERYDAY = new Set(termsOf('speak spoken talk night tonight time home day week later going out help'));

function documentShare(documents: KnowledgeDocument[]): Map<string, number> {
  const n = new Map<string, number>();
  for (const doc of documents) for (const t of new Set(termsOf(doc.markdown))) n.set(t, (n.get(t) ?? 0) + 1);
  return new Map([...n].map(([t, c]) => [t, c / Math.max(documents.length, 1)]));
}

function counts(terms: string[]): Map<string, number> {
  const map = new Map<string, number>();
  for (const t of terms) map.set(t, (map.get(t) ?? 0) + 1);
  return map;
}
