import type { ConversationRecord } from '../../src/protocol/index.js';
import { clear, h, iconButton } from './dom.js';
import { listTime, fullTime } from './time.js';

export interface ConversationListActions {
  rename(conversation: ConversationRecord): void;
  remove(conversation: ConversationRecord): void;
}

/** The conversation list: most recent first; each row opens, renames or deletes. */
export class ConversationList {
  private conversations: ConversationRecord[] = [];
  private currentId: string | null = null;

  constructor(private readonly root: HTMLElement, private readonly empty: HTMLElement, private readonly actions: ConversationListActions) {}

  all(): readonly ConversationRecord[] {
    return this.conversations;
  }

  find(id: string): ConversationRecord | undefined {
    return this.conversations.find((c) => c.id === id);
  }

  set(conversations: ConversationRecord[]): void {
    this.conversations = [...conversations].sort((a, b) => b.updatedAt - a.updatedAt);
    this.render();
  }

  upsert(conversation: ConversationRecord): void {
    this.set([conversation, ...this.conversations.filter((c) => c.id !== conversation.id)]);
  }

  remove(id: string): void {
    this.set(this.conversations.filter((c) => c.id !== id));
  }

  setCurrent(id: string | null): void {
    this.currentId = id;
    for (const li of this.root.querySelectorAll<HTMLElement>('li[data-id]')) {
      const current = li.dataset.id === id;
      li.classList.toggle('current', current);
      const link = li.querySelector('a');
      if (current) link?.setAttribute('aria-current', 'page');
      else link?.removeAttribute('aria-current');
    }
  }

  private render(): void {
    const focusedId = (document.activeElement?.closest('li[data-id]') as HTMLElement | null)?.dataset.id;
    const focusedAction = (document.activeElement as HTMLElement | null)?.dataset?.action;
    clear(this.root);
    this.empty.hidden = this.conversations.length > 0;
    for (const c of this.conversations) {
      const current = c.id === this.currentId;
      const li = h('li', { class: `conv${current ? ' current' : ''}${c.banner ? ' urgent' : ''}${c.private ? ' unkept' : ''}`, 'data-id': c.id });
      const link = h('a', { class: 'conv-open', href: `#/c/${encodeURIComponent(c.id)}`, 'aria-current': current ? 'page' : null, 'data-action': 'open' },
        h('span', { class: 'conv-title' }, c.title || 'Untitled conversation'),
        h('span', { class: 'conv-time' }, h('time', { datetime: new Date(c.updatedAt).toISOString(), title: fullTime(c.updatedAt) }, listTime(c.updatedAt)),
          c.banner ? h('span', { class: 'conv-flag' }, ' · urgent help shown') : null,
          // Discreet, but said: this one is gone when Mend restarts.
          c.private ? h('span', { class: 'conv-flag conv-unkept', title: 'Mend isn’t saving this conversation. It’s gone when Mend restarts.' }, ' · Not saved') : null),
      );
      const name = c.title || 'Untitled conversation';
      const rename = iconButton('pencil', `Rename “${name}”`, { class: 'conv-action', attrs: { 'data-action': 'rename' } });
      rename.addEventListener('click', () => this.actions.rename(c));
      const del = iconButton('trash', `Delete “${name}”`, { class: 'conv-action', attrs: { 'data-action': 'delete' } });
      del.addEventListener('click', () => this.actions.remove(c));
      li.append(link, h('div', { class: 'conv-actions' }, rename, del));
      this.root.appendChild(li);
    }
    if (focusedId) {
      const li = this.root.querySelector<HTMLElement>(`li[data-id="${CSS.escape(focusedId)}"]`);
      li?.querySelector<HTMLElement>(`[data-action="${focusedAction ?? 'open'}"]`)?.focus();
    }
  }
}
