import { byId } from './dom.js';

/**
 * On narrow screens the conversation list is a drawer: the menu button opens it, Escape,
 * the close button or the backdrop close it, and the page behind is inert while it is open.
 */
export function initDrawer(): void {
  const toggle = byId<HTMLButtonElement>('menu-toggle');
  const sidebar = byId('sidebar');
  toggle.addEventListener('click', () => {
    sidebar.classList.add('open');
    byId('backdrop').hidden = false;
    toggle.setAttribute('aria-expanded', 'true');
    byId('main').inert = true;
    byId('new-conversation').focus();
  });
  byId('menu-close').addEventListener('click', () => closeDrawer(true));
  byId('backdrop').addEventListener('click', () => closeDrawer(true));
  sidebar.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && sidebar.classList.contains('open')) closeDrawer(true);
  });
  sidebar.addEventListener('click', (event) => {
    if ((event.target as HTMLElement).closest('a.conv-open')) closeDrawer();
  });
}

export function closeDrawer(returnFocus = false): void {
  const sidebar = byId('sidebar');
  if (!sidebar.classList.contains('open')) return;
  sidebar.classList.remove('open');
  byId('backdrop').hidden = true;
  byId('main').inert = false;
  const toggle = byId<HTMLButtonElement>('menu-toggle');
  toggle.setAttribute('aria-expanded', 'false');
  if (returnFocus) toggle.focus();
}
