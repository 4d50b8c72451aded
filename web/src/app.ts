import { alertNow, announce } from './announcer.js';
import { api, ApiError } from './api.js';
import { briefEditKey, closeBrief, openBrief } from './brief.js';
import { Composer } from './composer.js';
import { ConversationList } from './conversations.js';
import { confirmDialog, promptDialog } from './dialogs.js';
import { byId, h } from './dom.js';
import { CrisisBanner, initHelp } from './help.js';
import { closeDrawer, initDrawer } from './drawer.js';
import { initStarters, updateEmptyState } from './empty-state.js';
import { buildSettings, showModelInfo } from './settings.js';
import { newClientId } from './ids.js';
import { KeepChoice } from './keep-choice.js';
import { closeMemory, memoryEditsKey, openMemory, refreshMemory } from './memory.js';
import { askRehearsal, MODES, Modes } from './modes.js';
import { Outbox, type OutboxItem } from './outbox.js';
import { earlyRegion, getRegion, initRegion, onRegion } from './region.js';
import { ChatSocket, type ConnectionState } from './socket.js';
import { drafts, keepInMemoryOnly, readJson, remove, writeJson } from './storage.js';
import { syncThemeColor } from './theme.js';
import { plainText, Transcript, type ViewMessage } from './transcript.js';
import type { ChatMode, Conversation, Health, Message, RehearsalOptions, ServerFrame } from './types.js';

type Frame<T extends ServerFrame['type']> = Extract<ServerFrame, { type: T }>;

const CONNECTION_TEXT: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  online: 'Online',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
};

function toView(m: Message): ViewMessage {
  return {
    key: m.id, role: m.role, text: m.text, status: m.status, mode: m.mode, meta: m.meta ?? {}, createdAt: m.createdAt, clientId: m.clientId,
  };
}

function conversationIdFromHash(): string | null {
  const match = /^#\/c\/([A-Za-z0-9_-]{1,64})$/.exec(location.hash);
  return match ? match[1]! : null;
}

/**
 * The page's controller: which conversation is open, what the socket says, what she sends.
 * Views (transcript, list, composer, modes, help) only render; the decisions are here.
 */
export class App {
  private readonly outbox = new Outbox();
  private readonly socket: ChatSocket;
  private readonly transcript: Transcript;
  private readonly list: ConversationList;
  private readonly composer: Composer;
  private readonly modes: Modes;
  private readonly banner = new CrisisBanner();
  private readonly keepChoice = new KeepChoice((unkept) => this.showUnkept(unkept));

  private health: Health | null = null;
  private currentId: string | null = null;
  private conversation: Conversation | null = null;
  private loadToken = 0;
  private loaded = false;

  /** The reply being written in the open conversation. */
  private activeReplyId: string | null = null;
  /** She sent something; the reply has not started yet. */
  private awaiting = false;
  private stopping = false;
  private stopWhenStarted = false;
  private replacing = false;
  private resyncAfterTurn = false;
  private resumeWanted: string | null = null;
  private lastResumeAt = 0;
  private lastDeltaAt = 0;
  private resumeCheck: number | undefined;
  private readonly sentOnThisSocket = new Set<string>();
  private retryTimer: number | undefined;
  private listTimer: number | undefined;
  private readonly announced = new Set<string>();
  private rehearsal: RehearsalOptions | null = null;
  private wasDown = false;
  private noteTimer: number | undefined;
  private watchdog: number | undefined;
  /** Counts frames; `touched` remembers when each message last changed, to merge re-reads. */
  private frameClock = 0;
  private readonly touched = new Map<string, number>();

  constructor() {
    const scroller = byId('scroller');
    this.transcript = new Transcript(byId('transcript'), scroller, byId<HTMLButtonElement>('jump'), byId('typing'), {
      regenerate: () => this.regenerate(),
      feedback: (m, rating) => this.feedback(m, rating),
      retrySend: (clientId) => this.retrySend(clientId),
      editUnsent: (clientId) => this.editUnsent(clientId),
      discardUnsent: (clientId) => this.discardUnsent(clientId),
      openBrief: (from) => this.openBrief(from),
    });
    this.list = new ConversationList(byId('conv-list'), byId('conv-empty'), {
      rename: (c) => void this.rename(c),
      remove: (c) => void this.remove(c),
    });
    this.composer = new Composer(
      byId<HTMLFormElement>('composer'), byId<HTMLTextAreaElement>('message'), byId<HTMLButtonElement>('send'),
      byId<HTMLButtonElement>('stop'), byId('composer-hint'), byId('composer-count'),
      { send: (text) => this.send(text), stop: () => this.stop() },
    );
    this.modes = new Modes(byId('modes'), byId('rehearse-bar'), {
      select: (mode) => void this.selectMode(mode),
      rehearsalAction: (action) => this.rehearsalAction(action),
      notesChanged: (on) => this.setNotes(on),
    });
    const wsUrl = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/api/chat`;
    this.socket = new ChatSocket(wsUrl, {
      frame: (f) => this.onFrame(f),
      state: (s) => this.onConnection(s),
      open: (reconnected) => this.onOpen(reconnected),
    });
  }

  async start(): Promise<void> {
    earlyRegion();
    initHelp();
    buildSettings(() => void this.removeAll());
    initDrawer();
    byId('rename-current').addEventListener('click', () => { if (this.conversation) void this.rename(this.conversation); });
    byId('delete-current').addEventListener('click', () => { if (this.conversation) void this.remove(this.conversation); });
    byId('open-brief').addEventListener('click', (event) => this.openBrief(event.currentTarget as HTMLElement));
    byId('open-memory').addEventListener('click', (event) => this.openMemory(event.currentTarget as HTMLElement));
    initStarters((text) => this.composer.restore(text));
    syncThemeColor();
    window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', syncThemeColor);
    byId('new-conversation').addEventListener('click', () => {
      this.navigate(null);
      this.composer.focus();
    });
    window.addEventListener('hashchange', () => void this.route());
    byId('connection-retry').addEventListener('click', () => this.socket.reconnectNow());
    onRegion(() => this.updateEmptyState());
    this.socket.start();
    const [health] = await Promise.allSettled([api.health(), this.refreshList()]);
    this.health = health.status === 'fulfilled' ? health.value : null;
    initRegion(this.health?.region);
    showModelInfo(this.health);
    await this.route();
    document.documentElement.classList.add('ready');
  }

  // ── Navigation ────────────────────────────────────────────────────────────

  private navigate(id: string | null): void {
    const hash = id ? `#/c/${id}` : '#/new';
    closeDrawer();
    if (location.hash === hash) void this.route();
    else location.hash = hash;
  }

