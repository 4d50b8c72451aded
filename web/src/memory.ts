import { api, messageOf } from './api.js';
import { panelDialog, type PanelDialog } from './dialogs.js';
import { h } from './dom.js';
import { FactRow, lower } from './memory-fact.js';
import type { ConversationMemory, MemoryFact } from './types.js';

export { memoryEditsKey } from './memory-fact.js';

const EMPTY_TEXT = 'Mend hasn’t noted anything yet. As you talk, it keeps short notes like his name and age so it doesn’t ask twice.';

/** Whose notes these are: the open conversation. */
export interface MemoryTarget {
  conversationId: string;
  /** She asked Mend not to keep it: the notes go when Mend restarts, like the rest of it. */
  private: boolean;
}

/**
 * "What Mend remembers": the facts Mend holds about her situation in this conversation, each
 * of which she can correct or make it forget. The server's copy is read whenever the panel
 * opens and after each reply while it is open; corrections apply from Mend's next reply.
 */
class MemoryPanel {
  private readonly panel: PanelDialog;
  private readonly title: HTMLElement;
  private readonly keeping: HTMLElement;
  private readonly status: HTMLElement;
  private readonly undoButton: HTMLButtonElement;
  private readonly loadError: HTMLElement;
  private readonly retry: HTMLButtonElement;
  private readonly loading: HTMLElement;
  private readonly empty: HTMLElement;
  private readonly list: HTMLUListElement;
  private readonly summary: HTMLDetailsElement;
  private readonly summaryText: HTMLElement;

  private target: MemoryTarget | null = null;
  private readonly rows = new Map<string, FactRow>();
  private loaded = false;
  private loadToken = 0;
  /** Counts corrections and forgets: a read sent before one of them answers with an older copy. */
  private changes = 0;
  /** The fact she just made Mend forget, until Undo or her next step. */
  private forgotten: MemoryFact | null = null;

  constructor() {
    this.title = h('h2', { id: 'memory-title', tabindex: '-1' }, 'What Mend remembers');
    this.panel = panelDialog({
      id: 'memory-dialog', className: 'memory-dialog', labelledBy: 'memory-title', describedBy: 'memory-intro',
      closeLabel: 'Close what Mend remembers',
      head: h('div', {}, this.title),
      onClose: () => this.onClose(),
    });

    this.keeping = h('p', { class: 'memory-keeping' });
    this.status = h('p', { class: 'memory-status', role: 'status' });
    this.undoButton = h('button', { type: 'button', class: 'button button-secondary button-small', hidden: true }, 'Undo');
    this.undoButton.addEventListener('click', () => void this.undoForget());
    this.loadError = h('p', { class: 'field-error memory-load-error', role: 'alert', hidden: true });
    this.retry = h('button', { type: 'button', class: 'button button-secondary button-small', hidden: true }, 'Try again');
    this.retry.addEventListener('click', () => void this.load(!this.loaded));
    this.loading = h('p', { class: 'memory-empty' }, 'Loading what Mend remembers…');
    this.empty = h('p', { class: 'memory-empty', hidden: true }, EMPTY_TEXT);
    this.list = h('ul', { class: 'memory-list', 'aria-label': 'Mend’s notes' });
    this.summaryText = h('p', { class: 'memory-summary-text' });
    this.summary = h('details', { class: 'memory-summary', hidden: true },
      h('summary', {}, 'Mend’s summary of earlier messages'),
      h('p', { class: 'field-hint' }, 'Mend writes this itself so a long conversation stays short. Correcting or forgetting a note above changes it here too.'),
      this.summaryText);

    // The intro scrolls away with the notes; only the title and close button stay at the top.
    this.panel.dialog.append(h('div', { class: 'dialog-body' },
      h('p', { class: 'memory-intro', id: 'memory-intro' },
        'Short notes Mend keeps from this conversation so it doesn’t ask twice. Correct anything that isn’t right, or make Mend forget it.'),
      h('div', { class: 'memory-notice' }, this.status, this.undoButton),
      this.loadError, this.retry, this.loading, this.empty, this.list, this.summary, this.keeping));
  }

  open(target: MemoryTarget, from: HTMLElement | null): void {
    if (target.conversationId !== this.target?.conversationId) this.reset();
    this.target = target;
    this.keeping.textContent = target.private
      ? 'Mend isn’t saving this conversation, so these notes go when Mend restarts.'
      : 'These notes belong to this conversation only. Deleting the conversation deletes them too.';
    this.panel.show(from);
    this.title.focus();
    void this.load(!this.loaded);
  }

  close(): void {
    this.panel.close();
  }

  /** A reply has finished in `conversationId`: Mend may have noted something new from her message. */
  refresh(conversationId: string): void {
    if (this.panel.dialog.open && this.target?.conversationId === conversationId) void this.load(false, true);
  }

  private reset(): void {
    for (const row of this.rows.values()) row.element.remove();
    this.rows.clear();
    this.loaded = false;
    this.forgotten = null;
    this.showStatus('');
    this.summary.hidden = true;
    this.summary.open = false;
  }

