import { sentencesOf } from '../../text/sentences.js';
import { z } from 'zod';
import { stateSlot } from '../../store/state-slot.js';
import type { TopicMatcher } from '../../knowledge/topic-matcher.js';
import type { ConversationStore } from '../../store/conversation-store.js';
import type { ModeState } from '../../chat/mode.js';
import {
  extractFacts, FACT_KEYS, FACT_LABELS, FACT_MAX_CHARS, LIST_FACTS, LIST_LIMIT,
  type Fact, type FactKey, type FactValues,
} from './facts.js';

const StoredFact = z.object({
  value: z.string(),
  /** `corrected`: she set it herself; her correction wins over anything read from later messages. */
  source: z.enum(['said', 'corrected']),
});
const StoredFacts = z.partialRecord(z.enum(FACT_KEYS), StoredFact);
type StoredFacts = z.infer<typeof StoredFacts>;

export const RollingSummary = z.object({
  text: z.string(),
  /** Messages up to and including this sequence number are folded into `text`. */
  throughSeq: z.number().int(),
});
export type RollingSummary = z.infer<typeof RollingSummary>;

const FACTS_SLOT = stateSlot('memory.facts', 1, StoredFacts);
const SUMMARY_SLOT = stateSlot('memory.summary', 1, RollingSummary);

/**
 * What Mend remembers in one conversation: facts she has told it (visible and correctable
 * through /api/conversations/:id/memory) and the rolling summary of older turns.
 */
export class ConversationMemory {
  constructor(private readonly state: ModeState) {}

  facts(): Fact[] {
    const stored = this.stored();
    return FACT_KEYS.filter((k) => stored[k]).map((key) => ({ key, label: FACT_LABELS[key], value: stored[key]!.value }));
  }

  values(): FactValues {
    return Object.fromEntries(this.facts().map((f) => [f.key, f.value])) as FactValues;
  }

  /** Reads facts from her new message; returns the keys that changed. */
  learn(text: string, topics?: Pick<TopicMatcher, 'match'>): FactKey[] {
    const stored = this.stored();
    const changed: FactKey[] = [];
    for (const [key, value] of Object.entries(extractFacts(text, topics)) as Array<[FactKey, string]>) {
      const current = stored[key];
      const next = LIST_FACTS.has(key) ? mergeList(key as 'topics' | 'tried', current?.value, value) : value;
      if (current?.source === 'corrected' && !LIST_FACTS.has(key)) continue;
      if (current?.value === next) continue;
      stored[key] = { value: next, source: current?.source ?? 'said' };
      changed.push(key);
    }
    if (changed.length) this.state.write(FACTS_SLOT, stored);
    return changed;
  }

  /** A fact the coach's classifiers understood (how she feels, how it ended), kept unless she already said it. */
  note(key: 'feeling' | 'ending', value: string): boolean {
    const stored = this.stored();
    if (stored[key]) return false;
    stored[key] = { value, source: 'said' };
    this.state.write(FACTS_SLOT, stored);
    return true;
  }

  /** Her corrections; an empty value forgets the fact. Earlier summaries are brought in line. */
  correct(updates: Array<{ key: FactKey; value: string }>): void {
    const stored = this.stored();
    for (const { key, value } of updates) {
      const clean = value.trim().slice(0, FACT_MAX_CHARS);
      const previous = stored[key]?.value;
      if (clean) stored[key] = { value: clean, source: 'corrected' };
      else delete stored[key];
      if (previous && previous !== clean) this.scrubSummary(key, previous, clean);
    }
    this.state.write(FACTS_SLOT, stored);
  }

  forget(key: FactKey): void {
    this.correct([{ key, value: '' }]);
  }

  summary(): RollingSummary | undefined {
    return this.state.read(SUMMARY_SLOT);
  }

  setSummary(summary: RollingSummary): void {
    this.state.write(SUMMARY_SLOT, summary);
  }

  private stored(): StoredFacts {
    return { ...(this.state.read(FACTS_SLOT) ?? {}) };
  }

  /**
   * A corrected or forgotten fact must not live on in the summary: his old name becomes the
   * new one (or "her son"); other old details are dropped with the sentence that held them.
   */
  private scrubSummary(key: FactKey, previous: string, replacement: string): void {
    const summary = this.summary();
    if (!summary?.text.toLowerCase().includes(previous.toLowerCase())) return;
    const escaped = previous.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const text = key === 'son_name'
      ? summary.text.replace(new RegExp(`\\b${escaped}\\b`, 'gi'), replacement || 'her son')
      : sentencesOf(summary.text).filter((s) => !s.toLowerCase().includes(previous.toLowerCase())).join('\n');
    this.setSummary({ ...summary, text });
  }
}

function mergeList(key: 'topics' | 'tried', current: string | undefined, added: string): string {
  const separator = key === 'topics' ? ', ' : '; ';
  const items = [...(current ? current.split(separator) : []), ...added.split(separator)];
  const unique = items.filter((item, i) => items.findIndex((x) => x.toLowerCase() === item.toLowerCase()) === i);
  return unique.slice(-LIST_LIMIT[key]).join(separator).slice(0, FACT_MAX_CHARS);
}