  private async route(): Promise<void> {
    const id = conversationIdFromHash();
    if (id && id === this.currentId && this.loaded) return;
    if (id) {
      await this.openConversation(id);
      return;
    }
    if (this.currentId !== null || !this.loaded || this.pendingNew) {
      const next = this.pendingNew;
      this.pendingNew = null;
      this.openNew(next?.mode ?? 'coach', next?.rehearsal ?? null, next?.unkept ?? false);
    }
    if (this.loaded && document.activeElement === document.body && matchMedia('(hover: hover) and (pointer: fine)').matches) this.composer.focus();
  }

  private leaveConversation(): void {
    closeBrief();
    closeMemory();
    this.activeReplyId = null;
    this.awaiting = false;
    this.stopping = false;
    this.stopWhenStarted = false;
    this.replacing = false;
    this.resyncAfterTurn = false;
    this.resumeWanted = null;
    window.clearTimeout(this.resumeCheck);
    this.setBusy();
  }

  private openNew(mode: ChatMode = 'coach', rehearsal: RehearsalOptions | null = null, unkept = false): void {
    this.leaveConversation();
    // Her tick stays until a conversation is started from it; one started from a private one is private too.
    if (unkept) this.keepChoice.set(true);
    this.loadToken += 1;
    this.loaded = true;
    this.currentId = null;
    this.conversation = null;
    this.rehearsal = mode === 'rehearse' ? rehearsal : null;
    this.list.setCurrent(null);
    this.composer.setConversation(null);
    this.transcript.reset(this.outbox.forConversation(null).map((i) => this.pendingView(i)));
    this.banner.hide();
    this.setMode(mode);
    this.setTitle('New conversation');
    this.showUnkept(this.keepChoice.unkept);
    this.updateEmptyState();
    byId('conv-actions').hidden = true;
  }

  private async openConversation(id: string): Promise<void> {
    const token = ++this.loadToken;
    const switching = id !== this.currentId;
    if (switching) {
      this.leaveConversation();
      this.currentId = id;
      this.conversation = this.list.find(id) ?? null;
      this.list.setCurrent(id);
      this.composer.setConversation(id);
      this.rehearsal = readJson<RehearsalOptions | null>(`rehearsal.${id}`, null);
      this.setTitle(this.conversation?.title ?? 'Conversation');
      this.showUnkept(this.conversation?.private === true);
      byId('conv-actions').hidden = false;
      this.transcript.reset(this.outbox.forConversation(id).map((i) => this.pendingView(i)));
      byId('scroller').setAttribute('aria-busy', 'true');
    }
    this.loaded = true;
    try {
      const since = this.frameClock;
      const detail = await api.getConversation(id);
      if (token !== this.loadToken) return;
      this.applyDetail(detail, switching, since);
    } catch (error) {
      if (token !== this.loadToken) return;
      if (error instanceof ApiError && error.status === 404) {
        alertNow(this.list.find(id)?.private
          ? 'That conversation is gone: Mend wasn’t keeping it, and it has restarted since.'
          : 'That conversation no longer exists. It may have been deleted.');
        this.list.remove(id);
        this.navigate(null);
        return;
      }
      this.showLoadProblem(error instanceof ApiError ? error.message : 'This conversation could not be loaded.');
    } finally {
      if (token === this.loadToken) byId('scroller').removeAttribute('aria-busy');
    }
  }

