import type { Page } from 'playwright-core';

/**
 * Text cut off at the current width, and sideways scroll of the page. Text is cut off when its
 * own box is too narrow for it, or when it reaches past the side of a box that clips or scrolls
 * sideways (a row that scrolls with its scrollbar hidden hides its last words just the same).
 * Not counted: an intended "…" (the whole text is in its tooltip or elsewhere) and visually
 * hidden text.
 */
export async function clippedText(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const describe = (el: Element) => `${el.tagName.toLowerCase()}#${el.id}.${typeof el.className === 'string' ? el.className : ''}`;
    const visuallyHidden = (el: Element) => el.clientWidth <= 1 && getComputedStyle(el).position === 'absolute';

    if (document.documentElement.scrollWidth > window.innerWidth + 1) found.push(`page scrolls sideways: ${document.documentElement.scrollWidth} > ${window.innerWidth}`);

    /** The first box around el that cuts its text short sideways, or a reason to leave it alone. */
    function clipper(el: HTMLElement, text: DOMRect): string | null {
      for (let box: HTMLElement | null = el; box && box !== document.body; box = box.parentElement) {
        const style = getComputedStyle(box);
        if (visuallyHidden(box) || style.textOverflow === 'ellipsis') return null;
        if (style.overflowX === 'visible') continue;
        const edge = box.getBoundingClientRect();
        const left = edge.left + box.clientLeft;
        const right = left + box.clientWidth;
        if (text.left < left - 1 || text.right > right + 1) return `${describe(box)} (${Math.round(left)}–${Math.round(right)})`;
      }
      return null;
    }

    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      if (!el.checkVisibility({ visibilityProperty: true }) || el.closest('.visually-hidden, [hidden]')) continue;
      const style = getComputedStyle(el);
      const isSelect = el instanceof HTMLSelectElement;
      const texts = [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim());
      if (!texts.length && !isSelect) continue;
      if (style.textOverflow === 'ellipsis' || visuallyHidden(el)) continue;
      const label = `${describe(el)}: "${(el.textContent ?? '').trim().slice(0, 40)}"`;
      const clipsX = style.overflowX !== 'visible' || isSelect;
      if (clipsX && el.scrollWidth > el.clientWidth + 1) found.push(`${label} ${el.scrollWidth} > ${el.clientWidth}`);
      for (const node of texts) {
        const range = document.createRange();
        range.selectNodeContents(node);
        const rect = range.getBoundingClientRect();
        const cut = clipper(el, rect);
        if (cut) found.push(`${label} (${Math.round(rect.left)}–${Math.round(rect.right)}) is cut off by ${cut}`);
      }
      if (isSelect) {
        // A select shows its chosen option: its text must fit the box.
        const canvas = document.createElement('canvas').getContext('2d')!;
        canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
        const text = el.selectedOptions[0]?.text ?? '';
        const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 16; // the arrow
        if (canvas.measureText(text).width > room) found.push(`select#${el.id}: "${text}" does not fit`);
      }
    }
    return found;
  });
}
