import type { MAX_REPLY_VERSIONS as SERVER_MAX_VERSIONS, QuickReply } from '../../src/protocol/index.js';
import { announce } from './announcer.js';
import { h, iconButton } from './dom.js';
import { setMarkdown } from './markdown.js';
import type { MessageMeta } from './types.js';

/** Typed by the server's constant, so tsc fails if the two ever differ (the value would bring zod with it). */
export const MAX_REPLY_VERSIONS: typeof SERVER_MAX_VERSIONS = 9;

/** Tappable replies under Mend's latest message; CSS hides them once another message follows. */
export function quickReplies(replies: QuickReply[], tap: (reply: QuickReply) => void): HTMLElement {
  const group = h('div', { class: 'quick-replies', role: 'group', 'aria-label': 'Suggested replies' });
  for (const reply of replies) {
    const button = h('button', { type: 'button', class: `quick-reply${reply.mode ? ' quick-reply-mode' : ''}` }, reply.label);
    button.addEventListener('click', () => tap(reply));
    group.appendChild(button);
  }
  return group;
}

/**
 * A reply written again keeps what it said before, and her edited message what she first
 * wrote: "‹ 2 / 2 ›" turns the body back to an earlier version and forward again. Only the
 * latest is what Mend goes on from. Her words are shown as plain text (`render`), never Markdown.
 */
export function versionPager(
  meta: MessageMeta, latest: string, body: HTMLElement,
  options: { render?: (body: HTMLElement, text: string) => void; label?: string } = {},
): HTMLElement | null {
  const versions = [...(meta.versions ?? []).map((v) => v.text), latest];
  if (versions.length < 2) return null;
  const render = options.render ?? setMarkdown;
  let shown = versions.length - 1;
  const count = h('span', { class: 'versions-count' });
  const earlier = iconButton('left', 'Earlier version', { class: 'versions-step' });
  const later = iconButton('right', 'Later version', { class: 'versions-step' });
  const show = (index: number, say: boolean) => {
    shown = index;
    render(body, versions[index]!);
    count.textContent = `${index + 1} / ${versions.length}`;
    count.title = index === versions.length - 1 ? 'The latest version' : 'An earlier version';
    earlier.disabled = index === 0;
    later.disabled = index === versions.length - 1;
    if (say) announce(`Version ${index + 1} of ${versions.length}${index === versions.length - 1 ? ', the latest' : ''}.`);
  };
  earlier.addEventListener('click', () => show(Math.max(0, shown - 1), true));
  later.addEventListener('click', () => show(Math.min(versions.length - 1, shown + 1), true));
  count.textContent = `${versions.length} / ${versions.length}`;
  earlier.disabled = false;
  later.disabled = true;
  return h('div', { class: 'versions', role: 'group', 'aria-label': options.label ?? 'Versions of this reply' }, earlier, count, later);
}