  /**
   * Shows the server's copy of the conversation, merged with what the page learnt after the
   * copy was requested (`since`, a frame count): a reply streamed or finished meanwhile, her
   * message acknowledged meanwhile, and messages still waiting in the outbox. A reply still
   * being written is resumed.
   */
  private applyDetail(detail: { conversation: Conversation; messages: Message[]; activeReplyId: string | null }, fresh: boolean, since = Number.POSITIVE_INFINITY): void {
    const { conversation, messages } = detail;
    this.conversation = conversation;
    this.rememberUnkept([conversation]);
    this.list.upsert(conversation);
    this.list.setCurrent(conversation.id);
    this.setTitle(conversation.title);
    this.showUnkept(conversation.private === true);

    const local = this.transcript.messages();
    const localByKey = new Map(local.map((v) => [v.key, v]));
    const newer = (key: string) => (this.touched.get(key) ?? -1) >= since;
    const snapshot = messages.map(toView).map((v) => {
      const l = localByKey.get(v.key);
      if (!l || l.role !== 'assistant' || v.status !== 'streaming') return v;
      if (l.status !== 'streaming') return l; // it finished after the copy was taken
      return l.text.length > v.text.length && l.text.startsWith(v.text) ? { ...v, text: l.text, meta: { ...v.meta, ...l.meta } } : v;
    });
    const snapshotKeys = new Set(snapshot.map((v) => v.key));
    // A live safety notice is keyed by her message's id; the stored one has its own id.
    let lastUserId: string | null = null;
    for (const v of snapshot) {
      if (v.role === 'user') lastUserId = v.key;
      else if (v.role === 'safety' && lastUserId) snapshotKeys.add(`safety:${lastUserId}`);
    }
    const merged = [...snapshot];
    for (const l of local) {
      if (snapshotKeys.has(l.key) || l.key.startsWith('pending:')) continue;
      if (newer(l.key)) merged.push(l);
    }
    for (const item of this.outbox.forConversation(conversation.id)) {
      if (messages.some((m) => m.clientId === item.clientId)) continue;
      if (!merged.some((v) => v.key === `pending:${item.clientId}`)) merged.push(this.pendingView(item));
    }
    this.transcript.reset(merged, !fresh);

    const lastUser = [...messages].reverse().find((m) => m.role === 'user');
    if (fresh) this.setMode(conversation.mode === 'rehearse' ? 'rehearse' : (lastUser?.mode ?? conversation.mode));
    if (conversation.banner || messages.some((m) => m.role === 'safety' && m.meta?.banner) || this.conversation.banner) this.banner.show(false);
    else this.banner.hide();

    // Which reply (if any) is still being written: the server's word, unless we saw it end since.
    let active = detail.activeReplyId;
    if (active && merged.find((v) => v.key === active)?.status !== 'streaming' && merged.some((v) => v.key === active)) active = null;
    if (!active && this.activeReplyId && newer(this.activeReplyId) && merged.find((v) => v.key === this.activeReplyId)?.status === 'streaming') {
      active = this.activeReplyId;
    }
    this.activeReplyId = active;
    if (active) {
      this.awaiting = false;
      if (!this.transcript.get(active)) {
        this.transcript.upsert({ key: active, role: 'assistant', text: '', status: 'streaming', mode: conversation.mode, meta: {}, createdAt: Date.now() });
      }
      this.resume(conversation.id);
    } else if (merged.some((v) => v.role === 'assistant' && v.status === 'streaming')) {
      // The server finished between its save and our read: read once more shortly.
      this.scheduleResync(1200);
    }
    this.setBusy();
    this.updateEmptyState();
    this.refreshRehearsalBar();
    this.flushOutbox();
  }

  private showLoadProblem(message: string): void {
    const note = h('div', { class: 'load-problem', role: 'alert' }, h('p', {}, message), h('p', { class: 'muted' }, 'Mend will try again when the connection is back.'));
    const retry = h('button', { type: 'button', class: 'button button-secondary button-small' }, 'Try again now');
    retry.addEventListener('click', () => { if (this.currentId) void this.openConversation(this.currentId); });
    note.appendChild(retry);
    byId('transcript').replaceChildren(note);
  }

  /** Re-reads the open conversation from the server and merges it with what streamed meanwhile. */
  private async resync(): Promise<void> {
    if (!this.currentId) return;
    const token = this.loadToken;
    const since = this.frameClock;
    try {
      const detail = await api.getConversation(this.currentId);
      if (token === this.loadToken && detail.conversation.id === this.currentId) this.applyDetail(detail, false, since);
    } catch { /* tried again on the next reconnect */ }
  }

  private scheduleResync(ms: number): void {
    window.clearTimeout(this.resumeCheck);
    this.resumeCheck = window.setTimeout(() => void this.resync(), ms);
  }

  // ── Connection ────────────────────────────────────────────────────────────

