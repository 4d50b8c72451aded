import { ApiError, messageOf } from './api.js';
import { h } from './dom.js';
import { readJson, writeJson } from './storage.js';
import type { MemoryFact } from './types.js';

/** The server's limit for one fact (PUT …/memory answers 400 beyond it). */
const FACT_MAX_CHARS = 200;

/**
 * Her unsaved corrections in a conversation, by fact key. Kept on the page (in memory only for
 * a conversation she isn't keeping) so a failed save, a refresh or closing the panel never loses them.
 */
export const memoryEditsKey = (conversationId: string) => `memory-edits.${conversationId}`;

function readEdits(conversationId: string): Record<string, string> {
  const edits = readJson<Record<string, string> | null>(memoryEditsKey(conversationId), null);
  return edits && typeof edits === 'object' ? edits : {};
}

function keepEdit(conversationId: string, key: string, text: string | null): void {
  const edits = readEdits(conversationId);
  if (text === null) delete edits[key];
  else edits[key] = text;
  writeJson(memoryEditsKey(conversationId), Object.keys(edits).length ? edits : undefined);
}

/** "His name" → "his name", to finish a sentence or a button's name: "Edit his name". */
export function lower(label: string): string {
  return label.charAt(0).toLowerCase() + label.slice(1);
}

export interface FactRowActions {
  /** Sends her correction; resolves once the server has it, throws (an ApiError) otherwise. */
  save: (key: string, value: string) => Promise<void>;
  /** Makes Mend forget the fact; the panel removes the row when it resolves. */
  forget: (row: FactRow) => Promise<void>;
}

/**
 * One fact in the "What Mend remembers" panel: its label and value with Edit and Forget, or,
 * while she corrects it, a labelled field with Save and Cancel. Her text in the field is hers:
 * a refresh from the server never replaces it, and a failed save leaves it where it is.
 */
export class FactRow {
  readonly element: HTMLLIElement;
  private fact: MemoryFact;
  private readonly value: HTMLElement;
  private readonly view: HTMLElement;
  private readonly editButton: HTMLButtonElement;
  private readonly forgetButton: HTMLButtonElement;
  private readonly form: HTMLFormElement;
  private readonly input: HTMLInputElement;
  private readonly saveButton: HTMLButtonElement;
  private readonly saveText: HTMLElement;
  private readonly cancelButton: HTMLButtonElement;
  private readonly error: HTMLElement;
  private busy = false;

