import { z } from 'zod';
import type { KnownName } from '../llm/chat-model.js';
import { mergeNames, namesIn } from '../llm/pseudonymising-model.js';
import { stateSlot, type StateSlot } from '../store/state-slot.js';

const KeptName = z.object({ name: z.string().min(1).max(60), role: z.string().max(40).optional(), exact: z.boolean().optional() });
/** Far more people than any conversation names; a runaway list is read as absent and gathered again. */
const NAMES_SLOT = stateSlot('names', 1, z.array(KeptName).max(500));

interface NamesStore {
  readSlot<T>(conversationId: string, slot: StateSlot<T>): T | undefined;
  writeSlot<T>(conversationId: string, slot: StateSlot<T>, value: T | undefined): void;
  listUserTexts(conversationId: string): string[];
}

/**
 * The names in every message of hers in a conversation, for masking past the history window.
 * They are gathered from all her messages once, the first time a turn needs them, and from
 * then on each new message adds its own, so a turn never reads the whole conversation again.
 */
export class ConversationNames {
  constructor(private readonly store: NamesStore) {}

  /** Her new words, inside the turn's one write. Before the names are first gathered there is nothing to add to. */
  note(conversationId: string, text: string): void {
    const kept = this.store.readSlot(conversationId, NAMES_SLOT);
    if (!kept) return;
    const merged = mergeNames([...kept, ...namesIn([text]).map(asObject)]);
    if (JSON.stringify(merged) !== JSON.stringify(kept)) this.store.writeSlot(conversationId, NAMES_SLOT, merged);
  }

  /** Every name she has written in the conversation. */
  all(conversationId: string): KnownName[] {
    const kept = this.store.readSlot(conversationId, NAMES_SLOT);
    if (kept) return kept;
    const gathered = namesIn(this.store.listUserTexts(conversationId)).map(asObject);
    this.store.writeSlot(conversationId, NAMES_SLOT, gathered);
    return gathered;
  }
}

function asObject(name: KnownName): z.infer<typeof KeptName> {
  return typeof name === 'string' ? { name } : name;
}
