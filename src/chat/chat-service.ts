import type { FastifyBaseLogger } from 'fastify';
import type { ChatModel } from '../llm/chat-model.js';
import { ModelError } from '../llm/errors.js';
import { withNamesFrom } from '../llm/pseudonymising-model.js';
import { ConversationNames } from './conversation-names.js';
import { StoreError, type ConversationStore } from '../store/conversation-store.js';
import { MendError, NotFoundError } from '../protocol/errors.js';
import type { ConversationRecord, MessageRecord } from '../protocol/records.js';
import { levelAtLeast, Region, type SafetyLevel } from '../protocol/safety.js';
import { conversationState, stateSlot } from '../store/state-slot.js';
import { HISTORY_WINDOW, type ChatModeHandler, type ModeAction, type ModeState, type ReplyPlan, type TurnContext } from './mode.js';
import { MAX_REPLY_VERSIONS, NEUTRAL_TITLES, type ChatMode, type ClientFrame, type ErrorCode, type MessageVersion, type ServerFrame } from '../protocol/frames.js';
import { errorFrameFor, type ErrorFrame } from './error-frame.js';
import { ReplyJob, type FrameSink } from './reply-job.js';
import type { CarriedSafety, PendingScreen, SafetyGate, ScreenResult } from './safety-gate.js';
import type { ModelSafetyOpinion } from './safety-opinion.js';

type SendFrame = Extract<ClientFrame, { type: 'send' }>;
type EditFrame = Extract<ClientFrame, { type: 'edit' }>;

export interface ChatServiceDeps {
  store: ConversationStore;
  model: ChatModel;
  /** Used for a turn when the configured model fails before saying anything. */
  fallbackModel: ChatModel;
  modes: Record<ChatMode, ChatModeHandler>;
  safety: SafetyGate;
  logger: FastifyBaseLogger;
  defaultRegion: Region;
  /** With a model: its second opinion on each message, which may raise the screen's level. */
  opinion?: ModelSafetyOpinion;
  /** How often streamed text is written to disk, so a crash loses at most this much. */
  progressSaveMs?: number;
}

export class ChatError extends MendError {
  declare readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(code, message);
  }
}

/** The state of a conversation not created yet: nothing in it. */
const NO_STATE: Pick<ModeState, 'read'> = { read: () => undefined };

/** How long one reply may keep the event loop before other work gets a turn. */
const YIELD_AFTER_MS = 8;

const STORAGE_FAILED_MID_REPLY =
  'Mend could not save this reply (storage problem: the disk may be full), so it stopped here. Your message is saved; of this reply, only the part saved before the problem is kept, marked as not finished.';

/** The region she chose for this conversation: its help lines follow it. */
const REGION_SLOT = stateSlot('region', 1, Region);

interface Turn {
  job?: ReplyJob;
  /** She pressed Stop, perhaps before any reply had started (while a summary was being written). */
  stopped?: boolean;
  /** Aborts every model call of the turn (replies, summaries, briefs): Stop and shutdown. */
  controller: AbortController;
  done: Promise<void>;
}

/**
 * The chat path: safety screen → mode → prompt + knowledge → model → stream → store.
 * A turn runs as a server-side job; sockets only watch it.
 */
export class ChatService {
  private readonly turns = new Map<string, Turn>();
  /** Replies a storage failure left unfinished, closed as failed as soon as a write succeeds. */
  private readonly unsettled = new Set<string>();

  private readonly names: ConversationNames;

  constructor(private readonly deps: ChatServiceDeps) {
    this.names = new ConversationNames(deps.store);
  }

