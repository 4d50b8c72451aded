import { z } from 'zod';
import type { FastifyBaseLogger } from 'fastify';
import { completeText, type ChatModel } from '../llm/chat-model.js';
import { defineTask } from '../llm/guided-task.js';
import { clipForPrompt, renderPrompt } from '../llm/prompt-library.js';
import { namesIn } from '../llm/pseudonymising-model.js';
import { RiskSubject, SafetyLevel } from '../protocol/safety.js';
import type { MessageRecord } from '../protocol/records.js';

/** What the model's second opinion must look like; anything else is ignored. */
export const SafetyOpinion = z.object({
  level: SafetyLevel,
  subject: z.union([RiskSubject, z.literal('none')]),
  who: z.enum(['her', 'him', 'other', 'none']),
  now: z.boolean(),
  reason: z.string().max(300).optional(),
});
export type SafetyOpinion = z.infer<typeof SafetyOpinion>;

const CLASSIFY_TASK = defineTask<{ text: string }>('classify');
const EARLIER_MESSAGES = 4;

/**
 * With a model configured, a second opinion on every message she sends: the model reads her
 * message and her last few, against the rubric in prompts/safety-opinion.md, and answers in
 * JSON. It may only raise the level the rules and the learned screen gave; a slow, failed or
 * malformed answer is dropped and the local layers stand. The request goes through the same
 * model stack as every other (pseudonymised, railed).
 */
export class ModelSafetyOpinion {
  constructor(private readonly model: ChatModel, private readonly timeoutMs: number, private readonly logger: FastifyBaseLogger) {}

  async review(text: string, earlier: MessageRecord[], signal?: AbortSignal): Promise<SafetyOpinion | undefined> {
    const bound = AbortSignal.timeout(this.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, bound]) : bound;
    try {
      const system = await renderPrompt('safety-opinion', {});
      const hers = earlier.filter((m) => m.role === 'user').slice(-EARLIER_MESSAGES).map((m, i) => `${i + 1}. ${clipForPrompt(m.text, 'user')}`);
      const user = `${hers.length ? `Her earlier messages, oldest first:\n${hers.join('\n')}\n\n` : ''}Her new message:\n${clipForPrompt(text, 'user')}`;
      // Names from all her earlier messages, not only the few quoted, stay masked.
      const knownNames = namesIn(earlier.filter((m) => m.role === 'user').map((m) => m.text));
      const request = CLASSIFY_TASK.request({ text }, [{ role: 'system', content: system }, { role: 'user', content: user }], { json: true, maxTokens: 120, knownNames });
      const answer = await raceAbort(completeText(this.model, request, combined), combined);
      const parsed = SafetyOpinion.safeParse(parseJsonObject(answer));
      if (!parsed.success) {
        this.logger.warn({ event: 'safety-opinion', outcome: 'malformed' }, 'safety second opinion ignored');
        return undefined;
      }
      return parsed.data;
    } catch (error) {
      const outcome = bound.aborted ? 'timeout' : (error as Error).name;
      this.logger.warn({ event: 'safety-opinion', outcome }, 'safety second opinion unavailable; local screens stand');
      return undefined;
    }
  }
}

/** The first JSON object in the answer, fenced or not. */
function parseJsonObject(answer: string): unknown {
  const start = answer.indexOf('{');
  const end = answer.lastIndexOf('}');
  if (start < 0 || end <= start) return undefined;
  try {
    return JSON.parse(answer.slice(start, end + 1));
  } catch {
    return undefined;
  }
}

/** A model that ignores the signal must still not hold her reply past the bound. */
function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new Error('aborted'));
  return new Promise<T>((resolve, reject) => {
    signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
    work.then(resolve, reject);
  });
}
