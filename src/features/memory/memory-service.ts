import type { ConversationStore } from '../../store/conversation-store.js';
import { conversationState } from '../../store/state-slot.js';
import { ConversationMemory } from './conversation-memory.js';

/** What Mend remembers in a conversation, for code outside a turn (the memory routes, the export). */
export function memoryOf(store: ConversationStore, conversationId: string): ConversationMemory {
  return new ConversationMemory(conversationState(store, conversationId));
}
