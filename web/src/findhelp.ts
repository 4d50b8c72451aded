import type { HelpResource, Region } from '../../src/protocol/index.js';
import { clear, h } from './dom.js';
import { resourceList } from './help.js';
import { setMarkdown } from './markdown.js';

/** GET /api/referral: what the "Find help" view shows before she has said anything. */
interface ReferralGuide {
  region: Region;
  where: string;
  kinds: Array<{ id: string; name: string; why: string; markdown: string; resources: HelpResource[] }>;
  finding: { healthRoute: string; doctor: string; resources: HelpResource[] };
  emergency: HelpResource[];
  guides: Array<{ id: string; title: string; summary: string; markdown: string }>;
}

const cache = new Map<Region, ReferralGuide | null>();

async function load(region: Region): Promise<ReferralGuide | null> {
  if (cache.has(region)) return cache.get(region)!;
  let guide: ReferralGuide | null = null;
  try {
    const res = await fetch(`/api/referral?region=${encodeURIComponent(region)}`, { credentials: 'same-origin', headers: { accept: 'application/json' } });
    const json = res.ok ? await res.json() as Partial<ReferralGuide> : null;
    if (json && Array.isArray(json.kinds) && json.finding && Array.isArray(json.guides)) guide = json as ReferralGuide;
  } catch { /* offline: the view stays a plain invitation to write */ }
  cache.set(region, guide);
  return guide;
}

function disclosure(title: string, summary: string | null, body: (host: HTMLElement) => void): HTMLDetailsElement {
  const details = h('details', { class: 'guide' });
  details.appendChild(h('summary', {}, h('span', { class: 'guide-title' }, title), summary ? h('span', { class: 'guide-summary' }, summary) : null));
  const content = h('div', { class: 'guide-body' });
  body(content);
  details.appendChild(content);
  return details;
}

/** Fills the Find help view: kinds of help, how to find someone where she lives, the guides. */
export async function renderFindHelp(host: HTMLElement, region: Region): Promise<void> {
  const guide = await load(region);
  clear(host);
  host.hidden = !guide;
  if (!guide) return;
  host.append(h('h3', { class: 'section-heading' }, 'Kinds of help'));
  const kinds = h('div', { class: 'guides' });
  for (const kind of guide.kinds) {
    kinds.appendChild(disclosure(kind.name, kind.why, (body) => {
      const md = h('div', { class: 'md' });
      setMarkdown(md, kind.markdown);
      body.appendChild(md);
      if (kind.resources.length) body.appendChild(resourceList(kind.resources, 'h4'));
    }));
  }
  host.appendChild(kinds);

  host.append(h('h3', { class: 'section-heading' }, `Finding someone ${guide.where}`));
  const finding = h('div', { class: 'finding' }, h('p', {}, guide.finding.healthRoute), h('p', {}, `You can also start by asking ${guide.finding.doctor}.`));
  if (guide.finding.resources.length) finding.appendChild(resourceList(guide.finding.resources, 'h4'));
  host.appendChild(finding);

  if (guide.guides.length) {
    host.append(h('h3', { class: 'section-heading' }, 'Guides'));
    const guides = h('div', { class: 'guides' });
    for (const g of guide.guides) {
      guides.appendChild(disclosure(g.title, g.summary, (body) => {
        const md = h('div', { class: 'md' });
        setMarkdown(md, g.markdown.replace(/^\s*#\s+[^\n]*\n/, '').replace(/^(#{1,4})(\s)/gm, '##$1$2'));
        body.appendChild(md);
      }));
    }
    host.appendChild(guides);
  }
}