  private onConnection(state: ConnectionState): void {
    const pill = byId('connection');
    pill.dataset.state = state;
    byId('connection-text').textContent = CONNECTION_TEXT[state];
    pill.title = state === 'online' ? 'Connected to Mend' : state === 'offline'
      ? 'Offline. Messages you send are kept and go out when the connection is back.'
      : 'Reconnecting to Mend…';
    window.clearTimeout(this.noteTimer);
    const note = byId('connection-note');
    if (state === 'online' || state === 'connecting') note.hidden = true;
    else {
      byId('connection-note-text').textContent = state === 'offline'
        ? 'You’re offline. Anything you write is kept and sent when the connection is back.'
        : 'Reconnecting to Mend… Anything you write is kept and sent when the connection is back.';
      // A blip of a second is not worth a banner.
      this.noteTimer = window.setTimeout(() => { note.hidden = this.socket.state === 'online'; }, 1200);
    }
    if (state === 'offline') void api.health().catch(() => undefined); // a 401 sends her to the login page
    if (state === 'reconnecting' || state === 'offline') {
      if (!this.wasDown) alertNow(state === 'offline'
        ? 'You are offline. Anything you write is kept and sent when the connection is back.'
        : 'Connection lost. Reconnecting… Nothing you wrote is lost.');
      this.wasDown = true;
      this.sentOnThisSocket.clear();
    } else if (state === 'online' && this.wasDown) {
      this.wasDown = false;
      alertNow('Reconnected.');
    }
    this.refreshPendingStates();
  }

  private onOpen(reconnected: boolean): void {
    this.sentOnThisSocket.clear();
    if (reconnected) {
      // Read what happened while away first, then resume and send what waited in the outbox.
      void this.resync().finally(() => void this.reconcileAndFlush());
      void this.refreshList();
      return;
    }
    if (this.resumeWanted && this.resumeWanted === this.currentId) this.resume(this.currentId);
    void this.reconcileAndFlush();
  }

  private resume(conversationId: string): void {
    if (!this.socket.send({ type: 'resume', conversationId })) {
      this.resumeWanted = conversationId;
      return;
    }
    this.resumeWanted = null;
    this.lastResumeAt = Date.now();
    if (this.stopping) this.socket.send({ type: 'stop', conversationId });
    // If the reply ended just before we asked, nothing comes back: read it from the server.
    const startedAt = this.lastResumeAt;
    window.clearTimeout(this.resumeCheck);
    this.resumeCheck = window.setTimeout(() => {
      if (this.activeReplyId && this.lastDeltaAt < startedAt) void this.resync();
    }, 2500);
  }

  /** Asks again for the whole reply, when a delta shows that some text was missed. */
  private requestReplay(): void {
    if (!this.currentId || Date.now() - this.lastResumeAt < 1500) return;
    this.resume(this.currentId);
  }

  // ── Frames ────────────────────────────────────────────────────────────────

  private onFrame(f: ServerFrame): void {
    this.frameClock += 1;
    const key = f.type === 'ack' ? f.messageId
      : f.type === 'safety' ? `safety:${f.messageId}`
        : f.type === 'reply.start' || f.type === 'reply.delta' || f.type === 'reply.end' ? f.replyId : null;
    if (key) this.touched.set(key, this.frameClock);
    switch (f.type) {
      case 'ack': return this.onAck(f);
      case 'safety': return this.onSafety(f);
      case 'reply.start': return this.onReplyStart(f);
      case 'reply.delta': return this.onReplyDelta(f);
      case 'reply.end': return this.onReplyEnd(f);
      case 'error': return this.onError(f);
      case 'pong': return;
    }
  }

  private onAck(f: Frame<'ack'>): void {
    const item = this.outbox.remove(f.clientId);
    const pendingKey = `pending:${f.clientId}`;
    if (this.currentId === null && this.transcript.get(pendingKey)) {
      this.adoptNewConversation(f.conversationId, item ? item.unkept === true : this.keepChoice.unkept);
    }
    if (f.conversationId === this.currentId) {
      if (this.transcript.get(f.messageId)) this.transcript.remove(pendingKey);
      else this.transcript.rekey(pendingKey, f.messageId, { status: 'complete' });
      if (f.duplicate) {
        // Stored before the connection dropped; the server resumes the reply, and a re-read
        // catches a reply that already finished while we were away.
        void this.resync();
      } else {
        this.awaiting = true;
        this.setBusy();
        announce('Message sent. Mend is thinking…');
      }
      this.refreshRehearsalBar();
    }
    if (item) this.scheduleListRefresh();
    this.flushOutbox();
  }

  private adoptNewConversation(id: string, unkept: boolean): void {
    this.currentId = id;
    this.loadToken += 1;
    history.replaceState(null, '', `#/c/${id}`);
    // Before anything is written under its id: her draft and settings for it stay in memory.
    if (unkept) keepInMemoryOnly(id, true);
    this.composer.adoptConversationId(id);
    this.keepChoice.set(false); // the next new conversation is kept unless she says otherwise
    if (this.rehearsal) {
      writeJson(`rehearsal.${id}`, this.rehearsal);
      writeJson(`rehearsal-notes-sent.${id}`, this.rehearsal.notes);
    }
    for (const item of this.outbox.forConversation(null)) {
      if (this.transcript.get(`pending:${item.clientId}`)) this.outbox.update(item.clientId, { conversationId: id });
    }
    const now = Date.now();
    const firstText = this.transcript.messages().find((m) => m.role === 'user')?.text ?? '';
    this.conversation = {
      id, title: firstText.split('\n')[0]!.slice(0, 48) || 'New conversation', mode: this.modes.mode,
      safetyLevel: 'calm', banner: false, private: unkept, createdAt: now, updatedAt: now,
    };
    this.list.upsert(this.conversation);
    this.list.setCurrent(id);
    this.setTitle(this.conversation.title);
    this.showUnkept(unkept);
    byId('conv-actions').hidden = false;
    this.refreshRehearsalBar();
    this.scheduleListRefresh();
  }

