import { h } from './dom.js';

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
