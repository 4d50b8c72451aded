import { api } from './api.js';
import { panelDialog, type PanelDialog } from './dialogs.js';
import { h } from './dom.js';
import { setMarkdown } from './markdown.js';
import type { MessageMeta } from './types.js';

/** The seven steps Mend coaches with; titles and summaries are inlined at build time. */
const FALLBACK_STEPS: Array<{ id: string; step: number; title: string; summary: string; markdown?: string }> = [
  { id: 'acknowledge', step: 1, title: 'Acknowledge the problem', summary: '' },
  { id: 'listen', step: 2, title: 'Listen actively', summary: '' },
  { id: 'calm', step: 3, title: 'Communicate calmly', summary: '' },
  { id: 'seek-help', step: 4, title: 'Seek help', summary: '' },
  { id: 'positive', step: 5, title: 'Focus on the positive', summary: '' },
  { id: 'patience', step: 6, title: 'Be patient and hopeful', summary: '' },
  { id: 'love', step: 7, title: 'Show love and appreciation', summary: '' },
];

function steps() {
  const inlined = typeof __MEND_STEPS__ === 'undefined' ? [] : __MEND_STEPS__;
  return inlined.length ? inlined : FALLBACK_STEPS;
}

export function stepInfo(id: string) {
  return steps().find((s) => s.id === id);
}

/** Step ids a reply draws on: meta.steps first, then steps its citations belong to. */
export function stepIdsOf(meta: MessageMeta): string[] {
  const ids: string[] = [];
  for (const id of meta.steps ?? []) if (stepInfo(id) && !ids.includes(id)) ids.push(id);
  for (const c of meta.citations ?? []) if (c.stepId && stepInfo(c.stepId) && !ids.includes(c.stepId)) ids.push(c.stepId);
  return ids;
}

/** Chips under a reply; each opens the step's card. */
export function stepChips(meta: MessageMeta): HTMLElement | null {
  const ids = stepIdsOf(meta);
  if (!ids.length) return null;
  const list = h('ul', { class: 'chips', 'aria-label': 'Steps this reply draws on' });
  for (const id of ids) {
    const info = stepInfo(id)!;
    const chip = h('button', { type: 'button', class: 'chip', 'data-step': id, 'aria-haspopup': 'dialog' },
      h('span', { class: 'chip-num', 'aria-hidden': 'true' }, String(info.step)),
      h('span', {}, h('span', { class: 'visually-hidden' }, `Step ${info.step}: `), info.title));
    chip.addEventListener('click', () => void openStepCard(id, chip));
    list.appendChild(h('li', {}, chip));
  }
  return list;
}

let panel: PanelDialog | null = null;
let loadToken = 0;

function buildPanel(): PanelDialog {
  const p = panelDialog({
    id: 'step-dialog', className: 'step-dialog', labelledBy: 'step-title', closeLabel: 'Close step card',
    head: h('div', {}, h('p', { class: 'eyebrow', id: 'step-eyebrow' }), h('h2', { id: 'step-title', tabindex: '-1' })),
  });
  p.dialog.append(h('div', { class: 'dialog-body' },
    h('p', { class: 'step-summary', id: 'step-summary' }),
    h('div', { class: 'md step-body', id: 'step-body' })));
  return p;
}

/**
 * Opens the step's card in a modal dialog: the copy built into the page shows at once, and the
 * server's card (GET /api/knowledge/:id) replaces it when it answers.
 */
export async function openStepCard(id: string, from?: HTMLElement): Promise<void> {
  panel ??= buildPanel();
  const dialog = panel.dialog;
  const info = stepInfo(id);
  const token = ++loadToken;
  const eyebrow = dialog.querySelector<HTMLElement>('#step-eyebrow')!;
  const title = dialog.querySelector<HTMLElement>('#step-title')!;
  const summary = dialog.querySelector<HTMLElement>('#step-summary')!;
  const body = dialog.querySelector<HTMLElement>('#step-body')!;
  eyebrow.textContent = info ? `Step ${info.step} of 7` : 'Step';
  title.textContent = info?.title ?? id;
  summary.textContent = info?.summary ?? '';
  if (info?.markdown) setMarkdown(body, stripLeadingTitle(info.markdown));
  else body.textContent = 'Loading…';
  dialog.setAttribute('aria-busy', 'true');
  panel.show(from ?? null);
  title.focus();
  try {
    const card = await api.knowledge(id);
    if (token !== loadToken) return;
    title.textContent = card.title || info?.title || id;
    summary.textContent = card.summary || info?.summary || '';
    setMarkdown(body, stripLeadingTitle(card.markdown ?? ''));
  } catch {
    if (token !== loadToken || info?.markdown) return;
    body.textContent = info?.summary
      ? 'The full card could not be loaded just now. The summary above is the heart of this step.'
      : 'This card could not be loaded just now. Please try again in a moment.';
  } finally {
    if (token === loadToken) dialog.removeAttribute('aria-busy');
  }
}

/** The card's Markdown usually starts with "# Title", already shown as the dialog's heading. */
function stripLeadingTitle(markdown: string): string {
  return markdown
    .replace(/^\s*---[\s\S]*?---\s*/, '')
    .replace(/^\s*#\s+[^\n]*\n/, '')
    // The dialog's title is the h2: the card's own sections sit one level below it.
    .replace(/^(#{1,5})(\s)/gm, '#$1$2');
}