  private onSafety(f: Frame<'safety'>): void {
    if (f.conversationId !== this.currentId) return;
    const view: ViewMessage = {
      key: `safety:${f.messageId}`, role: 'safety', text: f.notice, status: 'complete', mode: this.modes.mode,
      meta: { level: f.level, resources: f.resources, banner: f.banner }, createdAt: Date.now(),
    };
    if (f.notice.trim() || f.resources.length) {
      if (this.activeReplyId && this.transcript.get(this.activeReplyId)) this.transcript.insertBefore(view, this.activeReplyId);
      else this.transcript.upsert(view);
    }
    if (f.banner || f.level === 'crisis') {
      this.banner.show(true);
      if (this.conversation) this.conversation = { ...this.conversation, banner: true };
    } else if (f.notice.trim()) {
      alertNow('Mend added a safety note with places to get help.');
    }
  }

  private onReplyStart(f: Frame<'reply.start'>): void {
    if (f.conversationId !== this.currentId) return;
    this.awaiting = false;
    this.activeReplyId = f.replyId;
    if (this.replacing) {
      // Regenerate: the server dropped the replies after her last message.
      const views = this.transcript.messages();
      const lastUser = views.map((v) => v.role).lastIndexOf('user');
      for (const v of views.slice(lastUser + 1)) if (v.role === 'assistant' && v.key !== f.replyId) this.transcript.remove(v.key);
      this.replacing = false;
    }
    const existing = this.transcript.get(f.replyId);
    this.transcript.upsert({
      key: f.replyId, role: 'assistant', text: existing?.text ?? '', status: 'streaming', mode: f.mode,
      meta: { ...existing?.meta, ...f.meta }, createdAt: existing?.createdAt ?? Date.now(),
    });
    if (this.stopWhenStarted) {
      this.stopWhenStarted = false;
      this.socket.send({ type: 'stop', conversationId: f.conversationId });
    }
    this.setBusy();
    this.updateEmptyState();
  }

  private onReplyDelta(f: Frame<'reply.delta'>): void {
    if (f.conversationId !== this.currentId) return;
    this.lastDeltaAt = Date.now();
    let view = this.transcript.get(f.replyId);
    if (!view) {
      if (f.offset !== 0) return this.requestReplay();
      view = { key: f.replyId, role: 'assistant', text: '', status: 'streaming', mode: this.modes.mode, meta: {}, createdAt: Date.now() };
      this.transcript.upsert(view);
      this.activeReplyId = f.replyId;
      this.awaiting = false;
      this.setBusy();
    }
    if (view.status !== 'streaming') return;
    const have = view.text.length;
    if (f.offset > have) return this.requestReplay(); // a gap: ask for everything again
    const end = f.offset + f.text.length;
    if (end <= have) return; // already shown (a replay after resume)
    this.transcript.setStreamingText(f.replyId, view.text + f.text.slice(have - f.offset));
  }

  private onReplyEnd(f: Frame<'reply.end'>): void {
    if (f.conversationId !== this.currentId) {
      this.scheduleListRefresh();
      return;
    }
    const existing = this.transcript.get(f.replyId);
    this.transcript.upsert({
      key: f.replyId, role: 'assistant', text: f.text, status: f.status, mode: existing?.mode ?? this.modes.mode,
      meta: { ...existing?.meta, ...f.meta }, createdAt: existing?.createdAt ?? Date.now(), ...(f.error ? { error: f.error } : {}),
    });
    if (this.activeReplyId === f.replyId) this.activeReplyId = null;
    this.awaiting = false;
    this.stopping = false;
    this.replacing = false;
    window.clearTimeout(this.resumeCheck);
    this.setBusy();
    if (!this.announced.has(f.replyId)) {
      this.announced.add(f.replyId);
      const who = f.meta.voice === 'son' ? 'Your son (role-play)' : f.meta.voice === 'coach-note' ? 'Coach note' : 'Mend';
      if (f.status === 'complete') announce(`${who}: ${plainText(f.text)}`);
      else if (f.status === 'stopped') announce('Reply stopped. What was written so far is kept.');
      else alertNow(`The reply didn’t finish. ${f.error?.message ?? ''} You can try again.`.replace(/\s+/g, ' '));
    }
    if (this.resyncAfterTurn) {
      this.resyncAfterTurn = false;
      this.scheduleResync(400);
    }
    refreshMemory(f.conversationId);
    this.scheduleListRefresh();
    this.refreshRehearsalBar();
    this.flushOutbox();
  }

