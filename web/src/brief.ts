import { announce } from './announcer.js';
import { api, ApiError, briefDownloadUrl, messageOf } from './api.js';
import { printBrief, stopPrintingBrief } from './brief-print.js';
import { BriefPreview } from './brief-preview.js';
import { confirmDialog } from './dialogs.js';
import { h, icon, iconButton } from './dom.js';
import { readString, remove, writeString } from './storage.js';
import type { CounsellorBrief } from './types.js';

/** The server's limit (PUT /api/conversations/:id/brief answers 400 beyond it). */
const BRIEF_MAX_CHARS = 20_000;
/** The server names the download the same (content-disposition). */
const BRIEF_FILENAME = 'mend-counsellor-brief.md';
const CONSENT_NOTE = 'Mend will put together a summary from what you’ve written here. It stays on this computer.';

/** Her unsaved changes, kept on the page so closing the dialog or a failed save never loses them. */
export const briefEditKey = (conversationId: string) => `brief-edit.${conversationId}`;

type View = 'loading' | 'none' | 'brief' | 'unreachable';

/** What the brief is about: the open conversation. */
export interface BriefTarget {
  conversationId: string;
  title: string;
}

/** Same text for saving purposes: the server trims what she sends and ends it with one newline. */
const sameText = (a: string, b: string) => a.trim() === b.trim();

function longDate(ms: number): string {
  return new Date(ms).toLocaleDateString(undefined, { day: 'numeric', month: 'long', year: 'numeric' });
}

/**
 * The counsellor brief dialog: draft it (only when she asks: that is her consent), change it,
 * save, download, print or delete it. Her text in the box is hers: nothing here ever replaces
 * it with the server's copy once she has started changing it.
 */
class BriefDialog {
  private readonly dialog: HTMLDialogElement;
  private readonly subtitle: HTMLElement;
  private readonly title: HTMLElement;
  private readonly status: HTMLElement;
  private readonly consent: HTMLElement;
  private readonly draftButton: HTMLButtonElement;
  private readonly editor: HTMLElement;
  private readonly text: HTMLTextAreaElement;
  private readonly count: HTMLElement;
  private readonly error: HTMLElement;
  private readonly retry: HTMLButtonElement;
  private readonly actions: HTMLElement;
  private readonly saveButton: HTMLButtonElement;
  private readonly download: HTMLAnchorElement;
  private readonly printButton: HTMLButtonElement;
  private readonly deleteButton: HTMLButtonElement;
  private readonly preview: BriefPreview;

  private target: BriefTarget | null = null;
  private opener: HTMLElement | null = null;
  /** The server's copy, null when there is none. */
  private saved: CounsellorBrief | null = null;
  private view: View = 'loading';
  private busy = false;
  private loadToken = 0;
  private editTimer: number | undefined;
  /** Set while a click on Download is let through after saving first. */
  private downloadReady = false;

