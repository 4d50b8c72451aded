import type { HelpResource, Region } from '../../src/protocol/index.js';
import { alertNow } from './announcer.js';
import { byId, clear, h, icon, iconButton } from './dom.js';
import { emergencyLine, firstNumber, localResources, phoneNumbers, resourcesFor, smsHref, telHref, webHref, isEmergency } from './resources.js';
import { getRegion, onRegion, setRegion } from './region.js';
import { REGIONS, isRegion } from './types.js';

const PURPOSES: Record<string, string> = {
  emergency: 'Emergencies: someone is in danger now',
  suicide: 'Suicide and crisis support',
  crisis: 'Crisis support',
  'self-harm': 'Self-harm',
  dv: 'Domestic abuse',
  'child-abuse': 'Child abuse and child safety',
  substance: 'Alcohol and drugs',
  parenting: 'Support for parents',
  teen: 'For your son',
  'mental-health': 'Mental health support',
  'urgent-mental-health': 'Urgent mental health help',
  health: 'Health advice',
  'therapist-finder': 'Find a family therapist or counsellor',
};

export function purposeText(r: HelpResource): string {
  // "Suicide and crisis support" already says crisis; unknown ids are not shown raw.
  const ids = r.purpose.includes('suicide') ? r.purpose.filter((p) => p !== 'crisis') : r.purpose;
  return [...new Set(ids.map((p) => PURPOSES[p]).filter(Boolean))].join(' · ');
}

/** One help line: its name, what it is for, and one-tap call / text / website links. */
export function resourceItem(r: HelpResource, options: { headingLevel?: 'h3' | 'h4' } = {}): HTMLLIElement {
  const li = h('li', { class: `resource${isEmergency(r) ? ' resource-emergency' : ''}` });
  li.appendChild(h(options.headingLevel ?? 'h3', { class: 'resource-name' }, r.name));
  const details = [purposeText(r), r.hours ?? ''].filter(Boolean).join(' · ');
  if (details) li.appendChild(h('p', { class: 'resource-purpose' }, details));
  const actions = h('div', { class: 'resource-actions' });
  const numbers = phoneNumbers(r.phone);
  for (const n of numbers) {
    const a = h('a', { class: 'button button-call', href: n.href });
    a.append(icon('phone'), h('span', {}, `Call ${n.label}`));
    actions.appendChild(a);
  }
  if (!numbers.length && isEmergency(r)) {
    actions.appendChild(h('p', { class: 'resource-purpose' }, 'Call the emergency number where you are.'));
  }
  const sms = smsHref(r.text);
  if (sms) {
    const a = h('a', { class: 'button button-secondary', href: sms.href });
    a.append(icon('message'), h('span', {}, sms.label));
    actions.appendChild(a);
  } else if (r.text) {
    actions.appendChild(h('p', { class: 'resource-purpose' }, r.text));
  }
  const web = webHref(r.web);
  if (web) {
    const a = h('a', { class: 'button button-quiet', href: web, target: '_blank', rel: 'noopener noreferrer' });
    a.append(icon('link'), h('span', {}, 'Website'), h('span', { class: 'visually-hidden' }, ` of ${r.name} (opens in a new tab)`));
    actions.appendChild(a);
  }
  if (actions.childElementCount) li.appendChild(actions);
  return li;
}

export function resourceList(list: HelpResource[], headingLevel: 'h3' | 'h4' = 'h3'): HTMLUListElement {
  const ul = h('ul', { class: 'resource-list' });
  const sorted = [...list].sort((a, b) => Number(isEmergency(b)) - Number(isEmergency(a)));
  for (const r of sorted) ul.appendChild(resourceItem(r, { headingLevel }));
  return ul;
}