  constructor(fact: MemoryFact, private readonly conversationId: string, private readonly actions: FactRowActions) {
    this.fact = fact;
    const id = `memory-${fact.key}`;
    const about = lower(fact.label);

    this.value = h('p', { class: 'memory-fact-value' });
    this.editButton = h('button', { type: 'button', class: 'button button-secondary button-small' },
      'Edit', h('span', { class: 'visually-hidden' }, ` ${about}`));
    this.editButton.addEventListener('click', () => this.startEditing());
    this.forgetButton = h('button', { type: 'button', class: 'button button-quiet button-small memory-forget' },
      'Forget', h('span', { class: 'visually-hidden' }, ` ${about}`));
    this.forgetButton.addEventListener('click', () => void this.forget());
    this.view = h('div', { class: 'memory-fact-view' },
      h('div', { class: 'memory-fact-text' }, h('p', { class: 'memory-fact-label' }, fact.label), this.value),
      h('div', { class: 'memory-fact-actions' }, this.editButton, this.forgetButton));

    this.error = h('p', { class: 'field-error memory-fact-error', id: `${id}-error`, role: 'alert', hidden: true });
    this.input = h('input', {
      id: `${id}-input`, class: 'input', type: 'text', maxlength: FACT_MAX_CHARS, autocomplete: 'off', spellcheck: 'true',
      'aria-describedby': `${id}-hint`,
    });
    this.input.addEventListener('input', () => keepEdit(this.conversationId, this.fact.key, this.input.value));
    this.saveText = h('span', {}, 'Save');
    this.saveButton = h('button', { type: 'submit', class: 'button button-primary button-small' },
      this.saveText, h('span', { class: 'visually-hidden' }, ` ${about}`));
    this.cancelButton = h('button', { type: 'button', class: 'button button-secondary button-small' },
      'Cancel', h('span', { class: 'visually-hidden' }, ` changes to ${about}`));
    this.cancelButton.addEventListener('click', () => this.cancel());
    this.form = h('form', { class: 'memory-edit', hidden: true },
      h('div', { class: 'field' },
        h('label', { for: `${id}-input` }, fact.label),
        this.input,
        h('p', { class: 'field-hint', id: `${id}-hint` }, 'Mend uses your words from its next reply.')),
      h('div', { class: 'memory-edit-actions' }, this.cancelButton, this.saveButton));
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.save();
    });

    this.element = h('li', { class: 'memory-fact', 'data-key': fact.key }, this.view, this.form, this.error);
    this.value.textContent = fact.value;
    const unsaved = readEdits(conversationId)[fact.key];
    if (unsaved !== undefined) this.showEditor(unsaved);
  }

  get key(): string {
    return this.fact.key;
  }

  /** The server's copy, as last shown (not her unsaved text). */
  get saved(): MemoryFact {
    return this.fact;
  }

  get editing(): boolean {
    return !this.form.hidden;
  }

  /** The server's copy changed (a refresh, or another correction): shown, but never over her text. */
  update(fact: MemoryFact): void {
    this.fact = fact;
    this.value.textContent = fact.value;
  }

  /** Where focus goes when this row is the one to land on. */
  focus(): void {
    (this.editing ? this.input : this.editButton).focus();
  }

  private startEditing(): void {
    this.showEditor(this.fact.value);
    this.input.select();
  }

  private showEditor(text: string): void {
    this.input.value = text;
    this.view.hidden = true;
    this.form.hidden = false;
    this.input.focus();
  }

  private cancel(): void {
    if (this.busy) return;
    keepEdit(this.conversationId, this.fact.key, null);
    this.clearError();
    this.showView();
    this.editButton.focus();
  }

  private showView(): void {
    this.form.hidden = true;
    this.view.hidden = false;
  }

  private async save(): Promise<void> {
    if (this.busy) return;
    const value = this.input.value.trim();
    if (!value) {
      this.showError('There’s nothing here to save. Write what Mend should remember, or cancel and choose Forget.', true);
      this.input.focus();
      return;
    }
    if (value === this.fact.value) return this.cancel(); // nothing changed: nothing to send
    this.setBusy(true, 'Saving…');
    this.clearError();
    try {
      await this.actions.save(this.fact.key, value);
      // She may have kept typing while it saved: then the field stays open with her newer text.
      if (this.input.value.trim() === value) {
        keepEdit(this.conversationId, this.fact.key, null);
        this.showView();
        this.editButton.focus();
      }
    } catch (error) {
      // The field keeps her text, and so does the page (memoryEditsKey), until a save succeeds.
      keepEdit(this.conversationId, this.fact.key, this.input.value);
      this.showError(`Your correction wasn’t saved. ${messageOf(error)} It’s still here; try Save again in a moment.`,
        error instanceof ApiError && error.status === 400);
      this.input.focus();
    } finally {
      this.setBusy(false);
    }
  }

  private async forget(): Promise<void> {
    if (this.busy) return;
    this.setBusy(true);
    this.clearError();
    try {
      await this.actions.forget(this);
    } catch (error) {
      this.showError(`Mend couldn’t forget this just now. ${messageOf(error)}`);
      this.forgetButton.focus();
    } finally {
      this.setBusy(false);
    }
  }

  private setBusy(busy: boolean, saving?: string): void {
    this.busy = busy;
    this.saveText.textContent = saving ?? 'Save';
    // aria-disabled, not disabled: a disabled button would drop her focus out of the dialog.
    for (const b of [this.editButton, this.forgetButton, this.saveButton, this.cancelButton]) {
      if (busy) b.setAttribute('aria-disabled', 'true');
      else b.removeAttribute('aria-disabled');
    }
  }

  private showError(message: string, aboutText = false): void {
    this.error.textContent = message;
    this.error.hidden = false;
    if (aboutText) {
      this.input.setAttribute('aria-invalid', 'true');
      this.input.setAttribute('aria-errormessage', this.error.id);
    }
  }

  private clearError(): void {
    this.error.hidden = true;
    this.error.textContent = '';
    this.input.removeAttribute('aria-invalid');
    this.input.removeAttribute('aria-errormessage');
  }
}
