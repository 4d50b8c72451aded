/**
 * What a strict chat template (Mistral's, Gemma's, as served by vLLM or LM Studio) enforces
 * before it renders a prompt: at most one system message, first; then user and assistant
 * strictly alternating, starting with user and ending with user (the model answers next).
 * Returns the first violation in the template's own words, or undefined.
 */
export function strictTemplateError(messages: Array<{ role: string; content: unknown }>): string | undefined {
  const systems = messages.filter((m) => m.role === 'system').length;
  if (systems > 1 || (systems === 1 && messages[0]!.role !== 'system')) return 'Only one system message is supported, at the beginning';
  const turns = messages.filter((m) => m.role !== 'system');
  if (turns.length === 0) return 'The conversation has no user message';
  for (const [i, m] of turns.entries()) {
    if (m.role !== (i % 2 === 0 ? 'user' : 'assistant')) return 'Conversation roles must alternate user/assistant/user/assistant/...';
    if (typeof m.content !== 'string' || !m.content.trim()) return `Message ${i} has no text content`;
  }
  if (turns.at(-1)!.role !== 'user') return 'The last message must be from the user';
  return undefined;
}
