import type { ModelRequest } from '../llm/chat-model.js';
import type { OutputShape } from '../safety/index.js';

/**
 * Watches the shape of one reply as it streams, with constant work per character: an echo of
 * the request's own instructions (the system prompt copied out), and for coaching replies a
 * list of tips or a string of questions where the format asks for one script and one
 * question. Limits are data (knowledge/safety/output-rail.json, `shape`).
 */
/** How much of a system prompt counts as its instructions for the echo check. */
const INSTRUCTION_WORDS = 150;

export class ReplyShape {
  private readonly echoGrams: Set<string>;
  private recentWords: string[] = [];
  private readonly formatted: boolean;
  private line = '';
  private listItems = 0;
  private questions = 0;
  private inQuote = false;

  constructor(private readonly limits: OutputShape, request: ModelRequest) {
    // The instructions open every system prompt; what follows them is data (knowledge, directories) a reply may quote.
    const instructions = wordsOf(request.messages.find((m) => m.role === 'system')?.content ?? '').slice(0, INSTRUCTION_WORDS);
    this.echoGrams = gramsOf(instructions, limits.echoWords);
    this.formatted = limits.formatTasks.includes(request.task);
  }

  /** Takes the next released piece; returns the broken limit's id, if any. */
  add(text: string): string | undefined {
    return this.echo(text) ?? (this.formatted ? this.format(text) : undefined);
  }

  private echo(text: string): string | undefined {
    if (this.echoGrams.size === 0) return undefined;
    const n = this.limits.echoWords;
    const words = [...this.recentWords, ...wordsOf(text)];
    for (let end = Math.max(n, this.recentWords.length + 1); end <= words.length; end++) {
      if (this.echoGrams.has(words.slice(end - n, end).join(' '))) return 'shape.echo';
    }
    this.recentWords = words.slice(-(n - 1));
    return undefined;
  }

  private format(text: string): string | undefined {
    for (const ch of text) {
      if (ch === '\n') {
        this.endLine();
        continue;
      }
      if (this.line.length < 12) this.line += ch;
      if (ch === '“' || ch === '”' || ch === '"') this.inQuote = ch === '“' ? true : ch === '”' ? false : !this.inQuote;
      else if (ch === '?' && !this.inQuote) this.questions++;
    }
    if (this.listItems > this.limits.maxListItems) return 'shape.tips';
    if (this.questions > this.limits.maxQuestions) return 'shape.questions';
    return undefined;
  }

  private endLine(): void {
    if (/^\s*(?:[-*•]|\d{1,2}[.)])\s+\S/.test(this.line)) this.listItems++;
    this.line = '';
    // A quotation never runs across a line break in a coaching reply: an unclosed one stops counting here.
    this.inQuote = false;
  }

  /** The last line has no newline after it; it counts too. */
  finish(): string | undefined {
    if (!this.formatted) return undefined;
    this.endLine();
    return this.listItems > this.limits.maxListItems ? 'shape.tips' : undefined;
  }
}

function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

function gramsOf(words: string[], n: number): Set<string> {
  const grams = new Set<string>();
  for (let i = 0; i + n <= words.length; i++) grams.add(words.slice(i, i + n).join(' '));
  return grams;
}
