import type { ChatMode } from '../../src/protocol/index.js';
import { alertNow, announce } from './announcer.js';
import { api } from './api.js';
import type { Composer } from './composer.js';
import { newClientId } from './ids.js';
import { Outbox, type OutboxItem } from './outbox.js';
import { getRegion } from './region.js';
import type { Session } from './session.js';
import type { ChatSocket } from './socket.js';
import type { Transcript, ViewMessage } from './transcript.js';
import type { Frame } from './types.js';

/** What her message goes with besides its text: the mode, and a rehearsal's settings when they are due. */
export interface MessageSettings {
  mode: ChatMode;
  options?: Record<string, unknown>;
}

export interface DeliveryHooks {
  /** The message that started a new conversation turned out to be stored there (its ack was lost). */
  adopt(conversationId: string, unkept: boolean): void;
  /** Something was added to or taken from the transcript. */
  changed(): void;
  /** A reply is in flight in the open conversation: nothing more is sent into it until it ends. */
  busy(): boolean;
}

/**
 * Her messages on their way: kept in the outbox until the server acknowledges them, shown as
 * pending in the transcript, sent in order when the socket is open, and offered again (Try
 * again, Edit, Discard) when the server refuses one.
 */
export class Delivery {
  private readonly outbox = new Outbox();
  /** Written to the current socket: not written again until that socket is gone or the server says busy. */
  private readonly sentOnThisSocket = new Set<string>();
  private retryTimer: number | undefined;

  constructor(
    private readonly socket: ChatSocket,
    private readonly transcript: Transcript,
    private readonly composer: Composer,
    private readonly session: Session,
    private readonly hooks: DeliveryHooks,
  ) {}

  /** What is still waiting for a conversation (null: the one not started yet), as the transcript shows it. */
  pendingFor(conversationId: string | null): ViewMessage[] {
    return this.outbox.forConversation(conversationId).map((i) => this.pendingView(i));
  }

  send(text: string, settings: MessageSettings): void {
    const item: OutboxItem = {
      clientId: newClientId(), conversationId: this.session.id, text, mode: settings.mode, region: getRegion(), createdAt: Date.now(),
      ...(this.session.unkept ? { unkept: true } : {}),
      ...(settings.options ? { options: settings.options } : {}),
    };
    this.outbox.add(item);
    this.transcript.upsert(this.pendingView(item));
    this.transcript.scrollToBottom(true);
    this.hooks.changed();
    this.flush();
    if (!this.socket.isOpen) announce('You’re offline. Your message is kept and will send when the connection is back.');
    else if (this.statusOf(item) === 'next') announce('Queued. Your message sends when Mend finishes this reply.');
  }

  /** The server has it: it leaves the outbox. */
  acknowledged(clientId: string): OutboxItem | undefined {
    return this.outbox.remove(clientId);
  }

  /** The new conversation got its id: what waits to go into it goes there. */
  moveNewTo(conversationId: string): void {
    for (const item of this.outbox.forConversation(null)) {
      if (this.transcript.get(`pending:${item.clientId}`)) this.outbox.update(item.clientId, { conversationId });
    }
  }

  /** An error frame about one of her messages; false if it is about none of them. */
  refused(f: Frame<'error'>): boolean {
    const item = f.clientId ? this.outbox.get(f.clientId) : undefined;
    if (!item || !f.clientId) return false;
    if (f.code === 'busy') {
      // Mend is still answering there: keep it queued and try again shortly.
      this.sentOnThisSocket.delete(f.clientId);
      window.clearTimeout(this.retryTimer);
      this.retryTimer = window.setTimeout(() => this.flush(), 2500);
      return true;
    }
    this.fail(item, { code: f.code, message: f.message });
    return true;
  }

  /** The socket is gone: whatever was written to it may not have arrived. */
  forgetSent(): void {
    this.sentOnThisSocket.clear();
  }

  /** Sends queued messages in order: one at a time per conversation, never into a reply in progress. */
  flush(): void {
    if (!this.socket.isOpen) return;
    const seen = new Set<string>();
    for (const item of this.outbox.all()) {
      if (item.failed) continue; // waits for her (Try again, Edit, Discard) without holding up the rest
      const group = item.conversationId ?? 'new';
      if (seen.has(group)) continue;
      seen.add(group);
      if (this.sentOnThisSocket.has(item.clientId)) continue;
      if (item.conversationId && item.conversationId === this.session.id && this.hooks.busy()) continue;
      if (item.conversationId === null && item.sentAt) continue; // reconciled first (reconcileAndFlush)
      this.transmit(item);
    }
    this.refreshPendingStates();
  }