  constructor() {
    const d = h('dialog', { id: 'brief-dialog', class: 'dialog brief-dialog', 'aria-labelledby': 'brief-title', 'aria-describedby': 'brief-subtitle' });
    this.dialog = d;
    const close = iconButton('close', 'Close counsellor brief', { class: 'dialog-close' });
    close.addEventListener('click', () => d.close());
    this.title = h('h2', { id: 'brief-title', tabindex: '-1' }, 'Counsellor brief');
    this.subtitle = h('p', { class: 'brief-subtitle muted', id: 'brief-subtitle' });
    this.status = h('p', { class: 'brief-status', id: 'brief-status' });

    this.draftButton = h('button', { type: 'button', class: 'button button-primary' }, 'Draft my brief');
    this.draftButton.addEventListener('click', () => void this.draft());
    this.consent = h('div', { class: 'brief-consent' },
      h('p', {}, 'A one-page summary to bring to a first appointment: what has been happening, how long, what you’ve tried, what worries you most and what you hope for. You can change anything before you download or print it.'),
      h('p', { class: 'brief-consent-note', id: 'brief-consent-note' }, CONSENT_NOTE),
      this.draftButton);
    this.draftButton.setAttribute('aria-describedby', 'brief-consent-note');

    this.text = h('textarea', { id: 'brief-text', class: 'input brief-text', rows: 16, spellcheck: 'true', 'aria-describedby': 'brief-hint brief-status' });
    this.text.addEventListener('input', () => this.onEdit());
    this.count = h('p', { class: 'field-hint brief-count', id: 'brief-count', hidden: true });
    this.editor = h('div', { class: 'field brief-editor' },
      h('label', { for: 'brief-text', class: 'visually-hidden' }, 'Counsellor brief'),
      this.text,
      h('p', { class: 'field-hint', id: 'brief-hint' }, 'Change anything you like. Lines that start with ## are headings, lines that start with - are a list.'),
      this.count);

    this.preview = new BriefPreview(this.editor, (editing) => { if (editing) this.text.focus(); });

    this.error = h('p', { class: 'field-error brief-error', id: 'brief-error', role: 'alert', hidden: true });
    this.retry = h('button', { type: 'button', class: 'button button-secondary button-small', hidden: true }, 'Try again');
    this.retry.addEventListener('click', () => void this.load());

    this.saveButton = h('button', { type: 'button', class: 'button button-secondary' }, 'Save');
    this.saveButton.addEventListener('click', () => void this.save());
    this.download = h('a', { class: 'button button-secondary', download: BRIEF_FILENAME });
    this.download.append(icon('download'), h('span', {}, 'Download'), h('span', { class: 'visually-hidden' }, ' (Markdown file)'));
    this.download.addEventListener('click', (event) => this.onDownload(event));
    // The main action: the print dialog also saves it as a PDF.
    this.printButton = h('button', { type: 'button', class: 'button button-primary' }, icon('print'), h('span', {}, 'Print or save as PDF'));
    this.printButton.addEventListener('click', () => this.print());
    this.deleteButton = h('button', { type: 'button', class: 'button button-quiet brief-delete' }, icon('trash'), h('span', {}, 'Delete'));
    this.deleteButton.addEventListener('click', () => void this.deleteBrief());
    this.actions = h('div', { class: 'dialog-actions brief-actions' }, this.deleteButton, this.preview.toggle, this.download, this.saveButton, this.printButton);

    d.append(
      h('div', { class: 'dialog-head' }, h('div', {}, this.title, this.subtitle), close),
      h('div', { class: 'dialog-body' }, this.status, this.consent, this.preview.el, this.error, this.retry),
      this.actions,
    );
    d.addEventListener('close', () => this.onClose());
    d.addEventListener('click', (event) => {
      if (event.target === d) d.close();
    });
    document.body.appendChild(d);
  }

  async open(target: BriefTarget, from: HTMLElement | null): Promise<void> {
    this.target = target;
    this.opener = from;
    this.saved = null;
    this.subtitle.textContent = `From “${target.title || 'Untitled conversation'}”`;
    this.download.href = briefDownloadUrl(target.conversationId);
    this.text.value = '';
    this.preview.setEditing(false);
    this.setBusy(null); // whatever was still on its way for the last conversation no longer counts
    this.render('loading');
    if (!this.dialog.open) this.dialog.showModal();
    this.title.focus();
    await this.load();
  }

  close(): void { if (this.dialog.open) this.dialog.close(); }

  private async load(): Promise<void> {
    const target = this.target;
    if (!target) return;
    const token = ++this.loadToken;
    this.clearError();
    this.render('loading');
    const local = readString(briefEditKey(target.conversationId));
    try {
      const brief = await api.brief(target.conversationId);
      if (token !== this.loadToken) return;
      this.saved = brief;
      // Changes she hasn't saved open where she left them: in the editor.
      if (local !== null && (!brief || !sameText(local, brief.markdown))) this.showText(local, true);
      else if (brief) this.showText(brief.markdown);
      else this.render('none');
    } catch (error) {
      if (token !== this.loadToken) return;
      if (local !== null) this.showText(local, true); // her unsaved changes are still here; Save tries again
      else this.render('unreachable');
      this.showError(`Your brief can’t be loaded right now. ${messageOf(error)}`);
    }
  }

