import type { ChatMode } from '../../src/protocol/index.js';
import { clear, h } from './dom.js';
import type { RehearsalOptions, Temperament } from './types.js';

/** send: the Send button's words in that mode, so she can see where her message goes. */
export const MODES: ReadonlyArray<{ id: ChatMode; label: string; hint: string; placeholder: string; send: string }> = [
  { id: 'coach', label: 'Coach', hint: 'Talk through what happened', placeholder: 'Tell Mend what happened…', send: 'Send' },
  { id: 'rehearse', label: 'Rehearse', hint: 'Practise what to say to him', placeholder: 'Say your first line to him…', send: 'Say it' },
  { id: 'draft', label: 'Draft check', hint: 'Check a message before you send it', placeholder: 'Paste the message you want to send him…', send: 'Check draft' },
  { id: 'referral', label: 'Find help', hint: 'Find a counsellor or support', placeholder: 'What kind of help are you looking for?', send: 'Find help' },
];

/** Modes for one message: once it is sent the composer goes back to Coach. */
export const ONE_OFF_MODES: ReadonlySet<ChatMode> = new Set(['draft', 'referral']);

const TEMPERAMENTS: ReadonlyArray<{ id: Temperament; label: string; hint: string }> = [
  { id: 'withdrawn', label: 'Withdrawn', hint: 'goes quiet, one-word answers' },
  { id: 'defensive', label: 'Defensive', hint: 'feels blamed and argues back' },
  { id: 'explosive', label: 'Explosive', hint: 'flares up fast, may storm off' },
  { id: 'sarcastic', label: 'Sarcastic', hint: 'deflects with jokes and eye-rolls' },
  { id: 'willing', label: 'Willing', hint: 'open to talking if it goes well' },
];

export interface ModeHandlers {
  select(mode: ChatMode): void;
  rehearsalAction(action: 'rehearsal.end' | 'rehearsal.rewind'): void;
  notesChanged(on: boolean): void;
  /** After the debrief: set up a new rehearsal. */
  startAnother(): void;
}

/** The mode switch (one click each) and the rehearsal controls. */
export class Modes {
  private current: ChatMode = 'coach';
  private readonly buttons = new Map<ChatMode, HTMLButtonElement>();

  constructor(private readonly bar: HTMLElement, private readonly rehearseBar: HTMLElement, private readonly handlers: ModeHandlers) {
    for (const m of MODES) {
      const button = h('button', { type: 'button', class: 'mode', 'aria-pressed': 'false', 'data-mode': m.id, title: m.hint }, m.label);
      button.addEventListener('click', () => this.handlers.select(m.id));
      this.buttons.set(m.id, button);
      bar.appendChild(button);
    }
    this.set('coach');
  }

  get mode(): ChatMode {
    return this.current;
  }

  set(mode: ChatMode): void {
    this.current = mode;
    for (const [id, button] of this.buttons) button.setAttribute('aria-pressed', String(id === mode));
  }

  /** Shows the rehearsal controls for a rehearsal in progress (or hides them), saying whose turn it is. */
  showRehearsal(options: RehearsalOptions | null, phase: RehearsalPhase): void {
    const focused = (document.activeElement as HTMLElement | null)?.dataset?.rehearsal;
    clear(this.rehearseBar);
    this.rehearseBar.hidden = !options;
    if (!options) return;
    this.rehearseBar.dataset.phase = phase;
    const temperament = TEMPERAMENTS.find((t) => t.id === options.temperament)?.label.toLowerCase() ?? options.temperament;
    const summary = h('p', { class: 'rehearse-summary', title: `${options.scene} · he’s ${options.age}, ${temperament}` },
      h('strong', {}, `${PHASE_TEXT[phase]} `), h('span', { class: 'rehearse-scene' }, options.scene),
      h('span', { class: 'muted rehearse-who' }, ` · he’s ${options.age}, ${temperament}`));
    const actions = h('div', { class: 'rehearse-actions' });
    if (phase === 'ended') {
      actions.appendChild(this.barButton('another', ['Start another', 'Start another'], 'Set up a new rehearsal', 'button-primary', () => this.handlers.startAnother()));
    } else {
      const started = phase !== 'setup';
      actions.append(
        this.barButton('notes', [`Coach notes: ${options.notes ? 'on' : 'off'}`, `Notes: ${options.notes ? 'on' : 'off'}`], 'Coach notes between his lines', 'button-quiet', () => this.handlers.notesChanged(!options.notes), { 'aria-pressed': String(options.notes) }),
        this.barButton('rewind', ['Try that line again', 'Try again'], 'Take your last line back and try it again', 'button-secondary', () => this.handlers.rehearsalAction('rehearsal.rewind'), { disabled: !started }),
        this.barButton('end', ['End rehearsal', 'End'], 'End the rehearsal and get feedback', 'button-secondary', () => this.handlers.rehearsalAction('rehearsal.end'), { disabled: !started }),
      );
    }
    this.rehearseBar.append(summary, actions);
    if (focused) this.rehearseBar.querySelector<HTMLElement>(`[data-rehearsal="${focused}"]`)?.focus();
  }