  /**
   * A message that started a new conversation may have been stored although its ack was lost
   * with the connection. Find it before resending, so it is never stored twice.
   */
  async reconcileAndFlush(): Promise<void> {
    const uncertain = this.outbox.all().filter((i) => i.conversationId === null && i.sentAt && !i.failed);
    if (uncertain.length) {
      try {
        const conversations = await api.listConversations();
        for (const item of uncertain) {
          const candidates = conversations.filter((c) => c.createdAt >= (item.sentAt ?? 0) - 120_000).slice(0, 5);
          let found: string | null = null;
          for (const c of candidates) {
            const detail = await api.getConversation(c.id);
            if (detail.messages.some((m) => m.clientId === item.clientId)) {
              found = c.id;
              break;
            }
          }
          // Found: resend into it (acknowledged as a duplicate). Not found: it never arrived.
          this.outbox.update(item.clientId, found ? { conversationId: found } : { sentAt: undefined });
          if (found && this.session.id === null && this.transcript.get(`pending:${item.clientId}`)) this.hooks.adopt(found, item.unkept === true);
        }
      } catch {
        return; // still unreachable; tried again on the next reconnect
      }
    }
    this.flush();
  }

  /** Queued, waiting for the reply, or on its way: shown again whenever the socket or the turn changes. */
  refreshPendingStates(): void {
    for (const v of this.transcript.messages()) {
      if (!v.key.startsWith('pending:') || v.status === 'unsent' || !v.clientId) continue;
      const item = this.outbox.get(v.clientId);
      const status = item ? this.statusOf(item) : v.status;
      if (v.status !== status) this.transcript.upsert({ ...v, status });
    }
  }

  retry(clientId: string): void {
    const item = this.outbox.get(clientId);
    if (!item) return;
    this.outbox.update(clientId, { failed: undefined, sentAt: undefined });
    this.sentOnThisSocket.delete(clientId);
    this.transcript.upsert(this.pendingView({ ...item, failed: undefined }));
    this.flush();
  }

  edit(clientId: string): void {
    const item = this.outbox.remove(clientId);
    if (!item) return;
    this.transcript.remove(`pending:${clientId}`);
    this.composer.restore(item.text);
    this.hooks.changed();
  }

  discard(clientId: string): void {
    this.outbox.remove(clientId);
    this.transcript.remove(`pending:${clientId}`);
    this.composer.focus();
    this.hooks.changed();
  }

  private transmit(item: OutboxItem): void {
    const ok = this.socket.send({
      type: 'send', clientId: item.clientId, text: item.text, mode: item.mode,
      ...(item.conversationId ? { conversationId: item.conversationId } : item.unkept ? { private: true } : {}),
      ...(item.region ? { region: item.region } : {}),
      ...(item.options ? { options: item.options } : {}),
    });
    if (!ok) return;
    this.sentOnThisSocket.add(item.clientId);
    this.outbox.update(item.clientId, { sentAt: Date.now() });
  }

  private fail(item: OutboxItem, error: { code: string; message: string }): void {
    const key = `pending:${item.clientId}`;
    const shown = this.transcript.get(key);
    const mustEdit = error.code === 'bad_frame' || error.code === 'too_large';
    if (shown && mustEdit && !this.composer.value.trim()) {
      // Back into the box, as she wrote it, so she can change it and send again.
      this.outbox.remove(item.clientId);
      this.transcript.remove(key);
      this.composer.restore(item.text);
    } else {
      this.outbox.update(item.clientId, { failed: error, sentAt: undefined });
      if (shown) this.transcript.upsert(this.pendingView({ ...item, failed: error }));
    }
    alertNow(`Your message wasn’t sent. ${error.message}`);
    this.hooks.changed();
  }

  private statusOf(item: OutboxItem): ViewMessage['status'] {
    if (item.failed) return 'unsent';
    if (!this.socket.isOpen) return 'queued';
    if (this.sentOnThisSocket.has(item.clientId)) return 'sending';
    const intoBusy = item.conversationId !== null && item.conversationId === this.session.id && this.hooks.busy();
    // Behind another of her messages, or behind the reply being written.
    const behind = this.outbox.all().find((i) => i.conversationId === item.conversationId && !i.failed) !== item;
    return intoBusy || behind ? 'next' : 'sending';
  }

  private pendingView(item: OutboxItem): ViewMessage {
    const status = this.statusOf(item);
    return {
      key: `pending:${item.clientId}`, role: 'user', text: item.text, status, mode: item.mode, meta: {}, createdAt: item.createdAt,
      clientId: item.clientId, ...(item.failed ? { error: item.failed } : {}),
    };
  }
}
