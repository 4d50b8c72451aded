import { byId, h, icon } from './dom.js';
import { regionSelect } from './help.js';
import { readString, remove, writeString } from './storage.js';
import { themeSelect } from './theme.js';
import type { Health } from './types.js';

/** "Discreet titles": on a shared computer, the list says nothing of what a conversation is about. */
function discreetToggle(changed: () => void): HTMLElement {
  const box = h('input', { type: 'checkbox', id: 'discreet-titles', 'aria-describedby': 'discreet-titles-hint', checked: readString('discreet-titles') === 'on' });
  box.addEventListener('change', () => {
    if (box.checked) writeString('discreet-titles', 'on');
    else remove('discreet-titles');
    changed();
  });
  return h('div', {},
    h('div', { class: 'checkbox' }, box, h('label', { for: 'discreet-titles' }, 'Discreet titles')),
    h('p', { class: 'field-hint', id: 'discreet-titles-hint' }, 'The list and the tab say “Conversation”, nothing about what it’s about.'));
}

/** The settings in the sidebar: region, appearance, discreet titles, download, delete everything. */
export function buildSettings(onDeleteAll: () => void, onDiscreet: () => void): void {
  const exportLink = h('a', { class: 'link-button', href: '/api/export?format=markdown', download: '' },
    icon('download'), h('span', {}, 'Download my conversations'));
  const deleteAll = h('button', { type: 'button', class: 'link-button link-danger' }, icon('trash'), h('span', {}, 'Delete all conversations'));
  deleteAll.addEventListener('click', onDeleteAll);
  byId('settings').append(regionSelect('region-select', 'Region'), themeSelect(), discreetToggle(onDiscreet), h('div', { class: 'settings-links' }, exportLink, deleteAll));
}

/** Which coach is answering, said discreetly: the guided coach or the model's name. */
export function showModelInfo(health: Health | null): void {
  const el = byId('model-info');
  if (!health) {
    el.textContent = 'Mend’s server is not answering yet.';
    return;
  }
  el.textContent = health.provider === 'guided' ? 'Running the guided coach (no AI model).' : `AI model: ${health.model}.`;
  el.title = `Mend ${health.version}`;
}
