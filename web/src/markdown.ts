import { Marked } from 'marked';
import DOMPurify from 'dompurify';

/**
 * Replies are Markdown. Raw HTML in a reply is shown as text (never parsed), and what marked
 * produces goes through DOMPurify with a short allow-list, so nothing in a reply can run.
 */
const marked = new Marked({
  gfm: true,
  breaks: false,
  async: false,
  renderer: {
    // Raw HTML becomes visible, inert text.
    html({ text }) {
      return escapeHtml(text);
    },
    // No remote images: they could track her, and the page's CSP would block them anyway.
    image({ text }) {
      return escapeHtml(text);
    },
  },
});

const ALLOWED_TAGS = ['p', 'br', 'strong', 'em', 'b', 'i', 'ul', 'ol', 'li', 'blockquote', 'code', 'pre', 'a', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'del', 's', 'table', 'thead', 'tbody', 'tr', 'th', 'td'];
const ALLOWED_ATTR = ['href', 'title', 'start', 'align'];

let hooked = false;
function ensureHooks(): void {
  if (hooked) return;
  hooked = true;
  DOMPurify.addHook('afterSanitizeAttributes', (node) => {
    if (node.tagName === 'A') {
      const href = node.getAttribute('href') ?? '';
      if (/^https?:/i.test(href)) {
        node.setAttribute('target', '_blank');
        node.setAttribute('rel', 'noopener noreferrer');
      }
    }
  });
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Markdown → a sanitised DocumentFragment, ready to append. */
export function renderMarkdown(markdown: string): DocumentFragment {
  ensureHooks();
  const html = marked.parse(markdown) as string;
  const fragment = DOMPurify.sanitize(html, {
    ALLOWED_TAGS,
    ALLOWED_ATTR,
    ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|tel:|sms:|#)/i,
    ADD_ATTR: ['target', 'rel'],
    RETURN_DOM_FRAGMENT: true,
  });
  return fragment;
}

export function setMarkdown(el: HTMLElement, markdown: string): void {
  el.replaceChildren(renderMarkdown(markdown));
}