  async send(ownerId: string, frame: SendFrame, sink: FrameSink): Promise<void> {
    if (this.unsettled.size > 0) this.settleUnfinished();
    const existing = frame.conversationId ? this.requireConversation(ownerId, frame.conversationId) : undefined;
    const conversationId = existing?.id ?? this.deps.store.reserveConversationId(frame.private);
    const duplicate = existing && this.deps.store.findByClientId(existing.id, frame.clientId);
    if (duplicate) {
      sink({ type: 'ack', clientId: frame.clientId, conversationId, messageId: duplicate.id, duplicate: true });
      this.resume(ownerId, conversationId, sink);
      return;
    }
    this.requireIdle(conversationId);
    const stored = existing && this.deps.store.readSlot(conversationId, REGION_SLOT);
    const region = frame.region ?? stored ?? this.deps.defaultRegion;
    const carried = existing ? undefined : this.deps.safety.carryInto?.(conversationId, ownerId, region);
    const earlier = existing ? this.recentHistory(conversationId) : [];
    const local = this.deps.safety.screen(conversationId, frame.text, region, { spokenToHim: spokenToHim(frame.mode), carried });
    const screened = await this.secondOpinion(frame.text, earlier, local, region);
    const mode = this.modeFor(earlier, frame);
    // Her options are checked before anything is stored: a bad one is refused with nothing
    // saved, so sending again with it fixed is a new message, not a "duplicate".
    this.mode(mode).checkOptions?.(frame.options, existing ? conversationState(this.deps.store, existing.id) : NO_STATE);
    // The one write before the model is called: the conversation (if new), her message, its
    // verdict and notice, and the tracker state land together or not at all.
    const { conversation, message, notice } = this.deps.store.atomically(conversationId, () => {
      const conversation = existing ?? this.deps.store.createConversation(ownerId, { id: conversationId, title: NEUTRAL_TITLES[frame.mode], mode: frame.mode, private: frame.private });
      // The page sends her region with every message; it is written only when it changes.
      if (frame.region && frame.region !== stored) this.deps.store.writeSlot(conversationId, REGION_SLOT, frame.region);
      screened.save();
      this.names.note(conversationId, frame.text);
      const message = this.deps.store.appendMessage(conversationId, {
        role: 'user', text: frame.text, mode, safetyLevel: screened.verdict.level, status: 'complete',
        clientId: frame.clientId, meta: { safety: { level: screened.verdict.level, atRisk: screened.verdict.atRisk } },
      });
      this.deps.store.setSafety(conversationId, screened.verdict.level, screened.response.banner);
      const notice = carried ? this.storeCarried(message, screened, carried) : this.storeSafetyNotice(message, screened, earlier);
      return { conversation, message, notice };
    });
    sink({ type: 'ack', clientId: frame.clientId, conversationId, messageId: message.id, duplicate: false });
    this.startTurn(ownerId, conversation, sink, region, async (ctx) => {
      if (notice) sink(notice);
      if (screened.response.fixedReply !== undefined) return [fixedPlan(screened.response.fixedReply)];
      return this.mode(mode).plan(ctx);
    }, { userText: frame.text, screened, options: frame.options, mode, history: [...earlier, message] });
  }

  /**
   * The model's second opinion, awaited (within its bound) before anything is stored or
   * written, so a crisis the local screens missed never gets coaching text first.
   */
  private async secondOpinion(text: string, earlier: MessageRecord[], local: PendingScreen, region: Region): Promise<PendingScreen> {
    if (!this.deps.opinion || local.verdict.level === 'crisis') return local;
    const opinion = await this.deps.opinion.review(text, earlier);
    if (!opinion || opinion.subject === 'none' || !levelAbove(opinion.level, local.verdict.level)) return local;
    return local.raise({ level: opinion.level, subject: opinion.subject, note: `model second opinion: ${opinion.who}${opinion.now ? ', now' : ''}` }, region);
  }

