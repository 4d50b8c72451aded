import { byId, h, icon } from './dom.js';
import { regionSelect } from './help.js';
import { themeSelect } from './theme.js';
import type { Health } from './types.js';

/** The settings in the sidebar: region, appearance, download, delete everything. */
export function buildSettings(onDeleteAll: () => void): void {
  const exportLink = h('a', { class: 'link-button', href: '/api/export?format=markdown', download: '' },
    icon('download'), h('span', {}, 'Download my conversations'));
  const deleteAll = h('button', { type: 'button', class: 'link-button link-danger' }, icon('trash'), h('span', {}, 'Delete all conversations'));
  deleteAll.addEventListener('click', onDeleteAll);
  byId('settings').append(regionSelect('region-select', 'Region'), themeSelect(), h('div', { class: 'settings-links' }, exportLink, deleteAll));
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