/** The help panel's groups, so a tired parent can find the right kind of line at a glance. */
const GROUPS: Array<{ title: string; match: (r: HelpResource) => boolean }> = [
  { title: 'Right now', match: (r) => r.purpose.some((p) => ['emergency', 'suicide', 'crisis', 'self-harm', 'urgent-mental-health'].includes(p)) && !r.purpose.includes('teen') },
  { title: 'For your son', match: (r) => r.purpose.includes('teen') },
  { title: 'Support for you and your family', match: (r) => !r.purpose.includes('therapist-finder') || r.purpose.includes('parenting') },
  { title: 'Find a therapist or counsellor', match: () => true },
];

function groupedResources(list: HelpResource[]): HTMLElement {
  const host = h('div', { class: 'resource-groups' });
  const left = [...list];
  for (const group of GROUPS) {
    const items = left.filter(group.match);
    if (!items.length) continue;
    for (const r of items) left.splice(left.indexOf(r), 1);
    host.append(h('h3', { class: 'resource-group-title' }, group.title), resourceList(items, 'h4'));
  }
  return host;
}

export function regionSelect(id: string, labelText: string): HTMLDivElement {
  const select = h('select', { id, class: 'select' });
  for (const r of REGIONS) select.appendChild(h('option', { value: r.id }, r.name));
  select.value = getRegion();
  select.addEventListener('change', () => {
    if (isRegion(select.value)) setRegion(select.value);
  });
  onRegion((region) => { select.value = region; });
  return h('div', { class: 'field field-inline' }, h('label', { for: id }, labelText), select);
}

let dialog: HTMLDialogElement | null = null;
let listHost: HTMLElement | null = null;
let opener: HTMLElement | null = null;

function buildDialog(): HTMLDialogElement {
  const d = h('dialog', { id: 'help-dialog', class: 'dialog help-dialog', 'aria-labelledby': 'help-title' });
  const close = iconButton('close', 'Close help', { class: 'dialog-close' });
  close.addEventListener('click', () => d.close());
  listHost = h('div', { id: 'help-lines' });
  d.append(
    h('div', { class: 'dialog-head' }, h('h2', { id: 'help-title', tabindex: '-1' }, 'Get help now'), close),
    h('div', { class: 'dialog-body' },
      h('p', { class: 'help-lead' }, 'If you, your son or anyone else is in danger right now, call emergency services. You don’t need to be sure it’s an emergency to call.'),
      regionSelect('help-region', 'Where you are'),
      listHost,
      h('p', { class: 'help-note' }, 'Mend is an AI coach. It is not therapy and not an emergency service, and it can’t call anyone for you. These services are run by people who can help right now.'),
    ),
  );
  d.addEventListener('close', () => {
    opener?.focus();
    opener = null;
  });
  // A click on the backdrop closes the panel.
  d.addEventListener('click', (event) => {
    if (event.target === d) d.close();
  });
  document.body.appendChild(d);
  onRegion(() => { if (d.open) void fillLines(); });
  return d;
}

async function fillLines(): Promise<void> {
  if (!listHost) return;
  const region = getRegion();
  clear(listHost);
  listHost.appendChild(groupedResources(localResources(region)));
  const fresh = await resourcesFor(region);
  if (region !== getRegion() || !listHost) return;
  clear(listHost);
  listHost.appendChild(groupedResources(fresh));
}

export function openHelp(from?: HTMLElement): void {
  dialog ??= buildDialog();
  opener = from ?? (document.activeElement instanceof HTMLElement ? document.activeElement : null);
  void fillLines();
  if (!dialog.open) dialog.showModal();
  byId('help-title').focus();
}

/** The disclaimer's emergency link, kept on her region's number. */
function updateEmergencyLink(region: Region): void {
  const line = emergencyLine(region);
  const link = byId<HTMLAnchorElement>('emergency-link');
  const tel = telHref(line.phone);
  if (tel && line.phone) {
    link.href = tel;
    link.textContent = `call ${line.phone}`;
    link.setAttribute('aria-label', `call ${firstNumber(line.phone)}`);
  } else {
    link.removeAttribute('aria-label');
    link.removeAttribute('href');
    link.textContent = 'call your local emergency number';
  }
}

