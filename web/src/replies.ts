import type { ChatMode } from '../../src/protocol/index.js';
import { alertNow, announce } from './announcer.js';
import { api } from './api.js';
import type { Composer } from './composer.js';
import { byId } from './dom.js';
import type { CrisisBanner } from './help.js';
import { newClientId } from './ids.js';
import { refreshMemory } from './memory.js';
import type { Modes } from './modes.js';
import type { Session } from './session.js';
import { stillWriting, type FrameClock } from './snapshot.js';
import type { ChatSocket } from './socket.js';
import { plainText, type Transcript, type ViewMessage } from './transcript.js';
import { isBusy, isPending, replyIdOf, requestOf, Turn, type TurnState } from './turn.js';
import type { Frame } from './types.js';

const TYPING_TEXT: Record<TurnState['phase'], string> = {
  idle: 'Mend is thinking…',
  waiting: 'Mend is thinking…',
  streaming: 'Mend is writing…',
  stopping: 'Stopping…',
};

export interface ReplyHooks {
  /** Re-reads the open conversation from the server and merges it with what streamed meanwhile. */
  resync(): Promise<void>;
  /** A reply ended: titles and times in the list may have changed. */
  listChanged(): void;
  /** The transcript gained a message: the welcome of an empty conversation goes. */
  changed(): void;
  /** The rehearsal's controls depend on what she has said. */
  rehearsalChanged(): void;
  /** The conversation is free again: what waited in the outbox can go. */
  flush(): void;
}

/**
 * Mend's replies in the open conversation: the turn (turn.ts) and everything that follows
 * from it (Send or Stop, the typing line, the watchdog), the reply frames, and following a
 * reply again after a reload or a reconnect.
 */
export class ReplyController {
  private readonly turn = new Turn((state) => this.show(state));
  private readonly announced = new Set<string>();
  /** The socket wasn't open when the page found a reply to follow: asked for once it first opens. */
  private resumeWanted: string | null = null;
  private lastResumeAt = 0;
  private lastDeltaAt = 0;
  /** The next re-read of the conversation, when a reply may have ended without the page hearing. */
  private resyncTimer: number | undefined;
  private watchdog: number | undefined;

  constructor(
    private readonly socket: ChatSocket,
    private readonly transcript: Transcript,
    private readonly composer: Composer,
    private readonly modes: Modes,
    private readonly banner: CrisisBanner,
    private readonly session: Session,
    private readonly clock: FrameClock,
    private readonly hooks: ReplyHooks,
  ) {}

  get busy(): boolean {
    return isBusy(this.turn.state);
  }

  leave(): void {
    this.resumeWanted = null;
    window.clearTimeout(this.resyncTimer);
    this.turn.dispatch({ type: 'left' });
  }

  /** The server has her message; a duplicate ack doesn't count (its turn was already taken). */
  accepted(): void {
    this.turn.dispatch({ type: 'asked', request: 'message' });
    announce('Message sent. Mend is thinking…');
  }

  /** The conversation was read from the server: follow the reply it is still writing, if any. */
  synced(conversationId: string, mode: ChatMode, merged: ViewMessage[], serverActive: string | null, since: number): void {
    const changed = (key: string) => this.clock.changedSince(key, since);
    const active = stillWriting(serverActive, replyIdOf(this.turn.state), merged, changed);
    this.turn.dispatch({ type: 'synced', activeReplyId: active });
    if (active) {
      if (!this.transcript.get(active)) {
        this.transcript.upsert({ key: active, role: 'assistant', text: '', status: 'streaming', mode, meta: {}, createdAt: Date.now() });
      }
      this.resume(conversationId);
    } else if (merged.some((v) => v.role === 'assistant' && v.status === 'streaming')) {
      // The server finished between its save and our read: read once more shortly.
      this.scheduleResync(1200);
    }
  }

  /** The socket opened for the first time. */
  opened(): void {
    if (this.resumeWanted && this.resumeWanted === this.session.id) this.resume(this.session.id);
  }

  stop(): void {
    const id = this.session.id;
    if (!id) return;
    this.turn.dispatch({ type: 'stopPressed' });
    if (!this.socket.send({ type: 'stop', conversationId: id })) {
      announce('You’re offline. Mend will stop the reply as soon as the connection is back.');
    }
  }

  regenerate(): void {
    const id = this.session.id;
    if (!id || this.busy) return;
    if (!this.socket.send({ type: 'regenerate', conversationId: id, clientId: newClientId() })) {
      alertNow('You’re offline. Try again when the connection is back.');
      return;
    }
    for (const v of this.transcript.messages()) if (v.key.startsWith('error:')) this.transcript.remove(v.key);
    // Her focus was on the old reply's button, which goes when the new reply starts.
    this.composer.focus();
    this.turn.dispatch({ type: 'asked', request: 'regenerate' });
    announce('Mend is writing that reply again…');
  }