  /** Writes the last reply again; her message and its safety notice stay. */
  regenerate(ownerId: string, conversationId: string, sink: FrameSink): void {
    const conversation = this.requireConversation(ownerId, conversationId);
    this.requireIdle(conversationId);
    const history = this.recentHistory(conversationId);
    const lastUser = history.findLast((m) => m.role === 'user');
    if (!lastUser) throw new ChatError('not_found', 'There is no message of yours to answer yet.');
    const replaced = history.filter((m) => m.seq > lastUser.seq && m.role === 'assistant');
    for (const m of replaced) this.deps.store.deleteMessage(m.id);
    const versions = earlierVersions(replaced);
    const region = this.regionFor(conversationId);
    const screened = this.deps.safety.current(conversationId, region);
    this.startTurn(ownerId, conversation, sink, region, async (ctx) => withVersions(
      lastUser.safetyLevel === 'crisis' && screened.response.fixedReply !== undefined
        ? [fixedPlan(screened.response.fixedReply)]
        : await this.mode(lastUser.mode).plan({ ...ctx, userText: lastUser.text }),
      versions,
    ), { userText: lastUser.text, screened, options: undefined, mode: lastUser.mode });
  }

  /**
   * Her last message said differently: screened again exactly like a new message, its words
   * replaced (the old ones kept as a version), the replies to the old words taken back (kept
   * as versions of the new reply), then answered again in that message's mode.
   */
  async edit(ownerId: string, frame: EditFrame, sink: FrameSink): Promise<void> {
    if (this.unsettled.size > 0) this.settleUnfinished();
    const conversation = this.requireConversation(ownerId, frame.conversationId);
    this.requireIdle(conversation.id);
    const history = this.recentHistory(conversation.id);
    const target = editableMessage(history, frame);
    const earlier = history.filter((m) => m.seq < target.seq);
    const region = this.regionFor(conversation.id);
    // The tracker goes on from where it stands: the old words were seen, and an edit never un-sees them.
    const local = this.deps.safety.screen(conversation.id, frame.text, region, { spokenToHim: spokenToHim(target.mode) });
    const screened = await this.secondOpinion(frame.text, earlier, local, region);
    // The second opinion was awaited: a turn started meanwhile would be answering the old words.
    this.requireIdle(conversation.id);
    const replaced = history.filter((m) => m.seq > target.seq && m.role === 'assistant');
    const { message, notice } = this.deps.store.atomically(conversation.id, () => this.storeEdit(target, frame.text, screened, replaced, history));
    sink({ type: 'ack', clientId: frame.clientId, conversationId: conversation.id, messageId: message.id, duplicate: false });
    const versions = earlierVersions(replaced);
    this.startTurn(ownerId, conversation, sink, region, async (ctx) => {
      if (notice) sink(notice);
      if (screened.response.fixedReply !== undefined) return withVersions([fixedPlan(screened.response.fixedReply)], versions);
      return withVersions(await this.mode(target.mode).plan(ctx), versions);
    }, { userText: frame.text, screened, options: undefined, mode: target.mode, history: [...earlier, message] });
  }

  /**
   * An edit's one write before the model is called: the tracker, her new words with the old
   * kept as a version, the verdict and the notice they call for; the replies to the old words go.
   */
  private storeEdit(
    target: MessageRecord, text: string, screened: PendingScreen, replaced: MessageRecord[], history: MessageRecord[],
  ): { message: MessageRecord; notice: ServerFrame | undefined } {
    screened.save();
    this.names.note(target.conversationId, text);
    for (const m of replaced) this.deps.store.deleteMessage(m.id);
    const { level, atRisk } = screened.verdict;
    const versions = versionsWith(target, target.text);
    const message = this.deps.store.reviseUserMessage(target.id, { text, safetyLevel: level, meta: { versions, safety: { level, atRisk } } });
    if (!message) throw new NotFoundError('That message does not exist any more (it may have been deleted).');
    this.deps.store.setSafety(target.conversationId, level, screened.response.banner);
    // Notices already given for the old words count as given: the gentle one is not repeated.
    const notice = this.storeSafetyNotice(message, screened, history.filter((m) => m.id !== target.id));
    return { message, notice };
  }

