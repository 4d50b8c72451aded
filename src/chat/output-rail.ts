import type { SafetyGate } from './safety-gate.js';

/**
 * Holds streamed text back until a sentence or clause ends, screens everything so far, and only
 * then lets it through, so a model reply that turns to methods or harm never reaches her.
 */
export class OutputRail {
  private pending = '';
  private checked = '';
  tripped = false;

  constructor(private readonly safety: SafetyGate, private readonly release: (text: string) => void) {}

  /** Returns false once the rail has tripped; the caller stops the model. */
  push(delta: string): boolean {
    if (this.tripped) return false;
    this.pending += delta;
    const boundary = lastSentenceEnd(this.pending);
    if (boundary > 0) this.pass(this.pending.slice(0, boundary));
    return !this.tripped;
  }

  flush(): void {
    if (!this.tripped && this.pending) this.pass(this.pending);
  }

  private pass(text: string): void {
    const verdict = this.safety.checkOutput(this.checked + text);
    if (!verdict.ok) {
      this.tripped = true;
      this.pending = '';
      this.release(RAIL_NOTE);
      return;
    }
    this.checked += text;
    this.pending = this.pending.slice(text.length);
    this.release(text);
  }
}

const RAIL_NOTE =
  '\n\nI stopped this reply because it was heading somewhere I should not go. If you or your son might be in danger, please use the help lines shown on this page.';

function lastSentenceEnd(text: string): number {
  const match = /[.!?,;:\n][)"'”’]*\s+(?=[^.!?,;:\n]*$)/.exec(text);
  return match ? match.index + match[0].length : 0;
}
