import { h } from './dom.js';
import { readString, remove, writeString } from './storage.js';

type Theme = 'system' | 'light' | 'dark';

/** Light and dark follow the system unless she picks one. */
export function themeSelect(): HTMLElement {
  const select = h('select', { id: 'theme-select', class: 'select' },
    h('option', { value: 'system' }, 'Match my device'), h('option', { value: 'light' }, 'Light'), h('option', { value: 'dark' }, 'Dark'));
  const saved = readString('theme');
  select.value = saved === 'light' || saved === 'dark' ? saved : 'system';
  select.addEventListener('change', () => apply(select.value as Theme));
  return h('div', { class: 'field field-inline' }, h('label', { for: 'theme-select' }, 'Appearance'), select);
}

function apply(theme: Theme): void {
  if (theme === 'system') {
    remove('theme');
    delete document.documentElement.dataset.theme;
  } else {
    writeString('theme', theme);
    document.documentElement.dataset.theme = theme;
  }
  syncThemeColor();
}

/** Keeps the browser chrome colour (theme-color) in step with the page. */
export function syncThemeColor(): void {
  const meta = document.querySelector<HTMLMetaElement>('meta[name="theme-color"]');
  if (!meta) return;
  const bg = getComputedStyle(document.documentElement).getPropertyValue('--bg').trim();
  if (bg) meta.content = bg;
}