  action(ownerId: string, conversationId: string, action: ModeAction, sink: FrameSink): void {
    const conversation = this.requireConversation(ownerId, conversationId);
    this.requireIdle(conversationId);
    // The mode she is in now: a conversation can move from coaching into a rehearsal.
    const history = this.recentHistory(conversationId);
    const mode = history.findLast((m) => m.role === 'user')?.mode ?? conversation.mode;
    const handler = this.mode(mode);
    if (!handler.action) throw new ChatError('bad_frame', `"${action}" is not available in ${mode} mode.`);
    const region = this.regionFor(conversationId);
    const screened = this.deps.safety.current(conversationId, region);
    this.startTurn(ownerId, conversation, sink, region, (ctx) => handler.action!(ctx, action),
      { userText: '', screened, options: undefined, mode, history });
  }

  /** Replays the reply in progress, if any, and keeps this sink on it. */
  resume(ownerId: string, conversationId: string, sink: FrameSink): () => void {
    this.requireConversation(ownerId, conversationId);
    const job = this.turns.get(conversationId)?.job;
    return job ? job.subscribe(sink, true) : () => undefined;
  }

  stop(ownerId: string, conversationId: string): void {
    this.requireConversation(ownerId, conversationId);
    const turn = this.turns.get(conversationId);
    if (!turn) return;
    turn.stopped = true;
    turn.job?.stop();
    turn.controller.abort();
  }

  get modelInfo() {
    return this.deps.model.info;
  }

  isActive(conversationId: string): string | null {
    return this.turns.get(conversationId)?.job?.replyId ?? null;
  }

  /** Shutdown: let replies finish for up to `graceMs`, then cut the rest (kept, marked incomplete). */
  async drain(graceMs: number): Promise<void> {
    const pending = [...this.turns.values()].map((t) => t.done);
    if (pending.length === 0) return;
    const timer = setTimeout(() => {
      for (const t of this.turns.values()) {
        t.job?.cut();
        t.controller.abort();
      }
    }, graceMs);
    await Promise.allSettled(pending);
    clearTimeout(timer);
  }

  private startTurn(
    ownerId: string, conversation: ConversationRecord, sink: FrameSink, region: Region,
    planTurn: (ctx: TurnContext) => Promise<ReplyPlan[]>,
    turn: { userText: string; screened: ScreenResult; options: Record<string, unknown> | undefined; mode: ChatMode; history?: MessageRecord[] },
  ): void {
    const controller = new AbortController();
    const entry: Turn = { controller, done: Promise.resolve() };
    this.turns.set(conversation.id, entry);
    const history = turn.history ?? this.recentHistory(conversation.id);
    const ctx: TurnContext = {
      conversation, ownerId, history, userText: turn.userText,
      verdict: turn.screened.verdict, region, options: turn.options, model: this.turnModel(conversation.id, history), signal: controller.signal,
      state: conversationState(this.deps.store, conversation.id),
      forget: (ids) => {
        const doomed = new Set(ids.filter((id) => ctx.history.some((m) => m.id === id)));
        for (const id of doomed) this.deps.store.deleteMessage(id);
        ctx.history = ctx.history.filter((m) => !doomed.has(m.id));
      },
    };
    entry.done = this.runTurn(ctx, turn.mode, planTurn, sink, entry)
      .catch((error: unknown) => sink(this.errorFrame(error, conversation.id)))
      .finally(() => this.turns.delete(conversation.id));
  }

  private async runTurn(
    ctx: TurnContext, mode: ChatMode, planTurn: (ctx: TurnContext) => Promise<ReplyPlan[]>,
    sink: FrameSink, entry: Turn,
  ): Promise<void> {
    const plans = await planTurn(ctx);
    for (const plan of plans) {
      const job = this.openReply(ctx, mode, plan);
      entry.job = job;
      job.subscribe(sink, false);
      job.start();
      // Stop or shutdown came while the turn was still planning: the reply ends before a word.
      if (entry.stopped) job.stop();
      else if (entry.controller.signal.aborted) job.cut();
      const status = await this.streamReply(ctx, job, plan);
      if (status !== 'complete') return; // a stopped or failed reply ends the turn
      await this.mode(mode).finish?.(ctx, plan, job.text);
    }
  }

