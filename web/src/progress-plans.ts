import { h, icon } from './dom.js';
import type { Plan } from './progress-api.js';

export interface PlanActions {
  practise(plan: Plan): void;
  checkIn(plan: Plan): void;
  change(plan: Plan, change: { script: string; when: number; where: string }): Promise<boolean>;
  remind(plan: Plan, on: boolean, box: HTMLInputElement): void;
  remove(plan: Plan): void;
}

const OUTCOME_WORDS: Record<string, string> = {
  better: 'Better than expected', same: 'About the same', badly: 'It went badly', 'not-yet': 'You didn’t get to it yet',
};

export function planTime(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

/** `datetime-local` wants her local wall time, without a zone. */
function localInputValue(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

/** One plan: the words, when and where, how it went, and what she can do with it. */
export function planItem(plan: Plan, actions: PlanActions, now = Date.now()): HTMLLIElement {
  const id = `plan-${plan.id}`;
  const view = h('div', { class: 'plan-view' },
    plan.script ? h('blockquote', { class: 'plan-script' }, `“${plan.script}”`) : h('p', { class: 'plan-script muted' }, 'No words saved yet: add the line you want to say.'),
    h('p', { class: 'plan-meta' }, h('time', { datetime: new Date(plan.when).toISOString() }, planTime(plan.when)), plan.where ? ` · ${plan.where}` : ''),
    plan.outcome ? h('p', { class: 'plan-outcome' }, h('strong', {}, 'How it went: '), OUTCOME_WORDS[plan.outcome] ?? plan.outcome) : null,
    plan.worked ? h('p', { class: 'plan-worked' }, h('strong', {}, 'What worked: '), plan.worked) : null,
  );
  const practise = h('button', { type: 'button', class: 'button button-small button-primary' }, 'Practise it');
  practise.addEventListener('click', () => actions.practise(plan));
  const buttons: HTMLElement[] = [practise];
  if (plan.when <= now && !plan.outcome) {
    const ask = h('button', { type: 'button', class: 'button button-small button-secondary' }, 'How did it go?');
    ask.addEventListener('click', () => actions.checkIn(plan));
    buttons.push(ask);
  }
  const edit = h('button', { type: 'button', class: 'button button-small button-quiet', 'aria-expanded': 'false', 'aria-controls': `${id}-edit` }, 'Change');
  const remove = h('button', { type: 'button', class: 'icon-button', 'aria-label': 'Delete this plan', title: 'Delete this plan' }, icon('trash'));
  remove.addEventListener('click', () => actions.remove(plan));
  buttons.push(edit, remove);

  const remindBox = h('input', { type: 'checkbox', id: `${id}-remind`, checked: plan.remind, disabled: !('Notification' in window) });
  remindBox.addEventListener('change', () => actions.remind(plan, remindBox.checked, remindBox));
  const remind = plan.when > now && !plan.outcome
    ? h('div', { class: 'checkbox plan-remind' }, remindBox, h('label', { for: `${id}-remind` }, 'Remind me on this device at that time'))
    : null;

  const form = editForm(plan, id, actions, () => toggle(false));
  const toggle = (open: boolean) => {
    form.hidden = !open;
    edit.setAttribute('aria-expanded', String(open));
    if (open) form.querySelector<HTMLElement>('textarea')?.focus();
    else edit.focus();
  };
  edit.addEventListener('click', () => toggle(form.hidden === true));
  return h('li', { class: 'plan', id }, view, h('div', { class: 'plan-actions' }, ...buttons), remind, form);
}

function editForm(plan: Plan, id: string, actions: PlanActions, done: () => void): HTMLFormElement {
  const script = h('textarea', { id: `${id}-script`, class: 'input', rows: 3, maxlength: 400 });
  script.value = plan.script;
  const when = h('input', { id: `${id}-when`, class: 'input', type: 'datetime-local', required: true, value: localInputValue(plan.when) });
  const where = h('input', { id: `${id}-where`, class: 'input', type: 'text', maxlength: 80, value: plan.where, placeholder: 'In the car, on a walk…' });
  const error = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const cancel = h('button', { type: 'button', class: 'button button-small button-secondary' }, 'Cancel');
  cancel.addEventListener('click', done);
  const form = h('form', { id: `${id}-edit`, class: 'plan-edit', hidden: true, novalidate: true },
    h('div', { class: 'field' }, h('label', { for: `${id}-script` }, 'What you’ll say'), script),
    h('div', { class: 'field' }, h('label', { for: `${id}-when` }, 'When'), when),
    h('div', { class: 'field' }, h('label', { for: `${id}-where` }, 'Where'), where),
    error,
    h('div', { class: 'plan-actions' }, h('button', { type: 'submit', class: 'button button-small button-primary' }, 'Save changes'), cancel));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const at = new Date(when.value).getTime();
    if (!when.value || Number.isNaN(at)) {
      error.textContent = 'Pick a day and a time.';
      error.hidden = false;
      when.focus();
      return;
    }
    void actions.change(plan, { script: script.value.trim(), when: at, where: where.value.trim() }).then((ok) => { if (ok) done(); });
  });
  return form;
}
