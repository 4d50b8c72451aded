import type { ChatMode, ServerFrame } from '../../src/protocol/index.js';
import { alertNow } from './announcer.js';
import { api, ApiError } from './api.js';
import { closeBrief } from './brief.js';
import { Composer } from './composer.js';
import { ConnectionStatus } from './connection-status.js';
import { ConversationList } from './conversations.js';
import { Delivery } from './delivery.js';
import { byId, h } from './dom.js';
import { closeDrawer, initDrawer } from './drawer.js';
import { initStarters, updateEmptyState } from './empty-state.js';
import { ConversationHeader } from './header.js';
import { CrisisBanner, initHelp } from './help.js';
import { KeepChoice } from './keep-choice.js';
import { ListController, rememberUnkept } from './list-controller.js';
import { closeMemory } from './memory.js';
import { MessageEdits } from './message-edit.js';
import { ModeController, notesSentKey, rehearsalKey, type NextConversation } from './mode-controller.js';
import { Modes } from './modes.js';
import { Progress } from './progress.js';
import { earlyRegion, getRegion, initRegion, onRegion } from './region.js';
import { ReplyController } from './replies.js';
import { Session } from './session.js';
import { buildSettings, showModelInfo } from './settings.js';
import { FrameClock, mergeSnapshot } from './snapshot.js';
import { ChatSocket, type ConnectionState } from './socket.js';
import { keepInMemoryOnly, readJson, writeJson } from './storage.js';
import { syncThemeColor } from './theme.js';
import { Transcript } from './transcript.js';
import type { ConversationDetail, Frame, RehearsalOptions } from './types.js';

function conversationIdFromHash(): string | null {
  const match = /^#\/c\/([A-Za-z0-9_-]{1,64})$/.exec(location.hash);
  return match ? match[1]! : null;
}

/**
 * The page's controller: which conversation is open, and the frames and answers that change
 * it. The turn and its replies (replies.ts), her messages on their way (delivery.ts), the
 * modes (mode-controller.ts) and the list (list-controller.ts) each have their own; views
 * only render.
 */
export class App {
  /** Conversations that reached high or crisis on this page: coaching offers stay away from them. */
  private readonly urgent = new Set<string>();
  private readonly banner = new CrisisBanner();
  private readonly keepChoice = new KeepChoice((unkept) => this.header.showUnkept(unkept));
  private readonly session = new Session(this.keepChoice);
  private readonly header = new ConversationHeader(this.session, {
    rename: () => { if (this.session.conversation) void this.lists.rename(this.session.conversation); },
    remove: () => { if (this.session.conversation) void this.lists.remove(this.session.conversation); },
  });
  private readonly clock = new FrameClock();
  private readonly socket: ChatSocket;
  private readonly connection: ConnectionStatus;
  private readonly transcript: Transcript;
  private readonly list: ConversationList;
  private readonly composer: Composer;
  private readonly delivery: Delivery;
  private readonly replies: ReplyController;
  private readonly edits: MessageEdits;
  private readonly modes: ModeController;
  private readonly lists: ListController;
  private readonly progress: Progress;

  /** Set just before going to #/new: how the new conversation starts. */
  private pendingNew: NextConversation | null = null;

