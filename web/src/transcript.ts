import type { ChatMode, MessageRole, ReplyStatus, QuickReply } from '../../src/protocol/index.js';
import { briefButton } from './brief.js';
import { h, icon, iconButton } from './dom.js';
import { resourceList } from './help.js';
import { quickReplies, versionPager } from './reply-parts.js';
import { setMarkdown } from './markdown.js';
import { stepChips } from './steps.js';
import { timeElement } from './time.js';
import type { MessageMeta, Voice } from './types.js';

/** A message as the page shows it: stored ones, her messages not yet acknowledged, and the reply being written. */
export interface ViewMessage {
  /** Server id, or `pending:<clientId>` until the server acknowledges her message. */
  key: string;
  role: MessageRole;
  text: string;
  /** queued: waiting for the connection; next: waiting for the reply in progress to end. */
  status: ReplyStatus | 'sending' | 'queued' | 'next' | 'unsent';
  mode: ChatMode;
  meta: MessageMeta;
  createdAt: number;
  clientId?: string | null;
  error?: { code: string; message: string };
}

export interface TranscriptActions {
  regenerate(message: ViewMessage): void;
  /** She wants to change her last message: its bubble becomes an editor. */
  editMessage(message: ViewMessage): void;
  /** The editor shown in place of this message's bubble while she edits it, else null. */
  editorFor(message: ViewMessage): HTMLElement | null;
  feedback(message: ViewMessage, rating: 'up' | 'down' | null): void;
  retrySend(clientId: string): void;
  editUnsent(clientId: string): void;
  discardUnsent(clientId: string): void;
  /** Opens her counsellor brief (focus comes back to `from`). */
  openBrief(from: HTMLElement): void;
  /** She tapped a suggested reply: send its words, or open its mode. */
  quickReply(reply: QuickReply): void;
  /** She says things are safe now: the note carried from an earlier conversation stops following her. */
  dismissCarried(fromConversationId: string, key: string): void;
}

/** Find help replies that offer the brief, have just drafted it or point to it. */
const OPENS_BRIEF = new Set(['offer', 'drafted', 'ready']);

const VOICE_LABEL: Record<Voice, string> = {
  coach: 'Mend',
  son: 'Your son (role-play)',
  'coach-note': 'Coach note',
  debrief: 'Mend · Debrief',
};

const STATUS_NOTE: Partial<Record<ViewMessage['status'], string>> = {
  stopped: 'You stopped this reply.',
  failed: 'This reply didn’t finish.',
  // A restart, the model breaking off or its length limit: the reply's error (when there is one) says which.
  incomplete: 'This reply was cut off part-way.',
};

interface Entry {
  message: ViewMessage;
  el: HTMLElement;
  body?: HTMLElement;
  renderQueued?: boolean;
}

/**
 * The transcript (role="log", aria-live off: finished replies are announced once elsewhere).
 * It follows the stream while she is at the bottom and stays put when she has scrolled up.
 */
export class Transcript {
  private entries = new Map<string, Entry>();
  private stick = true;
  private busy = false;

  constructor(
    private readonly log: HTMLElement,
    private readonly scroller: HTMLElement,
    private readonly jump: HTMLButtonElement,
    private readonly typing: HTMLElement,
    private readonly actions: TranscriptActions,
  ) {
    scroller.addEventListener('scroll', () => {
      this.stick = this.distanceFromBottom() < 80;
      if (this.stick) this.jump.hidden = true;
    }, { passive: true });
    jump.addEventListener('click', () => this.scrollToBottom(true));
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): ViewMessage | undefined {
    return this.entries.get(key)?.message;
  }

  messages(): ViewMessage[] {
    return [...this.entries.values()].map((e) => e.message);
  }

  /** She has written here; `pending`: counting messages the server hasn't acknowledged yet. */
  hasUserMessages(pending: boolean): boolean {
    for (const e of this.entries.values()) {
      if (e.message.role === 'user' && (pending || !e.message.key.startsWith('pending:'))) return true;
    }
    return false;
  }

  /** Replaces everything (a conversation was opened or re-read from the server). */
  reset(messages: ViewMessage[], keepScroll = false): void {
    const top = this.scroller.scrollTop;
    this.entries.clear();
    this.log.replaceChildren();
    for (const m of messages) this.appendEntry(m);
    this.refreshActions();
    if (keepScroll && !this.stick) this.scroller.scrollTop = top;
    else if (messages.length === 0) this.scroller.scrollTop = 0; // the welcome is read from its top
    else this.scrollToBottom(true);
  }

