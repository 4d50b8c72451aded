import type { ConversationRecord } from '../../src/protocol/index.js';
import type { KeepChoice } from './keep-choice.js';
import type { RehearsalOptions } from './types.js';

/** What the page has open, in one place, so that every controller agrees on it. */
export class Session {
  /** null: a new conversation, not started yet. */
  id: string | null = null;
  /** What the page knows of it; null until the list or the server has said. */
  conversation: ConversationRecord | null = null;
  /** Bumped whenever something else is shown: an answer about what was shown before is dropped. */
  loadToken = 0;
  /** False until the first conversation (or the new one) is shown. */
  loaded = false;
  /** In a rehearsal (or one about to start): its scene, his age and temperament, coach notes. */
  rehearsal: RehearsalOptions | null = null;

  constructor(private readonly keepChoice: KeepChoice) {}

  /** The open conversation (or the one about to start) is one she asked Mend not to keep. */
  get unkept(): boolean {
    return this.id ? this.conversation?.private === true : this.keepChoice.unkept;
  }
}
