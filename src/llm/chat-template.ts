import type { PromptMessage } from './chat-model.js';

/**
 * Strict chat templates (Mistral, Gemma, some Llama builds on vLLM or LM Studio) accept one
 * system message, first, then user and assistant strictly alternating, starting and ending
 * with user; anything else is a 400 or a template error. Modes build their messages for
 * meaning (context as a second system message, memory as her side); this folds them into
 * the one shape every template accepts, at the provider boundary, so no task can forget.
 */
export const OPENING_TURN = '(The conversation begins.)';
export const CONTINUE_TURN = '(Please go on.)';

export function toStrictTurns(messages: readonly PromptMessage[]): PromptMessage[] {
  const system = messages.filter((m) => m.role === 'system').map((m) => m.content.trim()).filter(Boolean);
  const turns: PromptMessage[] = [];
  for (const m of messages) {
    if (m.role === 'system' || !m.content.trim()) continue;
    const last = turns.at(-1);
    if (last?.role === m.role) last.content = `${last.content}\n\n${m.content}`;
    else turns.push({ role: m.role, content: m.content });
  }
  if (turns[0]?.role !== 'user') turns.unshift({ role: 'user', content: OPENING_TURN });
  if (turns.at(-1)?.role !== 'user') turns.push({ role: 'user', content: CONTINUE_TURN });
  return [...(system.length ? [{ role: 'system' as const, content: system.join('\n\n') }] : []), ...turns];
}
