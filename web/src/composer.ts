import type { MAX_MESSAGE_CHARS as SERVER_MAX } from '../../src/protocol/index.js';
import { drafts } from './storage.js';

// Typed by the server's constant, so tsc fails if the two limits ever differ; the value itself
// can't be imported without bundling zod along with it.
export const MAX_MESSAGE_CHARS: typeof SERVER_MAX = 8000;

/**
 * Enter sends, Shift+Enter makes a new line. An Enter that confirms an input method's
 * composition (isComposing, or keyCode 229 in older engines) only finishes the word.
 */
export function isSendKey(event: KeyboardEvent): boolean {
  return event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229;
}

export interface ComposerHandlers {
  /** Returns false when the text could not be taken (it then stays in the box). */
  send(text: string): boolean;
  stop(): void;
}

/**
 * The message box: Enter sends, Shift+Enter makes a new line; while Mend is answering the
 * Send button becomes Stop. What she types is saved as a draft per conversation, so a
 * reload or a crash never loses it.
 */
export class Composer {
  private conversationId: string | null = null;
  /** False until the first conversation is shown: nothing to save before that. */
  private ready = false;
  private saveTimer: number | undefined;
  private hintTimer: number | undefined;
  private readonly autoGrow = !(typeof CSS !== 'undefined' && CSS.supports?.('field-sizing', 'content'));

  constructor(
    private readonly form: HTMLFormElement,
    private readonly input: HTMLTextAreaElement,
    private readonly sendButton: HTMLButtonElement,
    private readonly stopButton: HTMLButtonElement,
    private readonly hint: HTMLElement,
    private readonly counter: HTMLElement,
    private readonly handlers: ComposerHandlers,
  ) {
    input.maxLength = MAX_MESSAGE_CHARS;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    });
    input.addEventListener('keydown', (event) => {
      if (!isSendKey(event)) return;
      event.preventDefault();
      this.submit();
    });
    input.addEventListener('input', () => {
      this.grow();
      this.updateCounter();
      window.clearTimeout(this.saveTimer);
      this.saveTimer = window.setTimeout(() => this.saveDraft(), 250);
    });
    stopButton.addEventListener('click', () => this.handlers.stop());
    window.addEventListener('pagehide', () => this.saveDraft());
    document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') this.saveDraft(); });
  }

  get value(): string {
    return this.input.value;
  }

  focus(): void {
    this.input.focus();
  }

  /** Switches to another conversation's draft (saving the current one first). */
  setConversation(id: string | null): void {
    if (this.ready) this.saveDraft();
    this.ready = true;
    this.conversationId = id;
    this.input.value = drafts.get(id);
    this.grow();
    this.updateCounter();
  }

  /** The conversation that was "new" just got its id: its draft moves with it. */
  adoptConversationId(id: string): void {
    if (this.conversationId !== null) return;
    this.saveDraft();
    drafts.move(null, id);
    this.conversationId = id;
  }

  setPlaceholder(text: string): void {
    this.input.placeholder = text;
  }

  /** While Mend answers, Stop appears beside Send (what she sends meanwhile is queued). */
  setBusy(busy: boolean, stopping = false): void {
    const hadStopFocus = document.activeElement === this.stopButton;
    this.stopButton.hidden = !busy;
    this.stopButton.disabled = stopping;
    const label = this.stopButton.querySelector('.label');
    if (label) label.textContent = stopping ? 'Stopping…' : 'Stop';
    // The Stop button goes away or is disabled under her focus: the message box is where she goes next.
    if (hadStopFocus && (!busy || stopping)) this.input.focus();
  }

  /** The Send button says which mode it sends in when that isn't Coach. */
  setSendLabel(text: string): void {
    const label = this.sendButton.querySelector('.label');
    if (label) label.textContent = text;
    // On a phone the plain Send is an arrow; another mode's words stay visible there too.
    this.sendButton.classList.toggle('send-named', text !== 'Send');
  }

  /** Puts text back in the box (a send that failed); appends if she has typed since. */
  restore(text: string): void {
    const current = this.input.value.trim();
    this.input.value = current ? `${text}\n\n${this.input.value}` : text;
    this.grow();
    this.updateCounter();
    this.saveDraft();
    this.input.focus();
  }

  showHint(text: string): void {
    this.hint.textContent = text;
    this.hint.hidden = false;
    window.clearTimeout(this.hintTimer);
    this.hintTimer = window.setTimeout(() => { this.hint.hidden = true; }, 5000);
  }

  private submit(): void {
    const text = this.input.value;
    if (!text.trim()) {
      this.input.focus();
      return;
    }
    // While Mend is answering her message is queued (delivery.ts), never refused.
    if (!this.handlers.send(text)) return;
    this.input.value = '';
    this.grow();
    this.updateCounter();
    this.saveDraft();
  }

  private saveDraft(): void {
    window.clearTimeout(this.saveTimer);
    if (!this.ready) return;
    drafts.set(this.conversationId, this.input.value);
  }

  private updateCounter(): void {
    const n = this.input.value.length;
    const near = n > MAX_MESSAGE_CHARS * 0.9;
    this.counter.hidden = !near;
    this.counter.textContent = near ? `${n.toLocaleString()} / ${MAX_MESSAGE_CHARS.toLocaleString()} characters` : '';
  }

  /** Browsers without CSS field-sizing: grow the box with its text, up to 8 lines. */
  private grow(): void {
    if (!this.autoGrow) return;
    this.input.rows = 1;
    let rows = 1;
    while (rows < 8 && this.input.scrollHeight > this.input.clientHeight + 2) {
      rows += 1;
      this.input.rows = rows;
    }
  }
}
