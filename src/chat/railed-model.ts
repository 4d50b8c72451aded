import type { FastifyBaseLogger } from 'fastify';
import type { ChatModel, ModelInfo, ModelRequest } from '../llm/chat-model.js';
import { ModelUnsafeOutputError } from '../llm/errors.js';
import type { OutputShape } from '../safety/index.js';
import { ReplyShape } from './reply-shape.js';

export type OutputCheck = (text: string, task?: string) => { ok: boolean; reasons: string[] };

/**
 * How much already-released text is screened again with each new piece: enough for any rule
 * to see a phrase split across chunks, bounded so a long reply costs linear time, not quadratic.
 */
const OVERLAP_CHARS = 2000;

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
  ) {
    this.info = inner.info;
  }

  async *stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<string> {
    let pending = '';
    let checked = '';
    // Our own guided text follows our format and never saw the prompt: only a model's reply has its shape watched.
    const shape = this.shape && this.inner.info.provider !== 'guided' ? new ReplyShape(this.shape, request) : undefined;
    const pass = (text: string): void => {
      const verdict = this.check(checked.slice(-OVERLAP_CHARS) + text, request.task);
      const broken = verdict.ok ? shape?.add(text) : undefined;
      const rules = verdict.ok ? (broken ? [broken] : []) : verdict.reasons.map((r) => r.split(' ')[0]!);
      if (rules.length) this.stopped(request, rules);
      checked = (checked + text).slice(-OVERLAP_CHARS);
    };
    for await (const delta of this.inner.stream(request, signal)) {
      pending += delta;
      const boundary = lastSentenceEnd(pending);
      if (boundary === 0) continue;
      const ready = pending.slice(0, boundary);
      pending = pending.slice(boundary);
      pass(ready);
      const shown = shape ? shape.release(ready) : ready;
      if (shown) yield shown;
    }
    if (pending) {
      pass(pending);
      const shown = shape ? shape.release(pending) : pending;
      if (shown) yield shown;
    }
    const broken = shape?.finish();
    if (broken) this.stopped(request, [broken]);
    const rest = shape?.flush();
    if (rest) yield rest;
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
  const match = /[.!?,;:\n][)"'”’]*\s+(?=[^.!?,;:\n]*$)/.exec(text.slice(-OVERLAP_CHARS));
  return match ? text.length - Math.min(text.length, OVERLAP_CHARS) + match.index + match[0].length : 0;
}
