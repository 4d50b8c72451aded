import type { ConversationRecord } from '../../src/protocol/index.js';
import { alertNow, announce } from './announcer.js';
import { api } from './api.js';
import { briefEditKey } from './brief.js';
import type { ConversationList } from './conversations.js';
import { confirmDialog, promptDialog } from './dialogs.js';
import { byId } from './dom.js';
import type { ConversationHeader } from './header.js';
import type { CrisisBanner } from './help.js';
import { memoryEditsKey } from './memory.js';
import type { Session } from './session.js';
import { drafts, keepInMemoryOnly, remove } from './storage.js';

/** Conversations the server isn't keeping: the page keeps nothing of theirs in localStorage either. */
export function rememberUnkept(conversations: readonly ConversationRecord[]): void {
  for (const c of conversations) if (c.private) keepInMemoryOnly(c.id, true);
}

/** The conversation list's data: reading it from the server, renaming and deleting. */
export class ListController {
  private listTimer: number | undefined;

  constructor(
    private readonly list: ConversationList,
    private readonly session: Session,
    private readonly header: ConversationHeader,
    private readonly banner: CrisisBanner,
    private readonly navigate: (id: string | null) => void,
  ) {}

  /** The search box above the list: her words across all her conversations, read by the server. */
  initSearch(): void {
    const input = byId<HTMLInputElement>('conv-search');
    const status = byId('conv-search-status');
    let timer: number | undefined;
    let asked = 0;
    input.addEventListener('input', () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(async () => {
        const q = input.value.trim();
        const ticket = ++asked;
        if (!q) {
          this.list.showMatches(null);
          status.textContent = '';
          return;
        }
        try {
          const found = await api.searchConversations(q);
          if (ticket !== asked) return;
          this.list.showMatches(found);
          this.list.setCurrent(this.session.id);
          status.textContent = found.length ? `${found.length} ${found.length === 1 ? 'conversation has' : 'conversations have'} those words.` : 'No conversation has those words.';
        } catch {
          if (ticket === asked) status.textContent = 'Search isn’t working just now. Please try again.';
        }
      }, 250);
    });
  }

  /** "Discreet titles" was switched: the list and the heading are shown again. */
  retitle(): void {
    this.list.render();
    this.list.setCurrent(this.session.id);
    this.header.setTitle(this.session.conversation?.title ?? 'New conversation');
  }

  async refresh(): Promise<void> {
    try {
      const conversations = await api.listConversations();
      rememberUnkept(conversations);
      this.list.set(conversations);
      this.list.setCurrent(this.session.id);
      byId('conv-error').hidden = true;
      if (this.session.id) {
        const c = conversations.find((x) => x.id === this.session.id);
        if (c) {
          this.session.conversation = { ...c, banner: c.banner || (this.session.conversation?.banner ?? false) };
          this.header.setTitle(c.title);
          this.header.showUnkept(c.private === true);
          if (c.banner) this.banner.show(false);
        }
      }
    } catch {
      byId('conv-error').hidden = this.list.all().length > 0;
    }
  }

  /** Titles and times change after a turn; several turns' worth of changes make one request. */
  scheduleRefresh(): void {
    window.clearTimeout(this.listTimer);
    this.listTimer = window.setTimeout(() => void this.refresh(), 300);
  }

  async rename(c: ConversationRecord): Promise<void> {
    const title = await promptDialog({ title: 'Rename conversation', label: 'Name', value: c.title, confirm: 'Save' });
    if (!title || title === c.title) return;
    try {
      const updated = await api.renameConversation(c.id, title);
      this.list.upsert(updated);
      this.list.setCurrent(this.session.id);
      if (updated.id === this.session.id) {
        this.session.conversation = updated;
        this.header.setTitle(updated.title);
      }
      announce(`Renamed to ${updated.title}.`);
    } catch (error) {
      alertNow(`Couldn’t rename it. ${(error as Error).message}`);
    }
  }

  async remove(c: ConversationRecord): Promise<void> {
    const ok = await confirmDialog({
      title: 'Delete this conversation?',
      body: `“${c.title || 'Untitled conversation'}” and everything in it will be deleted from Mend. This can’t be undone.`,
      confirm: 'Delete', danger: true,
    });
    if (!ok) return;
    try {
      await api.deleteConversation(c.id);
      this.list.remove(c.id);
      forgetLocal(c.id);
      announce('Conversation deleted.');
      if (c.id === this.session.id) {
        this.navigate(null);
        byId('message').focus(); // the button she pressed went with the conversation
      } else byId('new-conversation').focus();
    } catch (error) {
      alertNow(`Couldn’t delete it. ${(error as Error).message}`);
    }
  }

  async removeAll(): Promise<void> {
    const ok = await confirmDialog({
      title: 'Delete all your conversations?',
      body: 'Every conversation in Mend on this browser will be deleted, with your plans and small wins. This can’t be undone. You can download a copy first.',
      confirm: 'Delete everything', danger: true,
    });
    if (!ok) return;
    try {
      await api.deleteAll();
      for (const c of this.list.all()) forgetLocal(c.id);
      this.list.set([]);
      announce('All conversations deleted.');
      this.navigate(null);
    } catch (error) {
      alertNow(`Couldn’t delete them. ${(error as Error).message}`);
    }
  }
}

/** What the page kept on this computer for a conversation that is now deleted. */
function forgetLocal(conversationId: string): void {
  remove(drafts.key(conversationId));
  remove(`rehearsal.${conversationId}`);
  remove(`rehearsal-notes-sent.${conversationId}`);
  remove(briefEditKey(conversationId));
  remove(memoryEditsKey(conversationId));
}