  /** The server has her edited message: Mend answers it anew. */
  edited(): void {
    this.turn.dispatch({ type: 'asked', request: 'edit' });
    announce('Your edit is saved. Mend is thinking…');
  }

  /** A rehearsal action: end it (Mend writes her feedback) or take her last line back. */
  act(action: 'rehearsal.end' | 'rehearsal.rewind'): void {
    const id = this.session.id;
    if (!id || this.busy) return;
    if (!this.socket.send({ type: 'action', conversationId: id, clientId: newClientId(), action })) {
      alertNow('You’re offline. Try again when the connection is back.');
      return;
    }
    this.turn.dispatch({ type: 'asked', request: 'action' });
    announce(action === 'rehearsal.end' ? 'Ending the rehearsal. Mend is writing your feedback…' : 'Rewinding. Try your line again.');
  }

  rate(m: ViewMessage, rating: 'up' | 'down' | null): void {
    if (m.key.includes(':')) return;
    api.feedback(m.key, rating).then(
      () => announce(rating === 'up' ? 'Thanks. Marked as helpful.' : rating === 'down' ? 'Thanks. Marked as not helpful.' : 'Rating removed.'),
      () => alertNow('Your rating could not be saved just now.'),
    );
  }

  onSafety(f: Frame<'safety'>): void {
    if (f.conversationId !== this.session.id) return;
    const view: ViewMessage = {
      key: `safety:${f.messageId}`, role: 'safety', text: f.notice, status: 'complete', mode: this.modes.mode,
      meta: { level: f.level, resources: f.resources, banner: f.banner, ...(f.carriedFrom ? { carriedFrom: f.carriedFrom } : {}) }, createdAt: Date.now(),
    };
    if (f.notice.trim() || f.resources.length) {
      const active = replyIdOf(this.turn.state);
      if (active && this.transcript.get(active)) this.transcript.insertBefore(view, active);
      else this.transcript.upsert(view);
    }
    if (f.banner || f.level === 'crisis') {
      this.banner.show(true);
      if (this.session.conversation) this.session.conversation = { ...this.session.conversation, banner: true };
    } else if (f.notice.trim()) {
      alertNow('Mend added a safety note with places to get help.');
    }
  }

  onReplyStart(f: Frame<'reply.start'>): void {
    if (f.conversationId !== this.session.id) return;
    const before = this.turn.dispatch({ type: 'replyStarted', replyId: f.replyId });
    if (isPending(before) && requestOf(before) === 'regenerate') {
      // The server dropped the replies after her last message.
      const views = this.transcript.messages();
      const lastUser = views.map((v) => v.role).lastIndexOf('user');
      for (const v of views.slice(lastUser + 1)) if (v.role === 'assistant' && v.key !== f.replyId) this.transcript.remove(v.key);
    }
    const existing = this.transcript.get(f.replyId);
    this.transcript.upsert({
      key: f.replyId, role: 'assistant', text: existing?.text ?? '', status: 'streaming', mode: f.mode,
      meta: { ...existing?.meta, ...f.meta }, createdAt: existing?.createdAt ?? Date.now(),
    });
    this.stopIfAsked(before, f.conversationId);
    this.hooks.changed();
  }

  onReplyDelta(f: Frame<'reply.delta'>): void {
    if (f.conversationId !== this.session.id) return;
    this.lastDeltaAt = Date.now();
    let view = this.transcript.get(f.replyId);
    if (!view) {
      if (f.offset !== 0) return this.requestReplay();
      view = { key: f.replyId, role: 'assistant', text: '', status: 'streaming', mode: this.modes.mode, meta: {}, createdAt: Date.now() };
      this.transcript.upsert(view);
      this.stopIfAsked(this.turn.dispatch({ type: 'replyStarted', replyId: f.replyId }), f.conversationId);
    }
    if (view.status !== 'streaming') return;
    const have = view.text.length;
    if (f.offset > have) return this.requestReplay(); // a gap: ask for everything again
    const end = f.offset + f.text.length;
    if (end <= have) return; // already shown (a replay after resume)
    this.transcript.setStreamingText(f.replyId, view.text + f.text.slice(have - f.offset));
  }