  setRehearsalEnabled(enabled: boolean): void {
    for (const b of this.rehearseBar.querySelectorAll<HTMLButtonElement>('.button-secondary')) b.disabled = !enabled;
  }

  /** [long, short] words: the short ones on a phone, where the bar is one line; the whole sentence as its tooltip. */
  private barButton(id: string, [long, short]: [string, string], title: string, kind: string, click: () => void, attrs: Record<string, string | boolean> = {}): HTMLButtonElement {
    const button = h('button', { type: 'button', class: `button button-small ${kind}`, title, 'data-rehearsal': id, ...attrs },
      h('span', { class: 'words-long' }, long), h('span', { class: 'words-short' }, short));
    button.addEventListener('click', click);
    return button;
  }
}

/** Where a rehearsal is: set up, her line due, his (or the coach note) being written, or over with its debrief. */
export type RehearsalPhase = 'setup' | 'her-turn' | 'his-turn' | 'ended';

const PHASE_TEXT: Record<RehearsalPhase, string> = {
  setup: 'Rehearsal ready. Say your first line:',
  'her-turn': 'Your turn:',
  'his-turn': 'His turn…',
  ended: 'Rehearsal ended. Feedback above:',
};

/** Asks for the scene, his age and temperament before the first line of a rehearsal. */
export function askRehearsal(previous?: RehearsalOptions): Promise<RehearsalOptions | null> {
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  return new Promise((resolve) => {
    let result: RehearsalOptions | null = null;
    const d = h('dialog', { class: 'dialog rehearse-dialog', 'aria-labelledby': 'rehearse-title' });
    const form = h('form', { method: 'dialog', class: 'dialog-form', novalidate: true });
    const scene = h('textarea', { id: 'rehearse-scene', class: 'input', rows: 3, required: true, maxlength: 500,
      'aria-describedby': 'rehearse-scene-hint', placeholder: 'For example: saying sorry for shouting at him about his phone last night' });
    scene.value = previous?.scene ?? '';
    const age = h('select', { id: 'rehearse-age', class: 'select' });
    for (let a = 13; a <= 19; a++) age.appendChild(h('option', { value: String(a) }, String(a)));
    age.value = String(previous?.age ?? 15);
    const temperaments = h('fieldset', { class: 'field temperaments' }, h('legend', {}, 'When things get tense, he tends to be…'));
    for (const t of TEMPERAMENTS) {
      const id = `temperament-${t.id}`;
      const radio = h('input', { type: 'radio', name: 'temperament', id, value: t.id, checked: (previous?.temperament ?? 'defensive') === t.id });
      temperaments.appendChild(h('div', { class: 'radio' }, radio, h('label', { for: id }, h('strong', {}, t.label), h('span', { class: 'muted' }, ` · ${t.hint}`))));
    }
    const notes = h('input', { type: 'checkbox', id: 'rehearse-notes', checked: previous?.notes ?? true });
    const error = h('p', { class: 'field-error', id: 'rehearse-error', role: 'alert', hidden: true });
    const cancel = h('button', { type: 'button', class: 'button button-secondary' }, 'Cancel');
    cancel.addEventListener('click', () => d.close());
    const start = h('button', { type: 'submit', class: 'button button-primary' }, 'Start rehearsal');
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const sceneText = scene.value.trim();
      if (!sceneText) {
        error.textContent = 'Please describe the conversation you want to practise.';
        error.hidden = false;
        scene.setAttribute('aria-invalid', 'true');
        scene.focus();
        return;
      }
      const checked = form.querySelector<HTMLInputElement>('input[name="temperament"]:checked');
      result = {
        scene: sceneText,
        age: Number(age.value),
        temperament: (checked?.value ?? 'defensive') as Temperament,
        notes: notes.checked,
      };
      // Settle now, not on the (asynchronous) close event, so the mode changes as the dialog goes.
      resolve(result);
      d.close();
    });
    form.append(
      h('div', { class: 'dialog-head' }, h('h2', { id: 'rehearse-title' }, 'Rehearse a conversation')),
      h('div', { class: 'dialog-body' },
        h('p', { class: 'muted' }, 'Mend plays your son so you can try out what to say, then gives you feedback. Nothing you practise here is sent to him.'),
        h('div', { class: 'field' }, h('label', { for: 'rehearse-scene' }, 'What do you want to practise?'), scene,
          h('p', { class: 'field-hint', id: 'rehearse-scene-hint' }, 'A sentence or two is enough.')),
        error,
        h('div', { class: 'field field-inline' }, h('label', { for: 'rehearse-age' }, 'His age'), age),
        temperaments,
        h('div', { class: 'checkbox' }, notes, h('label', { for: 'rehearse-notes' }, 'Show coach notes between his lines'))),
      h('div', { class: 'dialog-actions' }, cancel, start),
    );
    d.appendChild(form);
    d.addEventListener('close', () => {
      d.remove();
      // Started: the caller moves focus to the message box. Cancelled: back where she was.
      if (!result && opener?.isConnected) opener.focus();
      resolve(result);
    });
    document.body.appendChild(d);
    d.showModal();
    scene.focus();
  });
}
