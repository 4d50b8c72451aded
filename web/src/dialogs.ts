import { h, iconButton } from './dom.js';

/** Small modal dialogs (native <dialog>: focus is trapped, Escape cancels, focus returns). */
function modal(labelId: string, build: (d: HTMLDialogElement, done: (value: string | null) => void) => HTMLElement[]): Promise<string | null> {
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  return new Promise((resolve) => {
    const d = h('dialog', { class: 'dialog dialog-small', 'aria-labelledby': labelId });
    let result: string | null = null;
    const done = (value: string | null) => {
      result = value;
      d.close();
    };
    d.append(...build(d, done));
    d.addEventListener('close', () => {
      d.remove();
      if (opener?.isConnected) opener.focus();
      resolve(result);
    });
    document.body.appendChild(d);
    d.showModal();
  });
}

let seq = 0;

export async function confirmDialog(options: { title: string; body: string; confirm: string; danger?: boolean }): Promise<boolean> {
  const id = `confirm-title-${++seq}`;
  const value = await modal(id, (_d, done) => {
    const cancel = h('button', { type: 'button', class: 'button button-secondary' }, 'Cancel');
    const ok = h('button', { type: 'button', class: `button ${options.danger ? 'button-danger' : 'button-primary'}` }, options.confirm);
    cancel.addEventListener('click', () => done(null));
    ok.addEventListener('click', () => done('ok'));
    queueMicrotask(() => cancel.focus());
    return [
      h('div', { class: 'dialog-head' }, h('h2', { id }, options.title)),
      h('div', { class: 'dialog-body' }, h('p', {}, options.body)),
      h('div', { class: 'dialog-actions' }, cancel, ok),
    ];
  });
  return value === 'ok';
}

export async function promptDialog(options: { title: string; label: string; value: string; confirm: string; maxLength?: number }): Promise<string | null> {
  const id = `prompt-title-${++seq}`;
  return modal(id, (_d, done) => {
    const inputId = `${id}-input`;
    const input = h('input', { id: inputId, class: 'input', type: 'text', maxlength: options.maxLength ?? 120, autocomplete: 'off' });
    input.value = options.value;
    const form = h('form', { method: 'dialog', class: 'dialog-form' });
    const cancel = h('button', { type: 'button', class: 'button button-secondary' }, 'Cancel');
    const ok = h('button', { type: 'submit', class: 'button button-primary' }, options.confirm);
    cancel.addEventListener('click', () => done(null));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const value = input.value.trim();
      if (value) done(value);
      else input.focus();
    });
    form.append(
      h('div', { class: 'dialog-head' }, h('h2', { id }, options.title)),
      h('div', { class: 'dialog-body' }, h('div', { class: 'field' }, h('label', { for: inputId }, options.label), input)),
      h('div', { class: 'dialog-actions' }, cancel, ok),
    );
    queueMicrotask(() => { input.focus(); input.select(); });
    return [form];
  });
}

/** A dialog built once and opened again and again (step card, what Mend remembers). */
export interface PanelDialog {
  dialog: HTMLDialogElement;
  /** Opens it as a modal; focus goes back to `from` when it closes. */
  show: (from: HTMLElement | null) => void;
  close: () => void;
}

/**
 * A panel dialog: a head (the caller's title block and a close button), then whatever the
 * caller appends. Escape, the close button and a click on the backdrop close it; focus returns
 * to the control that opened it, so she is never left at the top of the page.
 */
export function panelDialog(options: {
  id: string; className: string; labelledBy: string; describedBy?: string; closeLabel: string;
  head: HTMLElement; onClose?: () => void;
}): PanelDialog {
  const d = h('dialog', { id: options.id, class: `dialog ${options.className}`, 'aria-labelledby': options.labelledBy, 'aria-describedby': options.describedBy });
  const close = iconButton('close', options.closeLabel, { class: 'dialog-close' });
  close.addEventListener('click', () => d.close());
  d.append(h('div', { class: 'dialog-head' }, options.head, close));
  let opener: HTMLElement | null = null;
  d.addEventListener('close', () => {
    options.onClose?.();
    if (opener?.isConnected) opener.focus();
    opener = null;
  });
  d.addEventListener('click', (event) => {
    if (event.target === d) d.close();
  });
  document.body.appendChild(d);
  return {
    dialog: d,
    show: (from) => {
      opener = from;
      if (!d.open) d.showModal();
    },
    close: () => {
      if (d.open) d.close();
    },
  };
}
