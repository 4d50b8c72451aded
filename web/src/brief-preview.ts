import { h, icon } from './dom.js';
import { setMarkdown } from './markdown.js';

/**
 * The brief as it will print: rendered, not Markdown. "Edit" opens the text beside it, and the
 * preview follows every change she makes, so she never has to read the raw text to check it.
 */
export class BriefPreview {
  readonly el: HTMLElement;
  readonly toggle: HTMLButtonElement;
  private readonly page: HTMLElement;
  private editing = false;

  constructor(private readonly editor: HTMLElement, private readonly changed: (editing: boolean) => void) {
    this.page = h('article', { id: 'brief-preview', class: 'brief-preview md', tabindex: '0', 'aria-label': 'Your brief, as it will print' });
    this.toggle = h('button', { type: 'button', class: 'button button-secondary button-small brief-edit-toggle', 'aria-pressed': 'false', 'aria-controls': 'brief-text' },
      icon('pencil'), h('span', {}, 'Edit'));
    this.toggle.addEventListener('click', () => this.setEditing(!this.editing));
    this.el = h('div', { class: 'brief-panes' }, this.page, editor);
    this.setEditing(false);
  }

  get isEditing(): boolean {
    return this.editing;
  }

  show(markdown: string): void {
    setMarkdown(this.page, markdown.trim() ? markdown : '*Nothing here yet.*');
  }

  setEditing(on: boolean): void {
    this.editing = on;
    this.toggle.setAttribute('aria-pressed', String(on));
    this.el.classList.toggle('editing', on);
    this.editor.hidden = !on;
    this.changed(on);
  }

  focusPage(): void {
    this.page.focus();
  }
}
