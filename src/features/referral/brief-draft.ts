import { defineTask } from '../../llm/guided-task.js';
import { completeText, type ChatModel, type ModelRequest } from '../../llm/chat-model.js';
import { ModelError } from '../../llm/errors.js';
import { namesIn } from '../../llm/pseudonymising-model.js';
import type { MessageRecord } from '../../protocol/records.js';
import { clipForPrompt, renderPrompt } from '../../llm/prompt-library.js';
import { assembleBrief, BRIEF_HEADINGS, briefHeader, herStatements, isCompleteBrief, NOT_DISCUSSED, type CounsellorBrief } from './brief.js';

const MAX_MESSAGES = 40;

/** The brief is written from her own statements; guided mode assembles them under the headings. */
export const BRIEF_TASK = defineTask<{ statements: string[]; createdAt: number }>('brief');

export interface DraftInput {
  history: MessageRecord[];
  model: ChatModel;
  signal: AbortSignal;
  now: number;
}

/**
 * Drafts her counsellor brief. A model writes it in openai mode; guided mode, a failing
 * model, or a draft missing a section all get the brief assembled from her own sentences,
 * so she always gets a whole page and never one with gaps filled by guesses.
 */
export async function draftBrief(input: DraftInput): Promise<{ brief: CounsellorBrief; by: 'model' | 'guided' }> {
  const statements = herStatements(input.history);
  const guided = () => ({ brief: newBrief(assembleBrief(statements, input.now), input.now), by: 'guided' as const });
  if (input.model.info.provider === 'guided' || statements.length === 0) return guided();
  try {
    const text = await completeText(input.model, await briefRequest(statements, input.now), input.signal);
    const markdown = fromModel(text, input.now);
    return markdown ? { brief: newBrief(markdown, input.now), by: 'model' } : guided();
  } catch (error) {
    if (error instanceof ModelError) return guided();
    throw error;
  }
}

export async function briefRequest(statements: string[], createdAt: number): Promise<ModelRequest> {
  const system = await renderPrompt('brief', { headings: [...BRIEF_HEADINGS], notDiscussed: NOT_DISCUSSED });
  const recent = statements.slice(-MAX_MESSAGES).map((s, i) => `${i + 1}. ${clipForPrompt(s.replace(/\s+/g, ' ').trim(), 'user')}`);
  return BRIEF_TASK.request({ statements, createdAt }, [
    { role: 'system', content: system },
    { role: 'user', content: `My messages, oldest first:\n\n${recent.join('\n')}` },
  ], { maxTokens: 900, knownNames: namesIn(statements) }); // names in older statements than those sent stay masked too
}

/** The model's sections under our own title and date line; undefined when a section is missing. */
function fromModel(text: string, now: number): string | undefined {
  const body = text.trim().replace(/^```(?:markdown|md)?\s*\n([\s\S]*?)\n```$/, '$1').replace(/^# .*\n+/, '').trim();
  // Markup, fences or JSON left in the body are not a brief she can print or edit.
  if (/<\/?[a-z][\w-]*(?:\s[^>]*)?>|```|^\s*\{/im.test(body)) return undefined;
  const markdown = `${briefHeader(now)}\n\n${body}\n`;
  return isCompleteBrief(markdown) ? markdown : undefined;
}

function newBrief(markdown: string, now: number): CounsellorBrief {
  return { markdown, createdAt: now, updatedAt: now, edited: false };
}