  private openReply(ctx: TurnContext, mode: ChatMode, plan: ReplyPlan): ReplyJob {
    const source = 'fixedText' in plan ? { provider: 'mend', model: 'fixed' } : this.deps.model.info;
    const reply = this.deps.store.appendMessage(ctx.conversation.id, {
      role: 'assistant', text: '', mode, safetyLevel: ctx.verdict.level, status: 'streaming', meta: plan.meta,
    });
    return new ReplyJob(ctx.conversation.id, reply.id, mode, source.provider, source.model, plan.meta);
  }

  private async streamReply(ctx: TurnContext, job: ReplyJob, plan: ReplyPlan): Promise<ReplyJob['status']> {
    const { store } = this.deps;
    try {
      const status = await this.streamAndSave(job, plan, ctx.model);
      store.finishReply(job.replyId, job.text, status, job.meta);
      job.end(status, job.fallbackError);
      return status;
    } catch (error) {
      if (error instanceof StoreError) return this.failOnStorage(job);
      const frame = this.errorFrame(error, ctx.conversation.id);
      if (frame.type !== 'error') throw error;
      // A reply cut by its length budget (or Mend's cap) is kept as it stands and marked, not called a failure.
      const status = error instanceof ModelError && error.keepsPartial && job.text ? 'incomplete' : 'failed';
      try {
        store.finishReply(job.replyId, job.text, status, job.meta);
      } catch (storeError) {
        if (storeError instanceof StoreError) return this.failOnStorage(job);
        throw storeError;
      }
      job.end(status, { code: frame.code, message: frame.message });
      return status;
    }
  }

  /**
   * Streams the reply to her, saving progress as it goes: the first words at once, then what
   * is new at most every progressSaveMs (appended, never the whole reply again), so a crash
   * keeps what she saw. Resolves with the status the reply ended in.
   */
  private async streamAndSave(job: ReplyJob, plan: ReplyPlan, model: ChatModel): Promise<Exclude<ReplyJob['status'], 'streaming'>> {
    let lastSave = 0;
    let unsaved: string[] = [];
    let busySince = performance.now();
    for await (const delta of this.streamWithFallback(plan, job, model)) {
      if (job.signal.aborted) break; // chunks already buffered after Stop are not hers to see
      job.append(delta);
      unsaved.push(delta);
      if (Date.now() - lastSave >= (this.deps.progressSaveMs ?? 250)) {
        this.deps.store.appendReplyProgress(job.replyId, unsaved.join(''));
        unsaved = [];
        lastSave = Date.now();
      }
      // A model streaming faster than we send must not hold the event loop: other
      // conversations' frames and requests get their turn between its chunks.
      if (performance.now() - busySince > YIELD_AFTER_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        busySince = performance.now();
      }
    }
    return job.stopRequested ? 'stopped' : job.signal.aborted || job.modelCut ? 'incomplete' : 'complete';
  }

  /**
   * Storage refused a write part-way through the reply (the disk is full): the model is
   * stopped, the row is closed as failed with a write that needs no new space, and she is told
   * exactly what was kept. If even that write fails, the row is closed on a later turn (or at
   * the next start), never left `streaming`.
   */
  private failOnStorage(job: ReplyJob): 'failed' {
    job.cut();
    if (!this.deps.store.markReplyFailed(job.replyId)) this.unsettled.add(job.replyId);
    job.end('failed', { code: 'storage', message: STORAGE_FAILED_MID_REPLY });
    return 'failed';
  }

  /** Closes replies a storage failure left open, once writing works again. */
  private settleUnfinished(): void {
    for (const id of this.unsettled) if (this.deps.store.markReplyFailed(id)) this.unsettled.delete(id);
  }

