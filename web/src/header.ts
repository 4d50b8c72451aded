import { alertNow } from './announcer.js';
import { openBrief } from './brief.js';
import { discreetTitles } from './conversations.js';
import { byId } from './dom.js';
import { openMemory } from './memory.js';
import type { Session } from './session.js';

export interface HeaderActions {
  rename(): void;
  remove(): void;
}

/** The open conversation's heading: its title, "Not saved", and its menu (rename, delete, brief, memory). */
export class ConversationHeader {
  constructor(private readonly session: Session, actions: HeaderActions) {
    byId('rename-current').addEventListener('click', () => actions.rename());
    byId('delete-current').addEventListener('click', () => actions.remove());
    byId('open-brief').addEventListener('click', (event) => this.openBrief(event.currentTarget as HTMLElement));
    byId('open-memory').addEventListener('click', (event) => this.openMemory(event.currentTarget as HTMLElement));
  }

  setTitle(title: string): void {
    const fresh = title === 'New conversation';
    const shown = discreetTitles() && !fresh ? 'Conversation' : title || 'Untitled conversation';
    byId('conv-heading').textContent = shown;
    // The tab's title is seen in the taskbar and history: never more than "Mend" when discreet.
    document.title = title && !fresh && !discreetTitles() ? `${title} · Mend` : 'Mend';
  }

  showUnkept(unkept: boolean): void {
    byId('conv-unkept').hidden = !unkept;
  }

  /** A conversation not started yet has nothing to rename, delete or look into. */
  showActions(visible: boolean): void {
    byId('conv-actions').hidden = !visible;
  }

  /** Also opened from a Find help reply; focus comes back to `from` when it closes. */
  openBrief(from: HTMLElement): void {
    const { id, conversation } = this.session;
    if (!id || !conversation) {
      alertNow('Your first message is still on its way. The brief can be opened once Mend has it.');
      return;
    }
    openBrief({ conversationId: id, title: conversation.title }, from);
  }

  private openMemory(from: HTMLElement): void {
    if (!this.session.id) {
      alertNow('Your first message is still on its way. What Mend remembers can be opened once Mend has it.');
      return;
    }
    openMemory({ conversationId: this.session.id, private: this.session.unkept }, from);
  }
}