  /** Reads the server's copy. `quiet`: a refresh while she is looking, so no loading state and no error over what she sees. */
  private async load(firstTime: boolean, quiet = false): Promise<void> {
    const target = this.target;
    if (!target) return;
    const token = ++this.loadToken;
    const changes = this.changes;
    if (!quiet) this.clearLoadError();
    if (firstTime) {
      this.loading.hidden = false;
      this.empty.hidden = true;
      this.panel.dialog.setAttribute('aria-busy', 'true');
    }
    try {
      const memory = await api.memory(target.conversationId);
      if (token !== this.loadToken || target !== this.target || changes !== this.changes) return;
      this.show(memory);
    } catch (error) {
      if (token !== this.loadToken || target !== this.target) return;
      if (!quiet || !this.loaded) this.showLoadError(`What Mend remembers can’t be loaded right now. ${messageOf(error)}`);
    } finally {
      if (token === this.loadToken) {
        this.loading.hidden = true;
        this.panel.dialog.removeAttribute('aria-busy');
        this.updateEmpty();
      }
    }
  }

  /**
   * Shows the server's copy. Rows are kept and updated rather than rebuilt, so a row she is
   * correcting keeps her text, her caret and her focus while the rest catch up.
   */
  private show(memory: ConversationMemory): void {
    const target = this.target!;
    this.loaded = true;
    this.clearLoadError();
    const present = new Set(memory.facts.map((f) => f.key));
    let previous: HTMLElement | null = null;
    for (const fact of memory.facts) {
      let row = this.rows.get(fact.key);
      if (row) row.update(fact);
      else {
        row = new FactRow(fact, target.conversationId, { save: (key, value) => this.save(key, value), forget: (r) => this.forget(r) });
        this.rows.set(fact.key, row);
        if (previous) previous.after(row.element);
        else this.list.prepend(row.element);
      }
      previous = row.element;
    }
    for (const [key, row] of this.rows) {
      if (present.has(key) || row.editing) continue;
      row.element.remove();
      this.rows.delete(key);
    }
    this.summaryText.textContent = memory.summary ?? '';
    this.summary.hidden = !memory.summary;
    this.updateEmpty();
  }

  private async save(key: string, value: string): Promise<void> {
    const target = this.target!;
    this.changes += 1;
    this.clearUndo();
    const memory = await api.correctMemory(target.conversationId, [{ key, value }]);
    if (target !== this.target) return;
    this.show(memory);
    this.showStatus('Saved. Mend will use this from its next reply.');
  }

  private async forget(row: FactRow): Promise<void> {
    const target = this.target!;
    const fact = row.saved;
    this.changes += 1;
    await api.forgetFact(target.conversationId, row.key);
    if (target !== this.target) return;
    // Focus goes to the next note (or the one before), never back to the top of the page.
    const rows = [...this.rows.values()];
    const at = rows.indexOf(row);
    const next = rows[at + 1] ?? rows[at - 1];
    row.element.remove();
    this.rows.delete(row.key);
    this.updateEmpty();
    this.forgotten = fact;
    this.undoButton.hidden = false;
    this.showStatus(`Mend has forgotten ${lower(fact.label)}.`);
    if (next) next.focus();
    else this.undoButton.focus();
  }

  private async undoForget(): Promise<void> {
    const target = this.target;
    const fact = this.forgotten;
    if (!target || !fact) return;
    this.clearLoadError();
    this.changes += 1;
    try {
      const memory = await api.correctMemory(target.conversationId, [{ key: fact.key, value: fact.value }]);
      if (target !== this.target) return;
      this.clearUndo();
      this.show(memory);
      this.showStatus(`Mend remembers ${lower(fact.label)} again.`);
      this.rows.get(fact.key)?.focus();
    } catch (error) {
      if (target === this.target) this.showLoadError(`That couldn’t be undone just now. ${messageOf(error)}`, false);
    }
  }

  private updateEmpty(): void {
    this.list.hidden = this.rows.size === 0;
    this.empty.hidden = !this.loaded || this.rows.size > 0;
  }

  private showStatus(text: string): void {
    this.status.textContent = text;
  }

  private clearUndo(): void {
    this.forgotten = null;
    this.undoButton.hidden = true;
  }

  private showLoadError(message: string, canRetry = true): void {
    this.loadError.textContent = message;
    this.loadError.hidden = false;
    this.retry.hidden = !canRetry;
  }

  private clearLoadError(): void {
    this.loadError.hidden = true;
    this.loadError.textContent = '';
    this.retry.hidden = true;
  }

  private onClose(): void {
    this.loadToken += 1;
    this.clearUndo();
    this.showStatus('');
  }
}

let panel: MemoryPanel | null = null;

/** Opens "What Mend remembers" for a conversation (focus returns to `from` when it closes). */
export function openMemory(target: MemoryTarget, from?: HTMLElement | null): void {
  panel ??= new MemoryPanel();
  panel.open(target, from ?? (document.activeElement instanceof HTMLElement ? document.activeElement : null));
}

/** A reply finished: if the panel is open on that conversation, it reads what Mend noted. */
export function refreshMemory(conversationId: string): void {
  panel?.refresh(conversationId);
}

/** The conversation is going away (she switched or deleted it): so does its panel. */
export function closeMemory(): void {
  panel?.close();
}
