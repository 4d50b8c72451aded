import type { HelpResource, Region } from '../../src/protocol/index.js';
import { api } from './api.js';

/**
 * Help lines per region. The build inlines knowledge/safety/resources.json (or a tiny
 * built-in list), so the crisis lines show even when the server or the model is unreachable.
 * When the server answers /api/resources, its (possibly fresher) list is used instead.
 */
const BUILT_IN: Record<Region, HelpResource[]> = {
  US: [
    { id: 'us-911', name: 'Emergency services', purpose: ['emergency'], phone: '911', source: 'built-in' },
    { id: 'us-988', name: '988 Suicide & Crisis Lifeline', purpose: ['suicide'], phone: '988', text: '988', hours: '24/7', source: 'built-in' },
  ],
  UK: [
    { id: 'uk-999', name: 'Emergency services', purpose: ['emergency'], phone: '999', source: 'built-in' },
    { id: 'uk-samaritans', name: 'Samaritans', purpose: ['suicide'], phone: '116 123', hours: '24/7', source: 'built-in' },
  ],
  CA: [
    { id: 'ca-911', name: 'Emergency services', purpose: ['emergency'], phone: '911', source: 'built-in' },
    { id: 'ca-988', name: '9-8-8 Suicide Crisis Helpline', purpose: ['suicide'], phone: '9-8-8', text: '9-8-8', hours: '24/7', source: 'built-in' },
  ],
  AU: [
    { id: 'au-000', name: 'Emergency services', purpose: ['emergency'], phone: '000', source: 'built-in' },
    { id: 'au-lifeline', name: 'Lifeline', purpose: ['suicide'], phone: '13 11 14', hours: '24/7', source: 'built-in' },
  ],
  IE: [
    { id: 'ie-112', name: 'Emergency services (112 or 999)', purpose: ['emergency'], phone: '112', source: 'built-in' },
    { id: 'ie-samaritans', name: 'Samaritans', purpose: ['suicide'], phone: '116 123', hours: '24/7', source: 'built-in' },
  ],
  NZ: [
    { id: 'nz-111', name: 'Emergency services', purpose: ['emergency'], phone: '111', source: 'built-in' },
    { id: 'nz-1737', name: '1737, Need to talk?', purpose: ['suicide'], phone: '1737', text: '1737', hours: '24/7', source: 'built-in' },
  ],
  OTHER: [
    { id: 'other-emergency', name: 'Your local emergency number', purpose: ['emergency'], source: 'built-in' },
  ],
};

function inlined(region: Region): HelpResource[] | undefined {
  const lines = typeof __MEND_HELP_LINES__ === 'undefined' ? null : __MEND_HELP_LINES__;
  const list = lines?.[region];
  return list && list.length > 0 ? list : undefined;
}

/** The lines known without asking the server. */
export function localResources(region: Region): HelpResource[] {
  return inlined(region) ?? BUILT_IN[region];
}

const fetched = new Map<Region, HelpResource[]>();

/** The server's list when it has one, otherwise the inlined list; never throws. */
export async function resourcesFor(region: Region): Promise<HelpResource[]> {
  const cached = fetched.get(region);
  if (cached) return cached;
  try {
    const list = await api.resources(region);
    if (Array.isArray(list) && list.length > 0) {
      fetched.set(region, list);
      return list;
    }
  } catch { /* offline or not served: use what the page carries */ }
  return localResources(region);
}

export function isEmergency(r: HelpResource): boolean {
  return r.purpose.includes('emergency');
}

/** The region's emergency line (911, 999, 000…), for the always-visible link. */
export function emergencyLine(region: Region): HelpResource {
  const list = localResources(region);
  return list.find(isEmergency) ?? BUILT_IN[region].find(isEmergency) ?? BUILT_IN.OTHER[0]!;
}

/**
 * The numbers in a printed phone field, each with its tel: URI: "116 123" → tel:116123,
 * "112 or 999" → two numbers.
 */
export function phoneNumbers(phone: string | undefined): Array<{ label: string; href: string }> {
  if (!phone) return [];
  return phone.split(/\s+or\s+|\s*[/,;]\s*/i)
    .map((part) => part.trim())
    .map((label) => ({ label, digits: label.replace(/[^\d+]/g, '') }))
    .filter((p) => p.digits.replace(/\+/g, '').length >= 2)
    .map((p) => ({ label: p.label, href: `tel:${p.digits}` }));
}

/** tel: URI for the first number in a printed phone field; undefined if it has none. */
export function telHref(phone: string | undefined): string | undefined {
  return phoneNumbers(phone)[0]?.href;
}

/** The first number alone ("112 or 999" → "112"), for short labels. */
export function firstNumber(phone: string | undefined): string | undefined {
  return phoneNumbers(phone)[0]?.label;
}

/** A website as a safe absolute link: "988lifeline.org" → https://988lifeline.org. */
export function webHref(web: string | undefined): string | undefined {
  if (!web) return undefined;
  const trimmed = web.trim();
  if (/^https?:\/\/[^\s]+$/i.test(trimmed)) return trimmed;
  if (/^[a-z0-9-]+(\.[a-z0-9-]+)+(\/[^\s]*)?$/i.test(trimmed)) return `https://${trimmed}`;
  return undefined;
}

/**
 * sms: URI from a text instruction: "Text HOME to 741741" → sms:741741?body=HOME,
 * "988" → sms:988. Undefined when there is no number to text.
 */
export function smsHref(text: string | undefined): { href: string; label: string } | undefined {
  if (!text) return undefined;
  const keyword = /text\s+["“]?([A-Za-z0-9]+)["”]?\s+to\s+([\d\s-]{2,})/i.exec(text);
  if (keyword) {
    const number = keyword[2]!.replace(/[^\d]/g, '');
    return { href: `sms:${number}?body=${encodeURIComponent(keyword[1]!)}`, label: `Text ${keyword[1]} to ${keyword[2]!.trim()}` };
  }
  const number = /(\+?[\d][\d\s-]{1,})/.exec(text);
  if (!number) return undefined;
  const digits = number[1]!.replace(/[^\d+]/g, '');
  return digits.length >= 2 ? { href: `sms:${digits}`, label: /^\s*[\d\s+-]+\s*$/.test(text) ? `Text ${text.trim()}` : text } : undefined;
}