  /**
   * Streams from the configured model; if it fails (an error, a filtered or empty answer, the
   * output rail), the guided coach answers the rest of this turn and says so. Only a reply cut
   * by its length budget keeps what arrived as it stands.
   */
  private async *streamWithFallback(plan: ReplyPlan, job: ReplyJob, model: ChatModel): AsyncIterable<string> {
    if ('fixedText' in plan) {
      yield plan.fixedText;
      return;
    }
    let said = false;
    try {
      for await (const delta of model.stream(plan.request, job.signal)) {
        said = true;
        yield delta;
      }
    } catch (error) {
      if (!(error instanceof ModelError) || this.deps.model === this.deps.fallbackModel) throw error;
      if (said && error.keepsPartial) throw error;
      this.deps.logger.warn({ err: { code: error.code, name: error.name }, midStream: said }, 'model failed; guided fallback for this turn');
      job.meta = { ...job.meta, fallback: true };
      job.fallbackError = { code: error.code, message: error.message };
      job.modelCut = said;
      yield said
        ? `\n\n_${error.userMessage} Mend's guided coach takes over from here._\n\n`
        : `_${error.userMessage} Meanwhile, here is Mend's guided coach._\n\n`;
      yield* this.deps.fallbackModel.stream(plan.request, job.signal);
    }
  }

  /** Stores the safety notice her message calls for, if any, and returns the frame that shows it. */
  private storeSafetyNotice(message: MessageRecord, screened: ScreenResult, earlier: MessageRecord[]): ServerFrame | undefined {
    const { verdict, response } = screened;
    if (!response.notice || alreadySuggested(earlier, verdict.level) || practising(message.mode, verdict.level)) return undefined;
    this.deps.store.appendMessage(message.conversationId, {
      role: 'safety', text: response.notice, mode: message.mode, safetyLevel: verdict.level, status: 'complete',
      meta: { resources: verdict.resources, level: verdict.level, banner: response.banner, atRisk: verdict.atRisk },
    });
    return {
      type: 'safety', conversationId: message.conversationId, messageId: message.id, level: verdict.level, atRisk: verdict.atRisk,
      notice: response.notice, resources: verdict.resources, banner: response.banner,
    };
  }

  /** The first message of a new conversation, while an earlier one's high or crisis still stands. */
  private storeCarried(message: MessageRecord, screened: ScreenResult, carried: CarriedSafety): ServerFrame {
    const { verdict, response } = screened;
    this.deps.store.appendMessage(message.conversationId, {
      role: 'safety', text: carried.notice, mode: message.mode, safetyLevel: verdict.level, status: 'complete',
      meta: { resources: carried.resources, level: verdict.level, banner: response.banner, atRisk: verdict.atRisk, carriedFrom: carried.from },
    });
    return {
      type: 'safety', conversationId: message.conversationId, messageId: message.id, level: verdict.level, atRisk: verdict.atRisk,
      notice: carried.notice, resources: carried.resources, banner: response.banner, carriedFrom: carried.from,
    };
  }

  /**
   * The model for one turn: every request it makes knows the names in all her messages of the
   * conversation, not only the window's. Past the window (and only with a model that leaves the
   * machine) they come from the names kept as she wrote, never from reading every message again.
   */
  private turnModel(conversationId: string, history: MessageRecord[]): ChatModel {
    const complete = history.length < HISTORY_WINDOW || this.deps.model.info.provider === 'guided';
    const texts = history.filter((m) => m.role === 'user').map((m) => m.text);
    return withNamesFrom(this.deps.model, texts, complete ? undefined : () => this.names.all(conversationId));
  }

  private errorFrame(error: unknown, conversationId: string): ErrorFrame {
    return errorFrameFor(error, { conversationId }, this.deps.logger);
  }

  private requireConversation(ownerId: string, id: string): ConversationRecord {
    const conversation = this.deps.store.getConversation(ownerId, id);
    if (!conversation) throw NotFoundError.conversation();
    return conversation;
  }

  private recentHistory(conversationId: string): MessageRecord[] {
    return this.deps.store.listRecentMessages(conversationId, HISTORY_WINDOW);
  }

