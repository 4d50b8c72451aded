import { systemClock, type Clock } from '../../clock.js';
import type { ChatModel } from '../../llm/chat-model.js';
import type { ConversationStore } from '../../store/conversation-store.js';
import { BRIEF_SLOT, type CounsellorBrief } from './brief.js';
import { draftBrief } from './brief-draft.js';

/** The brief saved in a conversation, if any (the export reads it without a model). */
export function savedBrief(store: ConversationStore, conversationId: string): CounsellorBrief | undefined {
  return store.readSlot(conversationId, BRIEF_SLOT);
}

/**
 * Her counsellor brief outside a chat turn (the brief routes and the export): drafted only
 * when she asks, then hers to edit or delete. Callers check she owns the conversation.
 */
export class BriefService {
  private readonly clock: Clock;

  constructor(private readonly store: ConversationStore, private readonly model: ChatModel, clock?: Clock) {
    this.clock = clock ?? systemClock;
  }

  get(conversationId: string): CounsellorBrief | undefined {
    return savedBrief(this.store, conversationId);
  }

  async draft(conversationId: string, signal: AbortSignal): Promise<CounsellorBrief> {
    const { brief } = await draftBrief({ history: this.store.listMessages(conversationId), model: this.model, signal, now: this.clock.now() });
    this.store.writeSlot(conversationId, BRIEF_SLOT, brief);
    return brief;
  }

  /** Her own edit: kept as she wrote it, marked edited so a later "yes, draft it" never overwrites it. */
  save(conversationId: string, markdown: string): CounsellorBrief {
    const now = this.clock.now();
    const brief = { markdown: `${markdown}\n`, createdAt: this.get(conversationId)?.createdAt ?? now, updatedAt: now, edited: true };
    this.store.writeSlot(conversationId, BRIEF_SLOT, brief);
    return brief;
  }

  delete(conversationId: string): void {
    this.store.writeSlot(conversationId, BRIEF_SLOT, undefined);
  }
}