  constructor() {
    const scroller = byId('scroller');
    this.transcript = new Transcript(byId('transcript'), scroller, byId<HTMLButtonElement>('jump'), byId('typing'), {
      regenerate: () => this.replies.regenerate(),
      editMessage: (m) => this.edits.start(m),
      editorFor: (m) => this.edits.editorFor(m),
      feedback: (m, rating) => this.replies.rate(m, rating),
      retrySend: (clientId) => this.delivery.retry(clientId),
      editUnsent: (clientId) => this.delivery.edit(clientId),
      discardUnsent: (clientId) => this.delivery.discard(clientId),
      openBrief: (from) => this.header.openBrief(from),
      quickReply: (reply) => {
        // A rehearsal offered with words (practise a planned talk again) opens with them as the scene.
        if (reply.mode === 'rehearse' && reply.text) void this.modes.rehearse(reply.text);
        else if (reply.mode) void this.modes.select(reply.mode);
        else if (reply.text) this.send(reply.text);
      },
      dismissCarried: (from, key) => void api.dismissCarried(from).then(
        () => { this.transcript.remove(key); alertNow('Dismissed. That note will not follow you into new conversations.'); byId('message').focus(); },
        () => alertNow('The note could not be dismissed just now. Please try again.'),
      ),
    });
    this.list = new ConversationList(byId('conv-list'), byId('conv-empty'), {
      rename: (c) => void this.lists.rename(c),
      remove: (c) => void this.lists.remove(c),
    });
    this.composer = new Composer(
      byId<HTMLFormElement>('composer'), byId<HTMLTextAreaElement>('message'), byId<HTMLButtonElement>('send'),
      byId<HTMLButtonElement>('stop'), byId('composer-hint'), byId('composer-count'),
      { send: (text) => this.send(text), stop: () => this.replies.stop() },
    );
    const modeBar = new Modes(byId('modes'), byId('rehearse-bar'), {
      select: (mode) => void this.modes.select(mode),
      rehearsalAction: (action) => this.replies.act(action),
      notesChanged: (on) => this.modes.setNotes(on),
      startAnother: () => void this.modes.startAnother(),
    });
    const wsUrl = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/api/chat`;
    this.socket = new ChatSocket(wsUrl, {
      frame: (f) => this.onFrame(f),
      state: (s) => this.onConnection(s),
      open: (reconnected) => this.onOpen(reconnected),
    });
    this.connection = new ConnectionStatus(() => this.socket.state === 'online', () => this.socket.reconnectNow());
    this.delivery = new Delivery(this.socket, this.transcript, this.composer, this.session, {
      adopt: (id, unkept) => this.adoptNewConversation(id, unkept),
      changed: () => this.updateEmptyState(),
      busy: () => this.replies.busy,
    });
    this.replies = new ReplyController(this.socket, this.transcript, this.composer, modeBar, this.banner, this.session, this.clock, {
      resync: () => this.resync(),
      listChanged: () => this.lists.scheduleRefresh(),
      changed: () => this.updateEmptyState(),
      // A reply ended: the rehearsal's controls and "Save what I'll try" depend on it.
      rehearsalChanged: () => { this.modes.refreshRehearsalBar(); this.updateProgress(); },
      flush: () => this.delivery.flush(),
    });
    this.edits = new MessageEdits(this.socket, this.transcript, this.composer, this.session, {
      busy: () => this.replies.busy,
      accepted: () => this.replies.edited(),
    });
    this.modes = new ModeController(modeBar, this.composer, this.transcript, this.session, {
      startNew: (next) => {
        this.pendingNew = next;
        this.navigate(null);
      },
      changed: () => this.updateEmptyState(),
      busy: () => this.replies.busy,
    });
    this.lists = new ListController(this.list, this.session, this.header, this.banner, (id) => this.navigate(id));
    this.progress = new Progress({
      send: (text, options) => this.delivery.send(text, { mode: 'coach', options }),
      rehearse: (script, age) => void this.modes.rehearse(script ? `I want to say to him: “${script}”` : '', age),
      newConversation: () => this.navigate(null),
    });
  }

  async start(): Promise<void> {
    earlyRegion();
    initHelp();
    buildSettings(() => void this.lists.removeAll(), () => this.lists.retitle());
    this.lists.initSearch();
    initDrawer();
    initStarters((text) => this.composer.restore(text));
    syncThemeColor();
    window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', syncThemeColor);
    byId('new-conversation').addEventListener('click', () => {
      this.navigate(null);
      this.composer.focus();
    });
    window.addEventListener('hashchange', () => void this.route());
    onRegion(() => this.updateEmptyState());
    this.socket.start();
    const [answer] = await Promise.allSettled([api.health(), this.lists.refresh()]);
    const health = answer.status === 'fulfilled' ? answer.value : null;
    initRegion(health?.region);
    showModelInfo(health);
    await Promise.allSettled([this.route(), this.progress.refresh()]);
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
    const { session } = this;
    const id = conversationIdFromHash();
    if (id && id === session.id && session.loaded) return;
    if (id) {
      await this.openConversation(id);
      return;
    }
    if (session.id !== null || !session.loaded || this.pendingNew) {
      const next = this.pendingNew;
      this.pendingNew = null;
      this.openNew(next?.mode ?? 'coach', next?.rehearsal ?? null, next?.unkept ?? false);
    }
    if (session.loaded && document.activeElement === document.body && matchMedia('(hover: hover) and (pointer: fine)').matches) this.composer.focus();
  }

  private leaveConversation(): void {
    closeBrief();
    closeMemory();
    this.edits.leave();
    this.replies.leave();
  }

  private openNew(mode: ChatMode = 'coach', rehearsal: RehearsalOptions | null = null, unkept = false): void {
    const { session } = this;
    this.leaveConversation();
    // Her tick stays until a conversation is started from it; one started from a private one is private too.
    if (unkept) this.keepChoice.set(true);
    session.loadToken += 1;
    session.loaded = true;
    session.id = null;
    session.conversation = null;
    session.rehearsal = mode === 'rehearse' ? rehearsal : null;
    this.list.setCurrent(null);
    this.composer.setConversation(null);
    this.transcript.reset(this.delivery.pendingFor(null));
    this.banner.hide();
    this.modes.set(mode);
    this.header.setTitle('New conversation');
    this.header.showUnkept(this.keepChoice.unkept);
    this.updateEmptyState();
    this.header.showActions(false);
  }

  private async openConversation(id: string): Promise<void> {
    const { session } = this;
    const token = ++session.loadToken;
    const switching = id !== session.id;
    if (switching) {
      this.leaveConversation();
      session.id = id;
      session.conversation = this.list.find(id) ?? null;
      this.list.setCurrent(id);
      this.composer.setConversation(id);
      session.rehearsal = readJson<RehearsalOptions | null>(rehearsalKey(id), null);
      this.header.setTitle(session.conversation?.title ?? 'Conversation');
      this.header.showUnkept(session.conversation?.private === true);
      this.header.showActions(true);
      this.transcript.reset(this.delivery.pendingFor(id));
      byId('scroller').setAttribute('aria-busy', 'true');
    }
    session.loaded = true;
    try {
      const since = this.clock.now;
      const detail = await api.getConversation(id);
      if (token !== session.loadToken) return;
      this.applyDetail(detail, switching, since);
    } catch (error) {
      if (token !== session.loadToken) return;
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
      if (token === session.loadToken) byId('scroller').removeAttribute('aria-busy');
    }
  }

  /**
   * Shows the server's copy of the conversation, merged with what the page learnt after the
   * copy was requested (`since`, a frame count). A reply still being written is resumed.
   */
  private applyDetail(detail: ConversationDetail, fresh: boolean, since = Number.POSITIVE_INFINITY): void {
    const { conversation, messages } = detail;
    this.session.conversation = conversation;
    rememberUnkept([conversation]);
    this.list.upsert(conversation);
    this.list.setCurrent(conversation.id);
    this.header.setTitle(conversation.title);
    this.header.showUnkept(conversation.private === true);

    const changed = (key: string) => this.clock.changedSince(key, since);
    const merged = mergeSnapshot(messages, this.transcript.messages(), this.delivery.pendingFor(conversation.id), changed);
    this.transcript.reset(merged, !fresh);
    this.edits.reconcile();

    // A conversation opens in Coach (a rehearsal stays one): never in the mode she last used for one message.
    if (fresh) this.modes.set(conversation.mode === 'rehearse' ? 'rehearse' : 'coach');
    if (conversation.banner || messages.some((m) => m.role === 'safety' && m.meta?.banner)) this.banner.show(false);
    else this.banner.hide();

    this.replies.synced(conversation.id, conversation.mode, merged, detail.activeReplyId, since);
    this.updateEmptyState();
    this.modes.refreshRehearsalBar();
    this.delivery.flush();
  }

  private showLoadProblem(message: string): void {
    const note = h('div', { class: 'load-problem', role: 'alert' }, h('p', {}, message), h('p', { class: 'muted' }, 'Mend will try again when the connection is back.'));
    const retry = h('button', { type: 'button', class: 'button button-secondary button-small' }, 'Try again now');
    retry.addEventListener('click', () => { if (this.session.id) void this.openConversation(this.session.id); });
    note.appendChild(retry);
    byId('transcript').replaceChildren(note);
  }

  /** Re-reads the open conversation from the server and merges it with what streamed meanwhile. */
  private async resync(): Promise<void> {
    const { session } = this;
    if (!session.id) return;
    const token = session.loadToken;
    const since = this.clock.now;
    try {
      const detail = await api.getConversation(session.id);
      if (token === session.loadToken && detail.conversation.id === session.id) this.applyDetail(detail, false, since);
    } catch { /* tried again on the next reconnect */ }
  }

  /** The new conversation was created by her first message: it becomes the open one, under its id. */
  private adoptNewConversation(id: string, unkept: boolean): void {
    const { session } = this;
    session.id = id;
    session.loadToken += 1;
    history.replaceState(null, '', `#/c/${id}`);
    // Before anything is written under its id: her draft and settings for it stay in memory.
    if (unkept) keepInMemoryOnly(id, true);
    this.composer.adoptConversationId(id);
    this.keepChoice.set(false); // the next new conversation is kept unless she says otherwise
    if (session.rehearsal) {
      writeJson(rehearsalKey(id), session.rehearsal);
      writeJson(notesSentKey(id), session.rehearsal.notes);
    }
    this.delivery.moveNewTo(id);
    const now = Date.now();
    session.conversation = {
      // Until the list is read again with the server's neutral title.
      id, title: 'New conversation', mode: this.modes.mode,
      safetyLevel: 'calm', banner: false, private: unkept, createdAt: now, updatedAt: now,
    };
    this.list.upsert(session.conversation);
    this.list.setCurrent(id);
    this.header.setTitle(session.conversation.title);
    this.header.showUnkept(unkept);
    this.header.showActions(true);
    this.modes.refreshRehearsalBar();
    this.lists.scheduleRefresh();
  }