  private requireIdle(conversationId: string): void {
    if (this.turns.has(conversationId)) throw new ChatError('busy', 'Mend is still answering in this conversation. Wait for the reply or press Stop.');
  }

  private regionFor(conversationId: string, requested?: Region): Region {
    const stored = this.deps.store.readSlot(conversationId, REGION_SLOT);
    // The page sends her region with every message; it is written only when it changes.
    if (requested && requested !== stored) this.deps.store.writeSlot(conversationId, REGION_SLOT, requested);
    return requested ?? stored ?? this.deps.defaultRegion;
  }

  /**
   * The mode she chose, unless another mode claims the message (coaching hands "should we see
   * someone?" to the referral flow without a mode switch). The engine asks; it knows no mode.
   */
  private modeFor(earlier: MessageRecord[], frame: SendFrame): ChatMode {
    for (const handler of Object.values(this.deps.modes)) {
      if (handler.id !== frame.mode && handler.claims?.(frame.mode, earlier, frame.text)) return handler.id;
    }
    return frame.mode;
  }

  private mode(id: ChatMode): ChatModeHandler {
    return this.deps.modes[id];
  }
}

/** The gentle counsellor suggestion is made once; repeating it on every strained line would nag. */
function alreadySuggested(earlier: MessageRecord[], level: ScreenResult['verdict']['level']): boolean {
  return level === 'strained' && earlier.some((m) => m.role === 'safety' && m.safetyLevel === 'strained');
}

/**
 * Rehearsal lines and drafts are words meant for him, not her account of how things are: the
 * strained suggestion would interrupt the practice to answer a role-play. High and crisis
 * still take over.
 */
function practising(mode: ChatMode, level: ScreenResult['verdict']['level']): boolean {
  return level === 'strained' && (mode === 'rehearse' || mode === 'draft');
}

/**
 * The message an edit may change: her last one, and only to say something else. An older one
 * would leave later replies answering words she no longer said.
 */
function editableMessage(history: MessageRecord[], frame: EditFrame): MessageRecord {
  const last = history.findLast((m) => m.role === 'user');
  if (last?.id !== frame.messageId) {
    if (history.some((m) => m.id === frame.messageId && m.role === 'user')) {
      throw new ChatError('bad_frame', 'Only your last message can be edited.');
    }
    throw new NotFoundError('That message is not in this conversation (it may have been deleted).');
  }
  if (last.text === frame.text) throw new ChatError('bad_frame', 'That is what your message already says. Change something to send it again.');
  return last;
}

/** Rehearsal lines and drafts are spoken to him, not about how things are: the screen reads them so. */
function spokenToHim(mode: ChatMode): boolean {
  return mode === 'rehearse' || mode === 'draft';
}

/** The versions she had go with the turn's last reply; the model's history holds only the new one. */
function withVersions(plans: ReplyPlan[], versions: MessageVersion[]): ReplyPlan[] {
  if (!versions.length) return plans;
  return plans.map((p, i) => (i === plans.length - 1 ? { ...p, meta: { ...p.meta, versions } } : p));
}

/** What the replies being written again said (with their own earlier versions), the most recent kept. */
function earlierVersions(replaced: MessageRecord[]): MessageVersion[] {
  const last = replaced.at(-1);
  if (!last || !last.text.trim()) return last?.meta.versions ?? [];
  const text = replaced.map((m) => m.text).filter((t) => t.trim()).join('\n\n');
  return versionsWith(last, text);
}

/** A message's earlier versions with one more, dated when the message was written; the most recent kept. */
function versionsWith(message: MessageRecord, text: string): MessageVersion[] {
  return [...(message.meta.versions ?? []), { text, createdAt: message.createdAt }].slice(-MAX_REPLY_VERSIONS);
}

function fixedPlan(text: string): ReplyPlan {
  return { fixedText: text, meta: { voice: 'coach', fixed: true } };
}

function levelAbove(a: SafetyLevel, b: SafetyLevel): boolean {
  return a !== b && levelAtLeast(a, b);
}