/** The crisis banner: unmissable, and it stays for the rest of the conversation. */
export class CrisisBanner {
  private readonly el = byId('crisis-banner');
  private shown = false;
  /** One line of call buttons; the words come back with "Details". Never hidden while the crisis stands. */
  private collapsed = false;

  constructor() {
    onRegion(() => { if (this.shown) this.render(); });
  }

  show(announce: boolean): void {
    const wasShown = this.shown;
    this.shown = true;
    // Seen before (a conversation reopened) on a phone: it opens as one line, so the conversation keeps the screen.
    if (!wasShown) this.collapsed = !announce && matchMedia('(max-width: 560px)').matches;
    this.render();
    this.el.hidden = false;
    if (announce && !wasShown) {
      const line = emergencyLine(getRegion());
      alertNow(`Urgent help: if anyone is in danger right now, ${line.phone ? `call ${line.phone}` : 'call your local emergency number'}.`);
    }
  }

  hide(): void {
    this.shown = false;
    this.el.hidden = true;
  }

  private render(): void {
    const region = getRegion();
    const lines = localResources(region);
    const emergency = emergencyLine(region);
    const crisis = lines.find((r) => !isEmergency(r) && (r.purpose.includes('suicide') || r.purpose.includes('crisis')));
    clear(this.el);
    const actions = h('div', { class: 'crisis-actions' });
    const tel = telHref(emergency.phone);
    const emergencyNumber = firstNumber(emergency.phone);
    if (tel && emergencyNumber) {
      const a = h('a', { class: 'button button-emergency', href: tel });
      a.append(icon('phone'), h('span', {}, `Call ${emergencyNumber}`));
      actions.appendChild(a);
    }
    if (crisis) {
      const crisisNumber = phoneNumbers(crisis.phone)[0];
      if (crisisNumber) {
        const a = h('a', { class: 'button button-on-dark', href: crisisNumber.href });
        a.append(icon('phone'), h('span', {}, `Call ${crisisNumber.label}`), h('span', { class: 'visually-hidden' }, ` (${crisis.name})`));
        actions.appendChild(a);
      }
      const sms = smsHref(crisis.text);
      if (sms) {
        const a = h('a', { class: 'button button-on-dark', href: sms.href });
        a.append(icon('message'), h('span', {}, sms.label));
        actions.appendChild(a);
      }
    }
    const more = h('button', { type: 'button', class: 'button button-on-dark crisis-more' }, 'More help lines');
    more.addEventListener('click', () => openHelp(more));
    actions.appendChild(more);
    // Folded on a narrow phone the word gives way to a chevron, so the call buttons keep one line.
    const toggle = h('button', {
      type: 'button', class: 'button button-on-dark crisis-toggle', 'aria-expanded': String(!this.collapsed), 'aria-controls': 'crisis-text',
      title: this.collapsed ? 'Details' : 'Less',
    }, icon('chevronDown'), h('span', { class: 'crisis-toggle-label' }, this.collapsed ? 'Details' : 'Less'));
    toggle.addEventListener('click', () => {
      this.collapsed = !this.collapsed;
      this.render();
      this.el.querySelector<HTMLButtonElement>('.crisis-toggle')?.focus();
    });
    actions.appendChild(toggle);
    this.el.classList.toggle('collapsed', this.collapsed);
    this.el.append(
      h('div', { class: 'crisis-text', id: 'crisis-text' },
        h('h2', { id: 'crisis-title', class: 'crisis-title' }, icon('alert'), h('span', {}, 'If anyone is in danger right now')),
        h('p', {}, `${tel && emergency.phone ? `Call ${emergency.phone}` : 'Call your local emergency number'} now if anyone might get hurt. ${
          crisis ? `${crisis.name} is there for him and for you, day and night.` : 'You don’t have to handle this alone.'}`),
      ),
      actions,
    );
  }
}

export function initHelp(): void {
  const button = byId<HTMLButtonElement>('help-now');
  button.addEventListener('click', () => openHelp(button));
  updateEmergencyLink(getRegion());
  onRegion(updateEmergencyLink);
}
