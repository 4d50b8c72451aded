import type { FastifyBaseLogger } from 'fastify';
import type { ChatModel, ModelInfo, ModelRequest } from '../llm/chat-model.js';
import { ModelTooLongError, ModelUnsafeOutputError } from '../llm/errors.js';
import type { OutputShape } from '../safety/index.js';
import { ReplyShape } from './reply-shape.js';

export type OutputCheck = (text: string, task?: string) => { ok: boolean; reasons: string[] };

/**
 * How much already-released text is screened again with each new piece: longer than any
 * rule's reach (a few words, or a word spelled out letter by letter), so a phrase split
 * across chunks is still seen, and short enough that each piece costs the same however long
 * the reply has grown.
 */
export const OVERLAP_CHARS = 300;
/** Text waiting for a sentence end is released (screened) anyway once it is this long. */
const MAX_HOLD_CHARS = 1000;
/** The most one screen call sees besides the overlap: a single huge chunk is screened in windows. */
const WINDOW_CHARS = 4000;
/** Mend's own cap on one reply when none is configured (MEND_MAX_REPLY_CHARS). */
export const DEFAULT_MAX_REPLY_CHARS = 40_000;

/**
 * The output rail at the model boundary: every model call of every task passes through it,
 * so no model text reaches her, the memory panel or a later prompt unscreened. Streamed text
 * is held until a sentence or clause ends, then screened (the rules, and the reply's shape:
 * an echo of its instructions, a list of tips, a string of questions). A reply that trips
 * the rail ends in a typed error, so the turn engine lets guided text answer instead and a
 * summary or brief falls back to guided text. Only rule ids and counts reach the log.
 */
export class RailedModel implements ChatModel {
  readonly info: ModelInfo;
  /** How often each rule stopped a reply since start, for the log line: never her text. */
  private readonly stops = new Map<string, number>();

  constructor(
    private readonly inner: ChatModel, private readonly check: OutputCheck, private readonly logger?: FastifyBaseLogger,
    private readonly shape?: OutputShape,
    /** Longest reply, in characters: one that runs past it ends there, kept and marked (ModelTooLongError). */
    private readonly maxReplyChars = DEFAULT_MAX_REPLY_CHARS,
  ) {
    this.info = inner.info;
  }

  async *stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<string> {
    let pending = '';
    let checked = '';
    // Our own guided text follows our format and never saw the prompt: only a model's reply has its shape watched.
    const shape = this.shape && this.inner.info.provider !== 'guided' ? new ReplyShape(this.shape, request) : undefined;
    let released = 0;
    /** Screens one window with the tail of what came before: bounded work, whatever the reply's length. */
    const screen = (text: string): void => {
      const verdict = this.check(checked + text, request.task);
      const broken = verdict.ok ? shape?.add(text) : undefined;
      const rules = verdict.ok ? (broken ? [broken] : []) : verdict.reasons.map((r) => r.split(' ')[0]!);
      if (rules.length) this.stopped(request, rules);
      checked = (checked + text).slice(-OVERLAP_CHARS);
    };
    /** Screens the text (a huge chunk window by window) and returns what may be shown, up to the length cap. */
    const pass = (text: string): string => {
      const room = Math.max(0, this.maxReplyChars - released);
      const kept = text.length > room ? text.slice(0, room) : text;
      for (let at = 0; at < kept.length; at += WINDOW_CHARS) screen(kept.slice(at, at + WINDOW_CHARS));
      released += kept.length;
      return kept;
    };
    for await (const delta of this.inner.stream(request, signal)) {
      pending += delta;
      let boundary = lastSentenceEnd(pending);
      if (boundary === 0 && pending.length >= MAX_HOLD_CHARS) boundary = pending.length;
      if (boundary === 0) continue;
      const piece = pending.slice(0, boundary);
      pending = pending.slice(boundary);
      const ready = pass(piece);
      const shown = shape ? shape.release(ready) : ready;
      if (shown) yield shown;
      if (ready.length < piece.length) return yield* this.tooLong(request, shape);
    }
    if (pending) {
      const ready = pass(pending);
      const shown = shape ? shape.release(ready) : ready;
      if (shown) yield shown;
      if (ready.length < pending.length) return yield* this.tooLong(request, shape);
    }
    const broken = shape?.finish();
    if (broken) this.stopped(request, [broken]);
    const rest = shape?.flush();
    if (rest) yield rest;
  }

  /** The reply ran past the cap: what was screened is shown, then the typed error that keeps it, marked. */
  private *tooLong(request: ModelRequest, shape: ReplyShape | undefined): Generator<string, never> {
    const rest = shape?.flush();
    if (rest) yield rest;
    this.logger?.warn({ task: request.task, maxReplyChars: this.maxReplyChars }, 'a model reply ran past the length cap');
    throw new ModelTooLongError();
  }

  private stopped(request: ModelRequest, rules: string[]): never {
    const counts = Object.fromEntries(rules.map((rule) => {
      const count = (this.stops.get(rule) ?? 0) + 1;
      this.stops.set(rule, count);
      return [rule, count];
    }));
    this.logger?.warn({ task: request.task, rules, stopsSinceStart: counts }, 'output rail stopped a model reply');
    throw new ModelUnsafeOutputError();
  }
}

/** Where the last sentence or clause ends; only the tail after it is searched, so each call is short. */
function lastSentenceEnd(text: string): number {
  const from = Math.max(0, text.length - MAX_HOLD_CHARS);
  const match = /[.!?,;:\n][)"'”’*_]*\s+(?=[^.!?,;:\n]*$)/.exec(text.slice(from));
  return match ? from + match.index + match[0].length : 0;
}