  /** Adds a message at the end, or re-renders it in place if it is already shown. */
  upsert(message: ViewMessage): void {
    const existing = this.entries.get(message.key);
    if (existing) {
      existing.message = message;
      const fresh = this.render(existing);
      existing.el.replaceWith(fresh);
      existing.el = fresh;
    } else {
      this.appendEntry(message);
    }
    this.refreshActions();
    this.follow();
  }

  /** Inserts a message right before another one (a safety notice goes above its reply). */
  insertBefore(message: ViewMessage, beforeKey: string): void {
    const before = this.entries.get(beforeKey);
    if (!before || this.entries.has(message.key)) return this.upsert(message);
    const entry: Entry = { message, el: document.createElement('div') };
    entry.el = this.render(entry);
    before.el.before(entry.el);
    const reordered = new Map<string, Entry>();
    for (const [k, e] of this.entries) {
      if (k === beforeKey) reordered.set(message.key, entry);
      reordered.set(k, e);
    }
    this.entries = reordered;
    this.refreshActions();
    this.follow();
  }

  /** Gives a pending message its server id. */
  rekey(oldKey: string, newKey: string, patch: Partial<ViewMessage> = {}): void {
    const entry = this.entries.get(oldKey);
    if (!entry) return;
    const reordered = new Map<string, Entry>();
    for (const [k, e] of this.entries) reordered.set(k === oldKey ? newKey : k, e);
    this.entries = reordered;
    entry.message = { ...entry.message, ...patch, key: newKey };
    const fresh = this.render(entry);
    entry.el.replaceWith(fresh);
    entry.el = fresh;
    this.refreshActions();
  }

  remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    entry.el.remove();
    this.entries.delete(key);
    this.refreshActions();
  }

  /** Streamed text: the Markdown is re-rendered at most once per frame. */
  setStreamingText(key: string, text: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    entry.message.text = text;
    if (entry.renderQueued) return;
    entry.renderQueued = true;
    requestAnimationFrame(() => {
      entry.renderQueued = false;
      if (!entry.body || !this.entries.has(entry.message.key)) return;
      setMarkdown(entry.body, entry.message.text);
      this.follow();
    });
  }

  /** Puts focus on one of a message's actions (`data-action`), e.g. back on Edit after a cancelled edit. */
  focusAction(key: string, action: string): void {
    this.entries.get(key)?.el.querySelector<HTMLElement>(`[data-action="${action}"]`)?.focus();
  }

  /** While a reply is being written, the reply actions (regenerate…) are held back. */
  setBusy(busy: boolean): void {
    this.busy = busy;
    this.refreshActions();
  }

  setTyping(on: boolean): void {
    this.typing.hidden = !on;
    if (on) this.follow();
  }

  scrollToBottom(force = false): void {
    if (force) this.stick = true;
    this.scroller.scrollTop = this.scroller.scrollHeight;
    this.jump.hidden = true;
  }

  /** After new content: keep following if she was at the bottom, else offer a way back down. */
  follow(): void {
    if (this.stick) this.scroller.scrollTop = this.scroller.scrollHeight;
    else if (this.distanceFromBottom() > 80) this.jump.hidden = false;
  }

  private distanceFromBottom(): number {
    return this.scroller.scrollHeight - this.scroller.scrollTop - this.scroller.clientHeight;
  }

  private appendEntry(message: ViewMessage): void {
    const entry: Entry = { message, el: document.createElement('div') };
    entry.el = this.render(entry);
    this.entries.set(message.key, entry);
    this.log.appendChild(entry.el);
  }

  /**
   * Only the last reply can be written again and only her last message edited (one the server
   * has), and only when no reply is in progress.
   */
  private refreshActions(): void {
    let lastAssistant: string | undefined;
    let lastUser: string | undefined;
    for (const [key, e] of this.entries) {
      if (e.message.role === 'assistant') lastAssistant = key;
      if (e.message.role === 'user') lastUser = key;
    }
    for (const [key, e] of this.entries) {
      const regen = e.el.querySelector<HTMLElement>('[data-action="regenerate"]');
      if (regen) regen.hidden = this.busy || key !== lastAssistant;
      const edit = e.el.querySelector<HTMLElement>('[data-action="edit"]');
      if (edit) edit.hidden = this.busy || key !== lastUser;
    }
  }

  private render(entry: Entry): HTMLElement {
    const m = entry.message;
    if (m.role === 'user') return this.renderUser(m);
    if (m.role === 'safety') return this.renderSafety(m);
    return this.renderAssistant(entry);
  }

  private renderUser(m: ViewMessage): HTMLElement {
    const editor = this.actions.editorFor(m);
    const el = h('article', { class: `msg msg-user status-${m.status}${editor ? ' editing' : ''}`, 'data-key': m.key });
    el.appendChild(h('h3', { class: 'visually-hidden' }, editor ? 'You are editing:' : 'You said:'));
    if (editor) {
      el.appendChild(editor);
      return el;
    }
    const bubble = h('div', { class: 'bubble' });
    bubble.textContent = m.text; // her words are never parsed as HTML or Markdown
    el.appendChild(bubble);
    const meta = h('div', { class: 'msg-meta' }, timeElement(m.createdAt));
    if (m.mode !== 'coach') meta.appendChild(h('span', { class: 'mode-tag' }, modeLabel(m.mode)));
    if (!m.key.startsWith('pending:')) this.appendEditing(meta, m, bubble);
    if (m.status === 'sending') meta.appendChild(h('span', { class: 'msg-state' }, 'Sending…'));
    if (m.status === 'queued') meta.appendChild(h('span', { class: 'msg-state' }, 'Waiting for the connection. It will send by itself.'));
    if (m.status === 'next') meta.appendChild(h('span', { class: 'msg-state' }, 'Queued. It sends when Mend finishes this reply.'));
    if (m.status === 'unsent' && m.clientId) {
      const clientId = m.clientId;
      meta.appendChild(h('span', { class: 'msg-state msg-state-error' }, `Not sent${m.error ? `: ${m.error.message}` : '.'}`));
      const retry = h('button', { type: 'button', class: 'link-button' }, 'Try again');
      retry.addEventListener('click', () => this.actions.retrySend(clientId));
      const edit = h('button', { type: 'button', class: 'link-button' }, 'Edit');
      edit.addEventListener('click', () => this.actions.editUnsent(clientId));
      const discard = h('button', { type: 'button', class: 'link-button' }, 'Discard');
      discard.addEventListener('click', () => this.actions.discardUnsent(clientId));
      meta.append(retry, edit, discard);
    }
    el.appendChild(meta);
    return el;
  }

  /** Her stored message: the versions she wrote (as plain text, like the bubble) and Edit. */
  private appendEditing(meta: HTMLElement, m: ViewMessage, bubble: HTMLElement): void {
    const pager = versionPager(m.meta, m.text, bubble, { render: (body, text) => { body.textContent = text; }, label: 'Versions of your message' });
    if (pager) meta.appendChild(pager);
    const edit = h('button', { type: 'button', class: 'link-button msg-edit', 'data-action': 'edit', title: 'Edit this message and send it again' },
      icon('pencil'), h('span', {}, 'Edit'));
    edit.addEventListener('click', () => this.actions.editMessage(m));
    meta.appendChild(edit);
  }

  private renderSafety(m: ViewMessage): HTMLElement {
    const level = m.meta.level ?? 'high';
    const titleId = `safety-${m.key}`;
    const el = h('section', { class: `safety-card level-${level}`, 'data-key': m.key, 'aria-labelledby': titleId });
    el.appendChild(h('h3', { class: 'safety-title', id: titleId }, icon(level === 'crisis' ? 'alert' : 'heart'),
      h('span', {}, level === 'crisis' ? 'Urgent: help is available right now' : 'Help is available')));
    const body = h('div', { class: 'md safety-body' });
    setMarkdown(body, m.text);
    el.appendChild(body);
    if (m.meta.resources?.length) el.appendChild(resourceList(m.meta.resources, 'h4'));
    const from = m.meta.carriedFrom;
    if (from) {
      const dismiss = h('button', { type: 'button', class: 'link-button safety-dismiss' }, 'Things are safe now: dismiss this note');
      dismiss.addEventListener('click', () => this.actions.dismissCarried(from, m.key));
      el.appendChild(dismiss);
    }
    return el;
  }

  private renderAssistant(entry: Entry): HTMLElement {
    const m = entry.message;
    const voice: Voice = m.meta.voice ?? 'coach';
    const streaming = m.status === 'streaming';
    const el = h('article', {
      class: `msg msg-assistant voice-${voice} status-${m.status}${streaming ? ' streaming' : ''}`,
      'data-key': m.key,
      'aria-busy': streaming ? 'true' : null,
    });
    el.appendChild(h('h3', { class: 'visually-hidden' }, `${VOICE_LABEL[voice]} said:`));
    const head = h('div', { class: 'msg-head' }, h('span', { class: 'who', 'aria-hidden': 'true' }, VOICE_LABEL[voice]), timeElement(m.createdAt));
    el.appendChild(head);
    const body = h('div', { class: 'md msg-body' });
    if (m.text) setMarkdown(body, m.text);
    entry.body = body;
    el.appendChild(body);

    if (!streaming) {
      const chips = stepChips(m.meta);
      if (chips) el.appendChild(chips);
      if (OPENS_BRIEF.has(m.meta.referral?.brief ?? '')) {
        el.appendChild(h('p', { class: 'msg-brief' }, briefButton((from) => this.actions.openBrief(from))));
      }
      if (m.meta.fallback) el.appendChild(h('p', { class: 'msg-note' }, 'The AI model was unavailable, so Mend’s guided coach answered this one.'));
      const note = STATUS_NOTE[m.status];
      if (note) {
        const box = h('div', { class: `msg-status-note status-${m.status}` });
        box.appendChild(h('p', {}, note, m.error?.message ? ` ${m.error.message}` : ''));
        const again = h('button', { type: 'button', class: 'button button-secondary button-small', 'data-action': 'regenerate' });
        again.append(icon('retry'), h('span', {}, m.status === 'stopped' ? 'Write it again' : 'Try again'));
        again.addEventListener('click', () => this.actions.regenerate(m));
        box.appendChild(again);
        el.appendChild(box);
      }
      if (m.meta.quickReplies?.length && !note) el.appendChild(quickReplies(m.meta.quickReplies, (r) => this.actions.quickReply(r)));
      const actions = this.renderActions(m, !!note);
      const pager = versionPager(m.meta, m.text, body);
      if (pager) actions.prepend(pager);
      el.appendChild(actions);
    }
    return el;
  }

  private renderActions(m: ViewMessage, hasRetry: boolean): HTMLElement {
    const bar = h('div', { class: 'msg-actions' });
    const copy = iconButton('copy', 'Copy reply');
    copy.addEventListener('click', () => void copyText(plainText(m.text), copy));
    bar.appendChild(copy);
    if (!hasRetry) {
      const regen = iconButton('retry', 'Write this reply again', { attrs: { 'data-action': 'regenerate' } });
      regen.addEventListener('click', () => this.actions.regenerate(m));
      bar.appendChild(regen);
    }
    const up = iconButton('up', 'Helpful', { class: 'rate', attrs: { 'aria-pressed': m.meta.rating === 'up' ? 'true' : 'false' } });
    const down = iconButton('down', 'Not helpful', { class: 'rate', attrs: { 'aria-pressed': m.meta.rating === 'down' ? 'true' : 'false' } });
    const rate = (rating: 'up' | 'down') => {
      const next = m.meta.rating === rating ? null : rating;
      m.meta = { ...m.meta, rating: next ?? undefined };
      up.setAttribute('aria-pressed', String(next === 'up'));
      down.setAttribute('aria-pressed', String(next === 'down'));
      this.actions.feedback(m, next);
    };
    up.addEventListener('click', () => rate('up'));
    down.addEventListener('click', () => rate('down'));
    bar.append(up, down);
    return bar;
  }
}