  private async draft(): Promise<void> {
    const target = this.target;
    if (!target || this.busy) return;
    this.setBusy('drafting');
    this.clearError();
    try {
      const brief = await api.draftBrief(target.conversationId);
      if (target !== this.target) return;
      this.saved = brief;
      remove(briefEditKey(target.conversationId));
      this.showText(brief.markdown);
      announce('Your counsellor brief is drafted. Read it through; Edit changes anything you like.');
      this.preview.focusPage();
    } catch (error) {
      if (target === this.target) this.showError(`Mend couldn’t draft your brief. ${messageOf(error)}`);
    } finally {
      if (target === this.target) this.setBusy(null);
    }
  }

  /** Saves what is in the box. Returns true when the server has it. */
  private async save(): Promise<boolean> {
    const target = this.target;
    if (!target || this.busy) return false;
    const markdown = this.text.value;
    const problem = !markdown.trim()
      ? 'Your brief is empty. Write something to save, or use Delete to remove it.'
      : markdown.trim().length > BRIEF_MAX_CHARS
        ? `Your brief is ${markdown.trim().length.toLocaleString()} characters long; it can hold up to ${BRIEF_MAX_CHARS.toLocaleString()}. Shorten it a little, then save.`
        : null;
    if (problem) {
      this.showError(problem, true);
      if (!this.preview.isEditing) this.preview.setEditing(true);
      this.text.focus();
      return false;
    }
    this.setBusy('saving');
    this.clearError();
    try {
      const brief = await api.saveBrief(target.conversationId, markdown);
      if (target !== this.target) return true;
      this.saved = brief;
      // She may have kept typing while it saved: what is in the box stays as it is.
      if (sameText(this.text.value, brief.markdown)) remove(briefEditKey(target.conversationId));
      this.render('brief');
      announce('Your counsellor brief is saved.');
      return true;
    } catch (error) {
      if (target !== this.target) return false;
      // The box keeps her text, and so does the page (briefEditKey), until a save succeeds.
      this.keepEdit();
      this.showError(`Your changes weren’t saved. ${messageOf(error)} They’re still here; try Save again in a moment.`,
        error instanceof ApiError && error.status === 400);
      return false;
    } finally {
      if (target === this.target) this.setBusy(null);
    }
  }

  /** Download is the saved copy: unsaved changes are saved first, so the file is what she sees. */
  private onDownload(event: MouseEvent): void {
    if (this.downloadReady) {
      this.downloadReady = false;
      return;
    }
    if (!this.dirty && !this.busy) return;
    event.preventDefault();
    if (this.busy) return;
    void this.save().then((ok) => {
      if (!ok) return;
      this.downloadReady = true;
      this.download.click();
    });
  }

  private print(): void {
    if (this.busy) return;
    if (!this.text.value.trim()) {
      this.showError('There is nothing to print yet.');
      return;
    }
    this.clearError();
    printBrief(this.text.value);
  }

  private async deleteBrief(): Promise<void> {
    const target = this.target;
    if (!target || this.busy) return;
    const ok = await confirmDialog({
      title: 'Delete your counsellor brief?',
      body: 'The brief will be deleted from Mend. The conversation stays as it is, and you can draft a new brief from it at any time. This can’t be undone.',
      confirm: 'Delete brief', danger: true,
    });
    if (!ok || target !== this.target) return;
    this.setBusy('deleting');
    this.clearError();
    try {
      if (this.saved) await api.deleteBrief(target.conversationId);
      if (target !== this.target) return;
      this.saved = null;
      remove(briefEditKey(target.conversationId));
      this.text.value = '';
      this.render('none');
      announce('Your counsellor brief is deleted.');
      this.title.focus();
    } catch (error) {
      if (target === this.target) this.showError(`Your brief wasn’t deleted. ${messageOf(error)}`);
    } finally {
      if (target === this.target) this.setBusy(null);
    }
  }

  private get dirty(): boolean {
    return this.view === 'brief' && (!this.saved || !sameText(this.text.value, this.saved.markdown));
  }

  private showText(markdown: string, editing = false): void {
    this.text.value = markdown;
    this.preview.show(markdown);
    if (editing) this.preview.setEditing(true);
    this.render('brief');
  }

  private onEdit(): void {
    this.preview.show(this.text.value);
    this.updateStatus();
    this.updateCount();
    window.clearTimeout(this.editTimer);
    this.editTimer = window.setTimeout(() => this.keepEdit(), 300);
  }