  private onError(f: Frame<'error'>): void {
    const item = f.clientId ? this.outbox.get(f.clientId) : undefined;
    if (item && f.clientId) {
      if (f.code === 'busy') {
        // Mend is still answering there: keep it queued and try again shortly.
        this.sentOnThisSocket.delete(f.clientId);
        window.clearTimeout(this.retryTimer);
        this.retryTimer = window.setTimeout(() => this.flushOutbox(), 2500);
        return;
      }
      this.failItem(item, { code: f.code, message: f.message });
      return;
    }
    if (f.conversationId && f.conversationId === this.currentId) {
      const wasWaiting = this.awaiting || this.replacing || this.stopping;
      this.awaiting = false;
      this.replacing = false;
      this.stopping = false;
      this.resyncAfterTurn = false;
      if (f.code === 'not_found') {
        alertNow(f.message);
        this.setBusy();
        return;
      }
      if (wasWaiting && f.code !== 'busy') {
        const key = `error:${Date.now()}`;
        this.touched.set(key, this.frameClock);
        this.transcript.upsert({
          key, role: 'assistant', text: '', status: 'failed', mode: this.modes.mode, meta: {},
          createdAt: Date.now(), error: { code: f.code, message: f.message },
        });
      }
      this.setBusy();
      alertNow(f.message);
      return;
    }
    if (f.conversationId) return; // about another conversation
    alertNow(f.message);
  }

  // ── Sending ───────────────────────────────────────────────────────────────

  private send(text: string): boolean {
    const mode = this.modes.mode;
    if (mode === 'rehearse' && !this.rehearsal) {
      void this.selectMode('rehearse');
      return false;
    }
    const item: OutboxItem = {
      clientId: newClientId(), conversationId: this.currentId, text, mode, region: getRegion(), createdAt: Date.now(),
      ...(this.isUnkept() ? { unkept: true } : {}),
      ...(mode === 'rehearse' && this.rehearsal && this.rehearsalOptionsDue() ? { options: { ...this.rehearsal } } : {}),
    };
    if (item.options && this.currentId) writeJson(`rehearsal-notes-sent.${this.currentId}`, this.rehearsal?.notes);
    this.outbox.add(item);
    this.transcript.upsert(this.pendingView(item));
    this.transcript.scrollToBottom(true);
    this.updateEmptyState();
    this.flushOutbox();
    if (!this.socket.isOpen) announce('You’re offline. Your message is kept and will send when the connection is back.');
    return true;
  }

  /** Sends queued messages in order: one at a time per conversation, never into a reply in progress. */
  private flushOutbox(): void {
    if (!this.socket.isOpen) return;
    const seen = new Set<string>();
    for (const item of this.outbox.all()) {
      const group = item.conversationId ?? 'new';
      if (seen.has(group)) continue;
      seen.add(group);
      if (item.failed) continue;
      if (this.sentOnThisSocket.has(item.clientId)) continue;
      if (item.conversationId && item.conversationId === this.currentId && (this.activeReplyId || this.awaiting)) continue;
      if (item.conversationId === null && item.sentAt) continue; // reconciled first (reconcileAndFlush)
      this.transmit(item);
    }
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
    const key = `pending:${item.clientId}`;
    const view = this.transcript.get(key);
    if (view && view.status !== 'sending') this.transcript.upsert({ ...view, status: 'sending' });
  }