export function modeLabel(mode: ChatMode): string {
  return { coach: 'Coach', rehearse: 'Rehearse', draft: 'Draft check', referral: 'Find help' }[mode];
}

/** Markdown to readable plain text, for copying and for the screen-reader announcement. */
export function plainText(markdown: string): string {
  const tmp = document.createElement('div');
  setMarkdown(tmp, markdown);
  const blocks: string[] = [];
  tmp.querySelectorAll('p, li, blockquote, h1, h2, h3, h4, pre').forEach((b) => {
    if (b.closest('li') && b.tagName !== 'LI') return;
    if (b.tagName === 'P' && b.parentElement?.closest('blockquote')) return;
    const text = (b.textContent ?? '').trim();
    if (text) blocks.push(b.tagName === 'LI' ? `• ${text}` : text);
  });
  return blocks.length ? blocks.join('\n\n') : (tmp.textContent ?? '').trim();
}

async function copyText(text: string, button: HTMLButtonElement): Promise<void> {
  let ok = false;
  try {
    await navigator.clipboard.writeText(text);
    ok = true;
  } catch {
    const area = h('textarea', { class: 'visually-hidden', readonly: true, 'aria-hidden': 'true' });
    area.value = text;
    document.body.appendChild(area);
    area.select();
    try {
      ok = document.execCommand('copy');
    } catch { /* not allowed */ }
    area.remove();
    button.focus();
  }
  const label = button.getAttribute('aria-label') ?? '';
  button.setAttribute('aria-label', ok ? 'Copied' : 'Copy failed');
  button.classList.toggle('done', ok);
  button.replaceChildren(icon(ok ? 'check' : 'copy'));
  window.setTimeout(() => {
    button.setAttribute('aria-label', label);
    button.classList.remove('done');
    button.replaceChildren(icon('copy'));
  }, 1800);
}