  // ── Connection and frames ─────────────────────────────────────────────────

  private onConnection(state: ConnectionState): void {
    this.connection.show(state);
    if (state === 'offline') void api.health().catch(() => undefined); // a 401 sends her to the login page
    if (state === 'reconnecting' || state === 'offline') {
      this.delivery.forgetSent();
      this.edits.connectionLost();
    }
    this.delivery.refreshPendingStates();
  }

  private onOpen(reconnected: boolean): void {
    this.delivery.forgetSent();
    if (reconnected) {
      // Read what happened while away first, then resume and send what waited in the outbox.
      void this.resync().finally(() => void this.delivery.reconcileAndFlush());
      void this.lists.refresh();
      return;
    }
    this.replies.opened();
    void this.delivery.reconcileAndFlush();
  }

  private onFrame(f: ServerFrame): void {
    this.clock.tick(f.type === 'ack' ? f.messageId
      : f.type === 'safety' ? `safety:${f.messageId}`
        : f.type === 'reply.start' || f.type === 'reply.delta' || f.type === 'reply.end' ? f.replyId : null);
    switch (f.type) {
      case 'ack': return this.onAck(f);
      case 'safety':
        // Past what coaching can fix: no "Save what I'll try" offer under this conversation.
        if (f.level === 'high' || f.level === 'crisis') this.urgent.add(f.conversationId);
        return this.replies.onSafety(f);
      case 'reply.start': return this.replies.onReplyStart(f);
      case 'reply.delta': return this.replies.onReplyDelta(f);
      case 'reply.end': return this.replies.onReplyEnd(f);
      case 'error': return this.onError(f);
      case 'pong': return;
    }
  }

