import type { FastifyBaseLogger } from 'fastify';
import type { ChatModel, ModelInfo, ModelRequest, ModelTask } from '../llm/chat-model.js';
import { ModelUnsafeOutputError } from '../llm/errors.js';

export type OutputCheck = (text: string) => { ok: boolean; reasons: string[] };

/** Tasks whose text she reads as it streams; the rest (summary, brief, classify) are stored or parsed whole. */
const STREAMED_TO_HER: ReadonlySet<ModelTask> = new Set(['coach', 'son', 'rehearsal-note', 'debrief', 'draft-check', 'referral']);

/**
 * How much already-released text is screened again with each new piece: enough for any rule
 * to see a phrase split across chunks, bounded so a long reply costs linear time, not quadratic.
 */
const OVERLAP_CHARS = 2000;

export const RAIL_NOTE =
  '\n\nI stopped this reply because it was heading somewhere I should not go. If you or your son might be in danger, please use the help lines shown on this page.';

/**
 * The output rail at the model boundary: every model call of every task passes through it,
 * so no model text reaches her, the memory panel or a later prompt unscreened. Streamed text
 * is held until a sentence or clause ends, then screened; a reply that trips the rail ends
 * with a short note instead, and a non-streamed result (summary, brief) is refused with a
 * typed error so its caller falls back to guided text. Only rule ids reach the log.
 */
export class RailedModel implements ChatModel {
  readonly info: ModelInfo;

  constructor(private readonly inner: ChatModel, private readonly check: OutputCheck, private readonly logger?: FastifyBaseLogger) {
    this.info = inner.info;
  }

  async *stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<string> {
    let pending = '';
    let checked = '';
    const pass = (text: string): boolean => {
      const verdict = this.check(checked.slice(-OVERLAP_CHARS) + text);
      if (!verdict.ok) {
        this.logger?.warn({ task: request.task, rules: verdict.reasons.map((r) => r.split(' ')[0]) }, 'output rail stopped a model reply');
        return false;
      }
      checked = (checked + text).slice(-OVERLAP_CHARS);
      return true;
    };
    const tripped = (): string => {
      if (STREAMED_TO_HER.has(request.task)) return RAIL_NOTE;
      throw new ModelUnsafeOutputError();
    };
    for await (const delta of this.inner.stream(request, signal)) {
      pending += delta;
      const boundary = lastSentenceEnd(pending);
      if (boundary === 0) continue;
      const ready = pending.slice(0, boundary);
      pending = pending.slice(boundary);
      if (!pass(ready)) {
        yield tripped();
        return;
      }
      yield ready;
    }
    if (!pending) return;
    if (!pass(pending)) yield tripped();
    else yield pending;
  }
}

/** Where the last sentence or clause ends; only the tail after it is searched, so each call is short. */
function lastSentenceEnd(text: string): number {
  const match = /[.!?,;:\n][)"'”’]*\s+(?=[^.!?,;:\n]*$)/.exec(text.slice(-OVERLAP_CHARS));
  return match ? text.length - Math.min(text.length, OVERLAP_CHARS) + match.index + match[0].length : 0;
}
