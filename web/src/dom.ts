/** Tiny DOM helpers: elements are built with properties and textContent, never from HTML strings. */

type Child = Node | string | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined>;

/** Creates an element. `attrs` become attributes (false/null/undefined are left out); children are appended. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (name === 'class') el.className = String(value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, ...children);
  return el;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** Finds a required element by id; a missing one is a build mistake, so fail loudly. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing from index.html`);
  return el as T;
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

const SVG = 'http://www.w3.org/2000/svg';

/** Stroke icons (24×24, 1.75 stroke), drawn from path data; decorative unless labelled by their button. */
const ICONS: Record<string, string[]> = {
  plus: ['M12 5v14', 'M5 12h14'],
  menu: ['M4 7h16', 'M4 12h16', 'M4 17h16'],
  close: ['M6 6l12 12', 'M18 6L6 18'],
  send: ['M5 12h13', 'M13 6l6 6-6 6'],
  stop: ['M8 8h8v8H8z'],
  copy: ['M9 9h10v10H9z', 'M5 15V5h10'],
  check: ['M5 12.5l4.5 4.5L19 7.5'],
  retry: ['M4 12a8 8 0 1 0 2.5-5.8', 'M4 4v4.5h4.5'],
  left: ['M15 6l-6 6 6 6'],
  right: ['M9 6l6 6-6 6'],
  up: ['M7 11v9H4v-9z', 'M7 11l4-7c1.5 0 2.5 1 2.5 2.5V10H19a1.5 1.5 0 0 1 1.5 1.8l-1.4 6.6A2 2 0 0 1 17.2 20H7'],
  down: ['M7 13V4H4v9z', 'M7 13l4 7c1.5 0 2.5-1 2.5-2.5V14H19a1.5 1.5 0 0 0 1.5-1.8l-1.4-6.6A2 2 0 0 0 17.2 4H7'],
  pencil: ['M4 20h4L19 9l-4-4L4 16z', 'M13.5 6.5l4 4'],
  trash: ['M4 7h16', 'M9 7V4h6v3', 'M6 7l1 13h10l1-13'],
  phone: ['M5 4h4l2 5-2.5 1.5a11 11 0 0 0 5 5L15 13l5 2v4a1 1 0 0 1-1 1A16 16 0 0 1 4 5a1 1 0 0 1 1-1z'],
  message: ['M4 5h16v11H9l-5 4z'],
  link: ['M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7L12 6.3', 'M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1'],
  heart: ['M12 20s-7-4.4-7-10a4 4 0 0 1 7-2.6A4 4 0 0 1 19 10c0 5.6-7 10-7 10z'],
  arrowDown: ['M12 5v14', 'M6 13l6 6 6-6'],
  chevronDown: ['M6 9l6 6 6-6'],
  alert: ['M12 4l9 16H3z', 'M12 10v4', 'M12 17h.01'],
  download: ['M12 4v11', 'M7 10l5 5 5-5', 'M5 20h14'],
  document: ['M6 3h8l4 4v14H6z', 'M14 3v4h4', 'M9 12h6', 'M9 16h6'],
  print: ['M7 9V4h10v5', 'M7 17H5a1 1 0 0 1-1-1v-6a1 1 0 0 1 1-1h14a1 1 0 0 1 1 1v6a1 1 0 0 1-1 1h-2', 'M7 14h10v6H7z'],
};

export function icon(name: keyof typeof ICONS | string): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', 'icon');
  for (const d of ICONS[name] ?? []) {
    const path = document.createElementNS(SVG, 'path');
    path.setAttribute('d', d);
    svg.appendChild(path);
  }
  return svg;
}

/** A button with an icon and a visible or visually hidden label. */
export function iconButton(name: string, label: string, options: { visibleLabel?: boolean; class?: string; attrs?: Attrs } = {}): HTMLButtonElement {
  const button = h('button', { type: 'button', class: `icon-button ${options.class ?? ''}`.trim(), ...options.attrs });
  button.appendChild(icon(name));
  if (options.visibleLabel) button.appendChild(h('span', { class: 'label' }, label));
  else {
    button.setAttribute('aria-label', label);
    button.title = label;
  }
  return button;
}