  /** Keeps unsaved changes on this page (in memory only for a conversation she isn't keeping). */
  private keepEdit(): void {
    window.clearTimeout(this.editTimer);
    if (!this.target || this.view !== 'brief') return;
    const key = briefEditKey(this.target.conversationId);
    if (this.dirty) writeString(key, this.text.value);
    else remove(key);
  }

  private render(view: View): void {
    this.view = view;
    this.consent.hidden = view !== 'none';
    this.preview.el.hidden = view !== 'brief';
    this.actions.hidden = view !== 'brief';
    this.retry.hidden = view !== 'unreachable';
    this.download.hidden = !this.saved;
    this.deleteButton.hidden = !this.saved && !this.text.value;
    if (view === 'loading') this.dialog.setAttribute('aria-busy', 'true');
    else this.dialog.removeAttribute('aria-busy');
    this.updateStatus();
    this.updateCount();
  }

  private updateStatus(): void {
    const s = this.saved;
    let text = '';
    if (this.view === 'loading') text = 'Loading your brief…';
    else if (this.view === 'none') text = 'You haven’t drafted a brief in this conversation yet.';
    else if (this.view === 'brief') {
      text = this.dirty
        ? 'You have changes that aren’t saved yet.'
        : s?.edited ? `Saved. Last changed ${longDate(s.updatedAt)}.` : s ? `Drafted by Mend on ${longDate(s.createdAt)}. Read it through and change anything that isn’t right.` : '';
    }
    this.status.textContent = text;
    this.status.classList.toggle('brief-status-unsaved', this.view === 'brief' && this.dirty);
  }

  private updateCount(): void {
    const n = this.text.value.length;
    const near = this.view === 'brief' && n > BRIEF_MAX_CHARS * 0.9;
    this.count.hidden = !near;
    this.count.textContent = near ? `${n.toLocaleString()} / ${BRIEF_MAX_CHARS.toLocaleString()} characters` : '';
  }

  private setBusy(doing: 'drafting' | 'saving' | 'deleting' | null): void {
    this.busy = doing !== null;
    if (this.busy) this.dialog.setAttribute('aria-busy', 'true');
    else if (this.view !== 'loading') this.dialog.removeAttribute('aria-busy');
    // aria-disabled, not disabled: a disabled button would drop her focus out of the dialog.
    for (const b of [this.draftButton, this.saveButton, this.printButton, this.deleteButton]) {
      if (this.busy) b.setAttribute('aria-disabled', 'true');
      else b.removeAttribute('aria-disabled');
    }
    this.draftButton.textContent = doing === 'drafting' ? 'Drafting…' : 'Draft my brief';
    this.saveButton.textContent = doing === 'saving' ? 'Saving…' : 'Save';
  }

  private showError(message: string, aboutText = false): void {
    this.error.textContent = message;
    this.error.hidden = false;
    if (aboutText) {
      this.text.setAttribute('aria-invalid', 'true');
      this.text.setAttribute('aria-errormessage', 'brief-error');
    }
  }

  private clearError(): void {
    this.error.hidden = true;
    this.error.textContent = '';
    this.text.removeAttribute('aria-invalid');
    this.text.removeAttribute('aria-errormessage');
  }

  private onClose(): void {
    this.keepEdit();
    this.loadToken += 1;
    stopPrintingBrief();
    if (this.opener?.isConnected) this.opener.focus();
    this.opener = null;
    this.target = null;
  }
}

let dialog: BriefDialog | null = null;

/** Opens the counsellor brief for a conversation (focus returns to `from` when it closes). */
export function openBrief(target: BriefTarget, from?: HTMLElement | null): void {
  dialog ??= new BriefDialog();
  void dialog.open(target, from ?? (document.activeElement instanceof HTMLElement ? document.activeElement : null));
}

/** The conversation is going away (she switched or deleted it): so does its brief. */
export function closeBrief(): void {
  dialog?.close();
}

/** A Find help reply that offers the brief or says it is ready gets a way to open it. */
export function briefButton(open: (from: HTMLElement) => void): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'button button-secondary button-small brief-open', 'aria-haspopup': 'dialog' },
    icon('document'), h('span', {}, 'Open your counsellor brief'));
  button.addEventListener('click', () => open(button));
  return button;
}
