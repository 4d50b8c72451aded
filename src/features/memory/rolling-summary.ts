import { sentencesOf } from '../../text/sentences.js';
import { defineTask } from '../../llm/guided-task.js';
import { completeText, type ChatModel, type ModelRequest } from '../../llm/chat-model.js';
import type { MessageRecord } from '../../protocol/records.js';
import { renderPrompt } from '../../llm/prompt-library.js';
import type { ConversationMemory, RollingSummary } from './conversation-memory.js';
import { cleanSummary } from './summary-check.js';

/** Messages sent word for word before her new one; everything older lives in the summary. */
export const RECENT_MESSAGES = 6;
/** Older messages are folded this many at a time, so a model summary runs every few turns, not every turn. */
export const FOLD_BATCH = 6;
export const SUMMARY_MAX_CHARS = 1200;
const LINE_MAX_CHARS = 170;

export interface DialogueMessage {
  seq: number;
  role: 'user' | 'assistant';
  text: string;
  steps: string[];
}

/** Her messages and Mend's replies with text, in order (safety notices are not dialogue). */
export function dialogueOf(history: MessageRecord[]): DialogueMessage[] {
  return history
    .filter((m) => (m.role === 'user' || m.role === 'assistant') && m.text.trim())
    .map((m) => ({ seq: m.seq, role: m.role as 'user' | 'assistant', text: m.text, steps: m.meta.steps ?? [] }));
}

/**
 * Splits the conversation before her newest message into what the summary already covers,
 * older messages not yet folded, and the recent window sent verbatim.
 */
export function partition(history: MessageRecord[], throughSeq: number): { unfolded: DialogueMessage[]; recent: DialogueMessage[] } {
  const dialogue = dialogueOf(history);
  const before = dialogue.at(-1)?.role === 'user' ? dialogue.slice(0, -1) : dialogue;
  const recent = before.slice(-RECENT_MESSAGES);
  const unfolded = before.slice(0, Math.max(0, before.length - RECENT_MESSAGES)).filter((m) => m.seq > throughSeq);
  return { unfolded, recent };
}

/**
 * Keeps the rolling summary current and returns the text the prompt should carry. When
 * enough older messages have piled up they are folded in: by the model's `summary` task
 * when a model is configured, extractively otherwise or when the model fails. Older
 * messages still waiting for a fold are added extractively, so nothing drops out of view.
 */
export async function summaryForTurn(
  memory: ConversationMemory, history: MessageRecord[], model: ChatModel, signal: AbortSignal,
): Promise<string> {
  let summary: RollingSummary = memory.summary() ?? { text: '', throughSeq: 0 };
  let { unfolded } = partition(history, summary.throughSeq);
  if (unfolded.length >= FOLD_BATCH) {
    summary = { text: await foldWithModel(model, summary.text, unfolded, signal), throughSeq: unfolded.at(-1)!.seq };
    memory.setSummary(summary);
    unfolded = [];
  }
  return unfolded.length ? extractiveSummary(summary.text, unfolded) : summary.text;
}

async function foldWithModel(model: ChatModel, previous: string, messages: DialogueMessage[], signal: AbortSignal): Promise<string> {
  if (model.info.provider === 'guided') return extractiveSummary(previous, messages);
  try {
    const written = cleanSummary(await completeText(model, await summaryRequest(previous, messages), signal));
    return written ? capSummary(written) : extractiveSummary(previous, messages);
  } catch {
    return extractiveSummary(previous, messages);
  }
}

/** The older turns folded so far, and the turns to fold in. */
export const SUMMARY_TASK = defineTask<{ previous: string; messages: DialogueMessage[] }>('summary');

/** The `summary` task: prompts/summary.md as system, the summary so far and the new turns as her side. */
export async function summaryRequest(previous: string, messages: DialogueMessage[]): Promise<ModelRequest> {
  const system = await renderPrompt('summary', { maxWords: 150 });
  const transcript = messages.map((m) => `${m.role === 'user' ? 'Mother' : 'Mend'}: ${m.text}`).join('\n\n');
  return SUMMARY_TASK.request({ previous, messages }, [
    { role: 'system', content: system },
    { role: 'user', content: `Summary so far:\n${previous || '(none yet)'}\n\nNew part of the conversation:\n${transcript}` },
  ], { maxTokens: 300 });
}

/**
 * A summary without a model: for each of her messages the sentence that carries the most
 * (what happened, what he said, how she feels, what she wants), and for each reply the
 * steps it used and the words it offered her. Oldest lines drop first past the size cap.
 */
export function extractiveSummary(previous: string, messages: DialogueMessage[]): string {
  const lines = previous ? previous.split('\n').filter(Boolean) : [];
  for (const m of messages) {
    const line = m.role === 'user' ? herLine(m.text) : replyLine(m);
    if (line && lines.at(-1) !== line) lines.push(line);
  }
  return capSummary(lines.join('\n'));
}

function herLine(text: string): string {
  const sentences = sentencesOf(text);
  const best = [...sentences].sort((a, b) => weight(b) - weight(a))[0];
  return best ? `She: “${clipLine(best)}”` : '';
}

const TELLING = /\b(he|his|him|i feel|i'm|i am|i want|i wish|i tried|i've tried|slammed|said|called|lied|won't|hasn't|shout|yell|scream|cry|cried)\b/i;
function weight(sentence: string): number {
  return (TELLING.test(sentence) ? 10 : 0) + Math.min(sentence.split(/\s+/).length, 25);
}

function replyLine(m: DialogueMessage): string {
  const offered = /“([^”]{8,200})”/.exec(m.text)?.[1];
  const steps = m.steps.length ? `steps ${m.steps.join(', ')}` : '';
  if (!steps && !offered) return '';
  return `Mend: ${[steps, offered ? `offered “${clipLine(offered)}”` : ''].filter(Boolean).join('; ')}`;
}

function clipLine(text: string): string {
  return text.length > LINE_MAX_CHARS ? `${text.slice(0, LINE_MAX_CHARS - 1).trimEnd()}…` : text;
}

export function capSummary(text: string): string {
  const lines = text.split('\n');
  while (lines.join('\n').length > SUMMARY_MAX_CHARS && lines.length > 1) lines.shift();
  const joined = lines.join('\n');
  return joined.length > SUMMARY_MAX_CHARS ? `${joined.slice(0, SUMMARY_MAX_CHARS - 1)}…` : joined;
}

/** Rough token count (about four characters a token for English), for budgets and tests. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