  private onAck(f: Frame<'ack'>): void {
    if (this.edits.acknowledged(f)) return;
    const item = this.delivery.acknowledged(f.clientId);
    const pendingKey = `pending:${f.clientId}`;
    if (this.session.id === null && this.transcript.get(pendingKey)) {
      this.adoptNewConversation(f.conversationId, item ? item.unkept === true : this.keepChoice.unkept);
    }
    if (f.conversationId === this.session.id) {
      if (this.transcript.get(f.messageId)) this.transcript.remove(pendingKey);
      else this.transcript.rekey(pendingKey, f.messageId, { status: 'complete' });
      // A duplicate was stored before the connection dropped; the server resumes its reply,
      // and a re-read catches a reply that already finished while we were away.
      if (f.duplicate) void this.resync();
      else this.replies.accepted();
      this.modes.refreshRehearsalBar();
    }
    if (item) this.lists.scheduleRefresh();
    this.delivery.flush();
  }

  private onError(f: Frame<'error'>): void {
    if (this.delivery.refused(f) || this.edits.refused(f) || this.replies.refused(f)) return;
    if (f.conversationId) return; // about another conversation
    alertNow(f.message);
  }

  // ── What she does ─────────────────────────────────────────────────────────

  private send(text: string): boolean {
    const settings = this.modes.settingsForSend();
    if (!settings) return false;
    this.delivery.send(text, settings);
    this.modes.sent(settings.mode);
    return true;
  }

  private updateEmptyState(): void {
    this.keepChoice.show(this.session.id === null);
    updateEmptyState({
      empty: this.transcript.size === 0, mode: this.modes.mode, region: getRegion(),
      stillApplies: () => this.modes.mode === 'referral' && this.transcript.size === 0,
    });
    this.updateProgress();
  }

  private updateProgress(): void {
    const conversation = this.session.id ? this.session.conversation : null;
    const urgent = !!conversation && (this.urgent.has(conversation.id) || conversation.safetyLevel === 'high' || conversation.safetyLevel === 'crisis');
    this.progress.update({
      conversation, mode: this.modes.mode, empty: this.transcript.size === 0,
      replied: !urgent && this.transcript.messages().some((m) => m.role === 'assistant' && m.status === 'complete'), busy: this.replies.busy,
    });
  }
}