  onReplyEnd(f: Frame<'reply.end'>): void {
    if (f.conversationId !== this.session.id) {
      this.hooks.listChanged();
      return;
    }
    const existing = this.transcript.get(f.replyId);
    this.transcript.upsert({
      key: f.replyId, role: 'assistant', text: f.text, status: f.status, mode: existing?.mode ?? this.modes.mode,
      meta: { ...existing?.meta, ...f.meta }, createdAt: existing?.createdAt ?? Date.now(), ...(f.error ? { error: f.error } : {}),
    });
    const before = this.turn.dispatch({ type: 'replyEnded', replyId: f.replyId });
    window.clearTimeout(this.resyncTimer);
    if (!this.announced.has(f.replyId)) {
      this.announced.add(f.replyId);
      const who = f.meta.voice === 'son' ? 'Your son (role-play)' : f.meta.voice === 'coach-note' ? 'Coach note' : 'Mend';
      if (f.status === 'complete') announce(`${who}: ${plainText(f.text)}`);
      else if (f.status === 'stopped') announce('Reply stopped. What was written so far is kept.');
      else alertNow(`The reply didn’t finish. ${f.error?.message ?? ''} You can try again.`.replace(/\s+/g, ' '));
    }
    // A rehearsal action may change more than its reply (a rewind takes her last line back).
    if (requestOf(before) === 'action') this.scheduleResync(400);
    refreshMemory(f.conversationId);
    this.hooks.listChanged();
    this.hooks.rehearsalChanged();
    this.hooks.flush();
  }

  /** An error frame about the open conversation; false if it is about another one (or none). */
  refused(f: Frame<'error'>): boolean {
    if (!f.conversationId || f.conversationId !== this.session.id) return false;
    const before = this.turn.dispatch({ type: 'refused' });
    if (f.code === 'not_found') {
      alertNow(f.message);
      return true;
    }
    if ((before.phase === 'waiting' || before.phase === 'stopping') && f.code !== 'busy') {
      const key = `error:${Date.now()}`;
      this.clock.touch(key);
      this.transcript.upsert({
        key, role: 'assistant', text: '', status: 'failed', mode: this.modes.mode, meta: {},
        createdAt: Date.now(), error: { code: f.code, message: f.message },
      });
    }
    alertNow(f.message);
    return true;
  }

  /** She pressed Stop before the reply started: it is stopped as soon as it does. */
  private stopIfAsked(before: TurnState, conversationId: string): void {
    if (before.phase === 'stopping' && before.replyId === null) this.socket.send({ type: 'stop', conversationId });
  }

  private resume(conversationId: string): void {
    if (!this.socket.send({ type: 'resume', conversationId })) {
      this.resumeWanted = conversationId;
      return;
    }
    this.resumeWanted = null;
    this.lastResumeAt = Date.now();
    if (this.turn.state.phase === 'stopping') this.socket.send({ type: 'stop', conversationId });
    // If the reply ended just before we asked, nothing comes back: read it from the server.
    const startedAt = this.lastResumeAt;
    window.clearTimeout(this.resyncTimer);
    this.resyncTimer = window.setTimeout(() => {
      if (replyIdOf(this.turn.state) && this.lastDeltaAt < startedAt) void this.hooks.resync();
    }, 2500);
  }

  /** Asks again for the whole reply, when a delta shows that some text was missed. */
  private requestReplay(): void {
    if (!this.session.id || Date.now() - this.lastResumeAt < 1500) return;
    this.resume(this.session.id);
  }

  private scheduleResync(ms: number): void {
    window.clearTimeout(this.resyncTimer);
    this.resyncTimer = window.setTimeout(() => void this.hooks.resync(), ms);
  }

  /**
   * If Mend says nothing for a while after she asked (a frame lost on the way, an action that
   * writes no reply), read the conversation again rather than "thinking" forever.
   */
  private armWatchdog(): void {
    window.clearTimeout(this.watchdog);
    const armedAt = this.clock.now;
    this.watchdog = window.setTimeout(async () => {
      if (!isPending(this.turn.state) || this.clock.now !== armedAt) return;
      await this.hooks.resync();
      if (isPending(this.turn.state) && this.clock.now === armedAt) this.turn.dispatch({ type: 'silence' });
    }, 15_000);
  }

  private show(state: TurnState): void {
    if (isPending(state)) this.armWatchdog();
    else window.clearTimeout(this.watchdog);
    const busy = isBusy(state);
    this.composer.setBusy(busy, state.phase === 'stopping');
    this.transcript.setBusy(busy);
    this.transcript.setTyping(busy);
    byId('typing-text').textContent = TYPING_TEXT[state.phase];
    this.modes.setRehearsalEnabled(!busy && this.transcript.hasUserMessages(false));
    this.hooks.rehearsalChanged(); // whose turn it is
  }
}
