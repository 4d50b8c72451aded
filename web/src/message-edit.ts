import { alertNow, announce } from './announcer.js';
import { isSendKey, MAX_MESSAGE_CHARS, type Composer } from './composer.js';
import { h } from './dom.js';
import { newClientId } from './ids.js';
import { MAX_REPLY_VERSIONS } from './reply-parts.js';
import type { Session } from './session.js';
import type { ChatSocket } from './socket.js';
import type { Transcript, ViewMessage } from './transcript.js';
import type { Frame } from './types.js';

export interface EditHooks {
  /** A reply is in flight: an edit would be refused, so it waits. */
  busy(): boolean;
  /** The server has her edit: Mend answers it as a new turn. */
  accepted(): void;
}

/** One edit in progress: which message, the words it had, and the editor (kept across re-renders, so the draft is too). */
interface Editing {
  key: string;
  original: string;
  /** One id per edit: a refusal or an ack names it. */
  clientId: string;
  form: HTMLFormElement;
  area: HTMLTextAreaElement;
  /** Sent and not yet acknowledged or refused. */
  sending: boolean;
  /** The words last sent, to recognise them if the ack was lost with the connection. */
  sent: string | null;
}

/**
 * Editing her last message in place: the bubble becomes a text box with Save & send and
 * Cancel. Nothing she typed is lost until the server has it: a refusal (or a dropped
 * connection) leaves the words in the box and says why.
 */
export class MessageEdits {
  private editing: Editing | null = null;

  constructor(
    private readonly socket: ChatSocket,
    private readonly transcript: Transcript,
    private readonly composer: Composer,
    private readonly session: Session,
    private readonly hooks: EditHooks,
  ) {}

  /** The editor to show in place of this message's bubble, when it is the one being edited. */
  editorFor(m: ViewMessage): HTMLElement | null {
    return this.editing?.key === m.key ? this.editing.form : null;
  }

  start(m: ViewMessage): void {
    if (this.hooks.busy() || m.key.startsWith('pending:')) return;
    if (this.editing) this.close();
    const area = h('textarea', {
      class: 'input edit-text', id: 'edit-message', rows: 3, maxlength: MAX_MESSAGE_CHARS, 'aria-describedby': 'edit-message-hint',
    });
    area.value = m.text;
    const form = this.buildForm(area);
    this.editing = { key: m.key, original: m.text, clientId: newClientId(), form, area, sending: false, sent: null };
    this.rerender(m.key);
    area.focus();
    area.setSelectionRange(area.value.length, area.value.length);
  }

  /** The server stored her edit: her message shows its new words (the old as a version) and its replies go. */
  acknowledged(f: Frame<'ack'>): boolean {
    const e = this.editing;
    if (!e || f.clientId !== e.clientId) return false;
    this.editing = null;
    const view = this.transcript.get(e.key);
    if (view && f.conversationId === this.session.id) this.showEdited(view, e.sent ?? view.text);
    this.composer.focus();
    this.hooks.accepted();
    return true;
  }

  /**
   * An error about her edit: the words stay in the box. A frame refused before it was read
   * (rate limit) names no client id, so while an edit is on its way it counts as this one's.
   */
  refused(f: Frame<'error'>): boolean {
    const e = this.editing;
    if (!e || !(f.clientId === e.clientId || (e.sending && !f.clientId && !f.conversationId))) return false;
    this.setSending(false);
    e.area.focus();
    alertNow(`Your edit wasn’t sent. ${f.message}`);
    return true;
  }

  /** The socket went while her edit was on its way: it may not have arrived, so she can send it again. */
  connectionLost(): void {
    if (!this.editing?.sending) return;
    this.setSending(false);
    alertNow('The connection dropped before your edit was confirmed. It is kept in the box: save it again when you’re back online.');
  }

  /** The conversation was read again: an edit whose ack was lost shows there as saved, so the editor closes. */
  reconcile(): void {
    const e = this.editing;
    const view = e && this.transcript.get(e.key);
    if (!e || !view || e.sent === null || view.text !== e.sent) return;
    this.editing = null;
    this.rerender(e.key);
    announce('Your edit was saved.');
  }

  /** She opened another conversation. */
  leave(): void {
    this.editing = null;
  }

  private save(): void {
    const e = this.editing;
    if (!e || e.sending) return;
    const text = e.area.value.trim();
    const refusal = !text ? 'Your message is empty. Write something, or press Cancel to keep it as it was.'
      : text === e.original ? 'That is what your message already says. Change something, or press Cancel.'
        : this.hooks.busy() ? 'Mend is still answering. Save your edit when the reply has finished.'
          : null;
    if (refusal || !this.session.id) {
      if (refusal) alertNow(refusal);
      e.area.focus();
      return;
    }
    if (!this.socket.send({ type: 'edit', conversationId: this.session.id, messageId: e.key, clientId: e.clientId, text })) {
      alertNow('You’re offline. Your edit is kept in the box: save it again when the connection is back.');
      return;
    }
    e.sent = text;
    this.setSending(true);
    announce('Sending your edit…');
  }

  private cancel(): void {
    const e = this.editing;
    if (!e || e.sending) return;
    this.close();
    this.transcript.focusAction(e.key, 'edit');
    announce('Edit cancelled. Your message is as it was.');
  }

  private close(): void {
    const key = this.editing?.key;
    this.editing = null;
    if (key) this.rerender(key);
  }

  private showEdited(view: ViewMessage, text: string): void {
    const versions = [...(view.meta.versions ?? []), { text: view.text, createdAt: view.createdAt }].slice(-MAX_REPLY_VERSIONS);
    this.transcript.upsert({ ...view, text, createdAt: Date.now(), meta: { ...view.meta, versions } });
    // The server took back the replies to her old words (they return as versions of the new reply).
    const views = this.transcript.messages();
    const at = views.findIndex((v) => v.key === view.key);
    for (const v of views.slice(at + 1)) if (v.role === 'assistant') this.transcript.remove(v.key);
  }

  private setSending(sending: boolean): void {
    const e = this.editing;
    if (!e) return;
    e.sending = sending;
    e.area.readOnly = sending;
    e.form.setAttribute('aria-busy', String(sending));
    for (const b of e.form.querySelectorAll('button')) b.disabled = sending;
    const label = e.form.querySelector('.edit-save .label');
    if (label) label.textContent = sending ? 'Sending…' : 'Save & send';
  }

  private buildForm(area: HTMLTextAreaElement): HTMLFormElement {
    const form = h('form', { class: 'edit-form', 'aria-label': 'Edit your message' },
      h('label', { for: 'edit-message', class: 'visually-hidden' }, 'Your message'),
      area,
      h('p', { id: 'edit-message-hint', class: 'visually-hidden' }, 'Enter saves and sends, Shift+Enter starts a new line, Escape cancels.'));
    const cancel = h('button', { type: 'button', class: 'button button-secondary button-small' }, 'Cancel');
    const save = h('button', { type: 'submit', class: 'button button-primary button-small edit-save' }, h('span', { class: 'label' }, 'Save & send'));
    form.appendChild(h('div', { class: 'edit-actions' }, cancel, save));
    cancel.addEventListener('click', () => this.cancel());
    form.addEventListener('submit', (event) => { event.preventDefault(); this.save(); });
    form.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation(); // Escape here is for the edit, not for anything open around it
        this.cancel();
      } else if (event.target === area && isSendKey(event)) {
        event.preventDefault();
        this.save();
      }
    });
    return form;
  }

  private rerender(key: string): void {
    const view = this.transcript.get(key);
    if (view) this.transcript.upsert(view);
  }
}
