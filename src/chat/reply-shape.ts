import type { ModelRequest } from '../llm/chat-model.js';
import type { OutputShape } from '../safety/index.js';
import { BoundedMemo } from '../text/bounded-memo.js';

/**
 * Watches the shape of one reply as it streams, with constant work per character: an echo of
 * the request's own instructions (the system prompt copied out), and for coaching replies a
 * list of tips or a string of questions where the format asks for one script and one
 * question. Limits are data (knowledge/safety/output-rail.json, `shape`).
 */
const LIST_ITEM = /^\s*(?:[-*•]|\d{1,2}[.)])\s+\S/;
/** A line that is, or is becoming, a list item ("2." arrives before its text). */
const LIST_START = /^\s*(?:[-*•]|\d{1,2}[.)])(?:\s|$)/;

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
  private held = '';

  constructor(private readonly limits: OutputShape, request: ModelRequest) {
    // The instructions open every system prompt; what follows them is data (knowledge, directories) a reply may quote.
    const instructions = firstWords(request.messages.find((m) => m.role === 'system')?.content ?? '', INSTRUCTION_WORDS);
    this.echoGrams = INSTRUCTION_GRAMS.get(`${limits.echoWords} ${instructions.join(' ')}`, () => gramsOf(instructions, limits.echoWords));
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
    if (LIST_ITEM.test(this.line)) this.listItems++;
    this.line = '';
    // A quotation never runs across a line break in a coaching reply: an unclosed one stops counting here.
    this.inQuote = false;
  }

  /**
   * Text to show now. In a coaching reply a list is held back until a line that is not part
   * of it begins, so a list that grows past the limit is stopped before she has read half of it.
   */
  release(text: string): string {
    if (!this.formatted) return text;
    this.held += text;
    const lines = this.held.split('\n');
    const last = lines.at(-1)!;
    if (last.trim() && !LIST_START.test(last)) return this.releaseAll();
    let start = lines.length - 1;
    while (start > 0 && (LIST_START.test(lines[start - 1]!) || !lines[start - 1]!.trim())) start--;
    if (!lines.slice(start).some((l) => LIST_START.test(l))) return this.releaseAll();
    const shown = lines.slice(0, start).join('\n');
    this.held = lines.slice(start).join('\n');
    return start > 0 ? `${shown}\n` : '';
  }

  /** What is still held at the end of a reply that kept its shape. */
  flush(): string {
    return this.releaseAll();
  }

  private releaseAll(): string {
    const out = this.held;
    this.held = '';
    return out;
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

/** The opening words of a prompt, read from its start only: the rest (knowledge, her facts) can run to pages. */
function firstWords(text: string, count: number): string[] {
  const head = wordsOf(text.slice(0, count * 24));
  return head.length >= count || text.length <= count * 24 ? head.slice(0, count) : wordsOf(text).slice(0, count);
}

/** A task's instructions are the same on every turn, so their n-grams are worked out once per wording. */
const INSTRUCTION_GRAMS = new BoundedMemo<Set<string>>(64, 4_000);

function gramsOf(words: string[], n: number): Set<string> {
  const grams = new Set<string>();
  for (let i = 0; i + n <= words.length; i++) grams.add(words.slice(i, i + n).join(' '));
  return grams;
}
