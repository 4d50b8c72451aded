import { PromptTemplate } from '@langchain/core/prompts';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const PROMPTS_DIR = fileURLToPath(new URL('../../prompts/', import.meta.url));

const cache = new Map<string, PromptTemplate>();

/** Caps on one earlier message in a prompt, so a long paste cannot crowd out the rest. */
const PROMPT_MAX_CHARS = { user: 2000, assistant: 900 } as const;

/** One earlier message of hers (`user`) or reply of Mend's (`assistant`), cut to its cap for a prompt. */
export function clipForPrompt(text: string, role: 'user' | 'assistant'): string {
  const max = PROMPT_MAX_CHARS[role];
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * Renders prompts/<name>.md (a mustache template) with the given variables. Prompts live in
 * Markdown so people can review them without reading TypeScript.
 */
export async function renderPrompt(name: string, variables: Record<string, unknown>): Promise<string> {
  let template = cache.get(name);
  if (!template) {
    const source = readFileSync(`${PROMPTS_DIR}${name}.md`, 'utf8').replace(/^<!--[\s\S]*?-->\s*/, '');
    template = PromptTemplate.fromTemplate(source, { templateFormat: 'mustache' });
    cache.set(name, template);
  }
  return (await template.format(variables)).trim();
}
