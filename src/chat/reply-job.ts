import type { ChatMode, ErrorCode, ReplyMeta, ReplyStatus, ServerFrame } from '../protocol/frames.js';

export type FrameSink = (frame: ServerFrame) => void;

/**
 * One reply being written. It lives on the server, not on a socket: sockets subscribe and
 * unsubscribe (a reload, a dropped connection) while the reply goes on being written.
 */
export class ReplyJob {
  text = '';
  status: ReplyStatus = 'streaming';
  private readonly sinks = new Set<FrameSink>();
  private readonly controller = new AbortController();
  /** True only when she pressed Stop; a dropped connection never sets it. */
  stopRequested = false;
  /** The model failed and guided mode answered instead: she is told why. */
  fallbackError: { code: ErrorCode; message: string } | undefined;
  /** The model broke off after it had started (guided mode finished the turn): stored as incomplete. */
  modelCut = false;

  constructor(
    readonly conversationId: string,
    readonly replyId: string,
    readonly mode: ChatMode,
    readonly provider: string,
    readonly model: string,
    public meta: Partial<ReplyMeta>,
  ) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Adds a listener; with `replay`, first sends the start and everything streamed so far. */
  subscribe(sink: FrameSink, replay: boolean): () => void {
    if (replay) {
      sink(this.startFrame());
      if (this.text) sink({ type: 'reply.delta', conversationId: this.conversationId, replyId: this.replyId, offset: 0, text: this.text });
    }
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  start(): void {
    this.broadcast(this.startFrame());
  }

  append(delta: string): void {
    const offset = this.text.length;
    this.text += delta;
    this.broadcast({ type: 'reply.delta', conversationId: this.conversationId, replyId: this.replyId, offset, text: delta });
  }

  end(status: Exclude<ReplyStatus, 'streaming'>, error?: { code: ErrorCode; message: string }): void {
    this.status = status;
    this.broadcast({
      type: 'reply.end', conversationId: this.conversationId, replyId: this.replyId, status, text: this.text,
      meta: { citations: [], steps: [], ...this.meta }, ...(error ? { error } : {}),
    });
    this.sinks.clear();
  }

  stop(): void {
    this.stopRequested = true;
    this.controller.abort();
  }

  /** Server shutdown: cut the reply without pretending she stopped it. */
  cut(): void {
    this.controller.abort();
  }

  private startFrame(): ServerFrame {
    return {
      type: 'reply.start', conversationId: this.conversationId, replyId: this.replyId, mode: this.mode,
      provider: this.provider, model: this.model, meta: { citations: [], steps: [], ...this.meta },
    };
  }

  private broadcast(frame: ServerFrame): void {
    for (const sink of this.sinks) sink(frame);
  }
}
