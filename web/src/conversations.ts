import type { ConversationRecord } from '../../src/protocol/index.js';
import { clear, h, iconButton } from './dom.js';
import { readString } from './storage.js';
import { dayGroup, fullTime, listTime } from './time.js';

export interface ConversationListActions {
  rename(conversation: ConversationRecord): void;
  remove(conversation: ConversationRecord): void;
}

/** "Discreet titles" (Settings): the list and the header say "Conversation", and nothing of what it is about. */
export function discreetTitles(): boolean {
  return readString('discreet-titles') === 'on';
}

export function shownTitle(c: ConversationRecord | null): string {
  if (!c) return 'New conversation';
  return discreetTitles() ? 'Conversation' : c.title || 'Untitled conversation';
}

/**
 * The conversation list: most recent first, under day headings (Today, Yesterday, …); each
 * row opens, renames or deletes. While she searches, the rows are the server's matches.
 */
export class ConversationList {
  private conversations: ConversationRecord[] = [];
  private matches: ConversationRecord[] | null = null;
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

  /** Search results (null: the whole list again). */
  showMatches(matches: ConversationRecord[] | null): void {
    this.matches = matches;
    this.render();
  }

  upsert(conversation: ConversationRecord): void {
    this.set([conversation, ...this.conversations.filter((c) => c.id !== conversation.id)]);
  }

  remove(id: string): void {
    if (this.matches) this.matches = this.matches.filter((c) => c.id !== id);
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

  render(): void {
    const focusedId = (document.activeElement?.closest('li[data-id]') as HTMLElement | null)?.dataset.id;
    const focusedAction = (document.activeElement as HTMLElement | null)?.dataset?.action;
    const shown = this.matches ?? this.conversations;
    clear(this.root);
    this.empty.hidden = this.conversations.length > 0;
    const groups = new Map<string, HTMLElement>();
    const now = new Date();
    for (const c of shown) {
      const label = dayGroup(c.updatedAt, now);
      let list = groups.get(label);
      if (!list) {
        const id = `conv-group-${groups.size}`;
        list = h('ul', { class: 'conv-group-list', 'aria-labelledby': id });
        this.root.appendChild(h('li', { class: 'conv-group' }, h('h3', { id, class: 'conv-group-title' }, label), list));
        groups.set(label, list);
      }
      list.appendChild(this.row(c));
    }
    if (focusedId) {
      const li = this.root.querySelector<HTMLElement>(`li[data-id="${CSS.escape(focusedId)}"]`);
      li?.querySelector<HTMLElement>(`[data-action="${focusedAction ?? 'open'}"]`)?.focus();
    }
  }

  private row(c: ConversationRecord): HTMLLIElement {
    const discreet = discreetTitles();
    const current = c.id === this.currentId;
    const li = h('li', { class: `conv${current ? ' current' : ''}${c.banner && !discreet ? ' urgent' : ''}${c.private ? ' unkept' : ''}`, 'data-id': c.id });
    const name = shownTitle(c);
    const link = h('a', { class: 'conv-open', href: `#/c/${encodeURIComponent(c.id)}`, 'aria-current': current ? 'page' : null, 'data-action': 'open' },
      h('span', { class: 'conv-title' }, name),
      h('span', { class: 'conv-time' }, h('time', { datetime: new Date(c.updatedAt).toISOString(), title: fullTime(c.updatedAt) }, listTime(c.updatedAt)),
        c.banner && !discreet ? h('span', { class: 'conv-flag' }, ' · urgent help shown') : null,
        // Discreet, but said: this one is gone when Mend restarts.
        c.private ? h('span', { class: 'conv-flag conv-unkept', title: 'Mend isn’t saving this conversation. It’s gone when Mend restarts.' }, ' · Not saved') : null),
    );
    const rename = iconButton('pencil', `Rename “${name}”`, { class: 'conv-action', attrs: { 'data-action': 'rename' } });
    rename.addEventListener('click', () => this.actions.rename(c));
    const del = iconButton('trash', `Delete “${name}”`, { class: 'conv-action', attrs: { 'data-action': 'delete' } });
    del.addEventListener('click', () => this.actions.remove(c));
    li.append(link, h('div', { class: 'conv-actions' }, rename, del));
    return li;
  }
}
