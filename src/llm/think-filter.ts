/**
 * Removes reasoning from a streamed reply. Qwen3, DeepSeek-R1 and similar models put their
 * thinking in `<think>…</think>` inside the answer text; she must never read it and it must
 * never be stored. Tags can arrive split across chunks ("<thi" + "nk>"), so text that could
 * still become a tag is held back until it is decided.
 */
const OPEN = /<(think|thinking|reasoning)>/i;
const CLOSE = /<\/(think|thinking|reasoning)>/i;
/** Longest tag we hold back for: "</reasoning>". */
const LONGEST_TAG = 12;

export class ThinkFilter {
  private held = '';
  private inside = false;
  /** After a closing tag the answer usually starts with a blank line; it is not hers to see. */
  private trimNext = false;

  push(delta: string): string {
    let text = this.held + delta;
    this.held = '';
    let out = '';
    for (;;) {
      if (this.inside) {
        const close = CLOSE.exec(text);
        if (!close) {
          this.held = text.slice(-LONGEST_TAG); // the rest is reasoning, dropped
          return out;
        }
        text = text.slice(close.index + close[0].length);
        this.inside = false;
        this.trimNext = true;
        continue;
      }
      if (this.trimNext) {
        text = text.replace(/^\s+/, '');
        if (!text) return out;
        this.trimNext = false;
      }
      const open = OPEN.exec(text);
      const stray = CLOSE.exec(text);
      if (stray && (!open || stray.index < open.index)) {
        // A closing tag with no opening one (the template opened it in the prompt): what came before was reasoning too.
        out = '';
        text = text.slice(stray.index + stray[0].length);
        this.trimNext = true;
        continue;
      }
      if (open) {
        out += text.slice(0, open.index);
        text = text.slice(open.index + open[0].length);
        this.inside = true;
        continue;
      }
      const partial = partialTagAt(text);
      this.held = text.slice(partial);
      return out + text.slice(0, partial);
    }
  }

  /** The end of the stream: held text that never became a tag is released; unclosed reasoning is dropped. */
  flush(): string {
    const rest = this.inside ? '' : this.held;
    this.held = '';
    return this.trimNext ? rest.replace(/^\s+/, '') : rest;
  }
}

/** Where a trailing "<", "</thi"… that could still grow into a tag begins (text.length if none). */
function partialTagAt(text: string): number {
  const at = text.lastIndexOf('<');
  if (at < 0 || text.length - at > LONGEST_TAG) return text.length;
  const tail = text.slice(at).toLowerCase();
  const tags = ['<think>', '<thinking>', '<reasoning>', '</think>', '</thinking>', '</reasoning>'];
  return tags.some((t) => t.startsWith(tail)) ? at : text.length;
}