  /**
   * A message that started a new conversation may have been stored although its ack was lost
   * with the connection. Find it before resending, so it is never stored twice.
   */
  private async reconcileAndFlush(): Promise<void> {
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
          if (found && this.currentId === null && this.transcript.get(`pending:${item.clientId}`)) this.adoptNewConversation(found, item.unkept === true);
        }
      } catch {
        return; // still unreachable; tried again on the next reconnect
      }
    }
    this.flushOutbox();
  }

  private failItem(item: OutboxItem, error: { code: string; message: string }): void {
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
    this.updateEmptyState();
  }

  private retrySend(clientId: string): void {
    const item = this.outbox.get(clientId);
    if (!item) return;
    this.outbox.update(clientId, { failed: undefined, sentAt: undefined });
    this.sentOnThisSocket.delete(clientId);
    this.transcript.upsert(this.pendingView({ ...item, failed: undefined }));
    this.flushOutbox();
  }

  private editUnsent(clientId: string): void {
    const item = this.outbox.remove(clientId);
    if (!item) return;
    this.transcript.remove(`pending:${clientId}`);
    this.composer.restore(item.text);
    this.updateEmptyState();
  }

  private discardUnsent(clientId: string): void {
    this.outbox.remove(clientId);
    this.transcript.remove(`pending:${clientId}`);
    this.composer.focus();
    this.updateEmptyState();
  }

  private pendingView(item: OutboxItem): ViewMessage {
    const status: ViewMessage['status'] = item.failed ? 'unsent' : this.socket?.isOpen ? 'sending' : 'queued';
    return {
      key: `pending:${item.clientId}`, role: 'user', text: item.text, status, mode: item.mode, meta: {}, createdAt: item.createdAt,
      clientId: item.clientId, ...(item.failed ? { error: item.failed } : {}),
    };
  }

  private refreshPendingStates(): void {
    for (const v of this.transcript.messages()) {
      if (!v.key.startsWith('pending:') || v.status === 'unsent') continue;
      const status = this.socket.isOpen ? 'sending' : 'queued';
      if (v.status !== status) this.transcript.upsert({ ...v, status });
    }
  }

  private stop(): void {
    const id = this.currentId;
    if (!id) return;
    this.stopping = true;
    if (this.awaiting && !this.activeReplyId) this.stopWhenStarted = true;
    this.setBusy();
    if (!this.socket.send({ type: 'stop', conversationId: id })) {
      announce('You’re offline. Mend will stop the reply as soon as the connection is back.');
    }
  }

  private regenerate(): void {
    const id = this.currentId;
    if (!id || this.activeReplyId || this.awaiting) return;
    if (!this.socket.send({ type: 'regenerate', conversationId: id, clientId: newClientId() })) {
      alertNow('You’re offline. Try again when the connection is back.');
      return;
    }
    for (const v of this.transcript.messages()) if (v.key.startsWith('error:')) this.transcript.remove(v.key);
    this.replacing = true;
    this.awaiting = true;
    this.setBusy();
    announce('Mend is writing that reply again…');
  }

  private feedback(m: ViewMessage, rating: 'up' | 'down' | null): void {
    if (m.key.includes(':')) return;
    api.feedback(m.key, rating).then(
      () => announce(rating === 'up' ? 'Thanks. Marked as helpful.' : rating === 'down' ? 'Thanks. Marked as not helpful.' : 'Rating removed.'),
      () => alertNow('Your rating could not be saved just now.'),
    );
  }

  /**
   * If Mend says nothing for a while after she sent something (a frame lost on the way, an
   * action that writes no reply), read the conversation again rather than "thinking" forever.
   */
  private armWatchdog(): void {
    window.clearTimeout(this.watchdog);
    const armedAt = this.frameClock;
    this.watchdog = window.setTimeout(async () => {
      if (!this.awaiting || this.activeReplyId || this.frameClock !== armedAt) return;
      await this.resync();
      if (this.awaiting && !this.activeReplyId && this.frameClock === armedAt) {
        this.awaiting = false;
        this.setBusy();
      }
    }, 15_000);
  }

  /** Busy = a reply is on its way: Stop replaces Send, the typing state shows. */
  private setBusy(): void {
    if (this.awaiting && !this.activeReplyId) this.armWatchdog();
    else window.clearTimeout(this.watchdog);
    const busy = this.awaiting || this.activeReplyId !== null;
    this.composer.setBusy(busy, this.stopping);
    this.transcript.setBusy(busy);
    this.transcript.setTyping(busy);
    byId('typing-text').textContent = this.stopping ? 'Stopping…' : this.activeReplyId ? 'Mend is writing…' : 'Mend is thinking…';
    this.modes.setRehearsalEnabled(!busy && this.hasUserMessages());
  }

  private hasUserMessages(): boolean {
    return this.transcript.messages().some((m) => m.role === 'user' && !m.key.startsWith('pending:'));
  }

  // ── Modes and rehearsal ───────────────────────────────────────────────────

  private async selectMode(mode: ChatMode): Promise<void> {
    const inRehearsal = this.conversation?.mode === 'rehearse' || (this.currentId === null && this.rehearsal !== null);
    const started = this.transcript.messages().some((m) => m.role === 'user');
    if (mode === 'rehearse') {
      if (inRehearsal && this.rehearsal) {
        this.setMode('rehearse');
        return;
      }
      const options = await askRehearsal(this.rehearsal ?? undefined);
      if (!options) {
        this.composer.focus();
        return;
      }
      if (started || this.currentId) {
        this.pendingNew = { mode: 'rehearse', rehearsal: options, unkept: this.isUnkept() };
        this.navigate(null);
      } else {
        this.rehearsal = options;
        this.setMode('rehearse');
      }
      this.composer.focus();
      return;
    }
    if (inRehearsal && started) {
      this.pendingNew = { mode, rehearsal: null, unkept: this.isUnkept() };
      this.navigate(null);
      announce(`Started a new ${MODES.find((m) => m.id === mode)?.label ?? ''} conversation.`);
    } else {
      if (this.currentId === null) this.rehearsal = null;
      this.setMode(mode);
    }
    this.composer.focus();
  }

  /** The conversation to start next; a new one started from one she isn't keeping isn't kept either. */
  private pendingNew: { mode: ChatMode; rehearsal: RehearsalOptions | null; unkept: boolean } | null = null;

  private setMode(mode: ChatMode): void {
    this.modes.set(mode);
    this.updatePlaceholder();
    this.refreshRehearsalBar();
    this.updateEmptyState();
  }

  private updatePlaceholder(): void {
    const mode = this.modes.mode;
    const started = this.transcript.messages().some((m) => m.role === 'user');
    this.composer.setPlaceholder(mode === 'rehearse' && started
      ? 'What do you say next?'
      : MODES.find((m) => m.id === mode)?.placeholder ?? 'Message');
  }

  private refreshRehearsalBar(): void {
    this.updatePlaceholder();
    const show = this.modes.mode === 'rehearse' && this.rehearsal !== null;
    this.modes.showRehearsal(show ? this.rehearsal : null, this.hasUserMessages());
    if (show) this.modes.setRehearsalEnabled(!(this.awaiting || this.activeReplyId) && this.hasUserMessages());
  }

  /**
   * The rehearsal's settings go with its first line, and again only when she has switched
   * coach notes on or off since they were last sent.
   */
  private rehearsalOptionsDue(): boolean {
    const started = this.transcript.messages().some((m) => m.role === 'user');
    if (!started || !this.currentId || !this.rehearsal) return true;
    return readJson<boolean | null>(`rehearsal-notes-sent.${this.currentId}`, null) !== this.rehearsal.notes;
  }

  private setNotes(on: boolean): void {
    if (!this.rehearsal) return;
    this.rehearsal = { ...this.rehearsal, notes: on };
    if (this.currentId) writeJson(`rehearsal.${this.currentId}`, this.rehearsal);
    this.refreshRehearsalBar();
    announce(`Coach notes ${on ? 'on' : 'off'}.`);
  }

  private rehearsalAction(action: 'rehearsal.end' | 'rehearsal.rewind'): void {
    const id = this.currentId;
    if (!id || this.activeReplyId || this.awaiting) return;
    if (!this.socket.send({ type: 'action', conversationId: id, clientId: newClientId(), action })) {
      alertNow('You’re offline. Try again when the connection is back.');
      return;
    }
    this.awaiting = true;
    this.resyncAfterTurn = true;
    this.setBusy();
    announce(action === 'rehearsal.end' ? 'Ending the rehearsal. Mend is writing your feedback…' : 'Rewinding. Try your line again.');
  }

  // ── Conversation list ─────────────────────────────────────────────────────

  private async refreshList(): Promise<void> {
    try {
      const conversations = await api.listConversations();
      this.rememberUnkept(conversations);
      this.list.set(conversations);
      this.list.setCurrent(this.currentId);
      byId('conv-error').hidden = true;
      if (this.currentId) {
        const c = conversations.find((x) => x.id === this.currentId);
        if (c) {
          this.conversation = { ...c, banner: c.banner || (this.conversation?.banner ?? false) };
          this.setTitle(c.title);
          this.showUnkept(c.private === true);
          if (c.banner) this.banner.show(false);
        }
      }
    } catch {
      byId('conv-error').hidden = this.list.all().length > 0;
    }
  }

  private scheduleListRefresh(): void {
    window.clearTimeout(this.listTimer);
    this.listTimer = window.setTimeout(() => void this.refreshList(), 300);
  }

  private async rename(c: Conversation): Promise<void> {
    const title = await promptDialog({ title: 'Rename conversation', label: 'Name', value: c.title, confirm: 'Save' });
    if (!title || title === c.title) return;
    try {
      const updated = await api.renameConversation(c.id, title);
      this.list.upsert(updated);
      this.list.setCurrent(this.currentId);
      if (updated.id === this.currentId) {
        this.conversation = updated;
        this.setTitle(updated.title);
      }
      announce(`Renamed to ${updated.title}.`);
    } catch (error) {
      alertNow(`Couldn’t rename it. ${(error as Error).message}`);
    }
  }

  private async remove(c: Conversation): Promise<void> {
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
      if (c.id === this.currentId) this.navigate(null);
      else byId('new-conversation').focus();
    } catch (error) {
      alertNow(`Couldn’t delete it. ${(error as Error).message}`);
    }
  }

  private async removeAll(): Promise<void> {
    const ok = await confirmDialog({
      title: 'Delete all your conversations?',
      body: 'Every conversation in Mend on this browser will be deleted. This can’t be undone. You can download a copy first.',
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

  // ── Page furniture ────────────────────────────────────────────────────────

  /** The open conversation (or the one about to start) is one she asked Mend not to keep. */
  private isUnkept(): boolean {
    return this.currentId ? this.conversation?.private === true : this.keepChoice.unkept;
  }

  /** Conversations the server isn't keeping: the page keeps nothing of theirs in localStorage either. */
  private rememberUnkept(conversations: Conversation[]): void {
    for (const c of conversations) if (c.private) keepInMemoryOnly(c.id, true);
  }

  private showUnkept(unkept: boolean): void {
    byId('conv-unkept').hidden = !unkept;
  }

  private openBrief(from: HTMLElement): void {
    const c = this.conversation;
    if (!this.currentId || !c) {
      alertNow('Your first message is still on its way. The brief can be opened once Mend has it.');
      return;
    }
    openBrief({ conversationId: this.currentId, title: c.title }, from);
  }

  private openMemory(from: HTMLElement): void {
    if (!this.currentId) {
      alertNow('Your first message is still on its way. What Mend remembers can be opened once Mend has it.');
      return;
    }
    openMemory({ conversationId: this.currentId, private: this.isUnkept() }, from);
  }

  private setTitle(title: string): void {
    byId('conv-heading').textContent = title || 'Untitled conversation';
    document.title = title && title !== 'New conversation' ? `${title} · Mend` : 'Mend';
  }

  private updateEmptyState(): void {
    this.keepChoice.show(this.currentId === null);
    updateEmptyState({
      empty: this.transcript.size === 0, mode: this.modes.mode, region: getRegion(),
      stillApplies: () => this.modes.mode === 'referral' && this.transcript.size === 0,
    });
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
