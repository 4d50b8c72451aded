import { h } from './dom.js';
import { setMarkdown } from './markdown.js';

/**
 * Printing the brief. Her text (as sanitised Markdown) goes into a page-level element that
 * only the print stylesheet shows; `html.printing-brief` tells that stylesheet to print the
 * brief alone, as a clean page, instead of the app around it. Printing stays on her machine.
 */
let sheet: HTMLElement | null = null;

export function printBrief(markdown: string): void {
  sheet ??= document.body.appendChild(h('article', { id: 'brief-print', class: 'brief-print md' }));
  setMarkdown(sheet, markdown);
  document.documentElement.classList.add('printing-brief');
  window.addEventListener('afterprint', stopPrintingBrief, { once: true });
  window.print();
}

/** Back to printing the page as it is (Ctrl+P outside the brief prints the conversation view). */
export function stopPrintingBrief(): void {
  document.documentElement.classList.remove('printing-brief');
  sheet?.replaceChildren();
}
