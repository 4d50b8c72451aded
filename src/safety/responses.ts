/**
 * What Mend shows for a verdict: a notice above the reply, or at crisis a fixed, reviewed reply
 * that replaces the model's. The texts live in knowledge/safety/replies/*.md and are loaded and
 * checked at module load.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resourcesFor } from './resources.js';
import { SafetyDataError } from './rules.js';
import type { HelpResource, Region, RiskSubject, SafetyVerdict } from '../protocol/safety.js';

export interface SafetyResponse {
  /** Markdown shown ABOVE the reply; '' for calm. */
  notice: string;
  /** Crisis: Markdown reply that REPLACES the model's. */
  fixedReply?: string;
  banner: boolean;
  pauseRehearsal: boolean;
  suggestCounsellor: boolean;
}

export interface SafetyResponseOptions {
  /** She asked about methods or means (defaults to verdict.methodQuestion). */
  methodQuestion?: boolean;
  /** Keep the help banner on, e.g. after an earlier crisis (defaults to verdict.banner). */
  banner?: boolean;
  /** A crisis held from an earlier turn: the short follow-up (defaults to verdict.followUp). */
  followUp?: boolean;
}

type Blocks = ReadonlyMap<string, string>;

const SUBJECT_BLOCKS: readonly RiskSubject[] = [
  'son-self-harm', 'mother-distress', 'mother-safety', 'violence-to-others', 'son-abused', 'substance',
];

const REQUIRED: Record<string, { blocks: readonly string[]; placeholders: readonly string[] }> = {
  crisis: { blocks: [...SUBJECT_BLOCKS, 'method', 'follow-up', 'notice'], placeholders: ['emergency', 'lines'] },
  high: { blocks: ['intro', ...SUBJECT_BLOCKS, 'relationship', 'closing', 'carried', 'unscreened-language'], placeholders: ['emergency', 'lines'] },
  strained: { blocks: ['with-finder', 'without-finder'], placeholders: ['finder'] },
};

function loadReplies(name: string): Blocks {
  const path = fileURLToPath(new URL(`../../knowledge/safety/replies/${name}.md`, import.meta.url));
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (err) {
    throw new SafetyDataError(`Safety reply file replies/${name}.md could not be read: ${(err as Error).message}`);
  }
  const body = raw.replace(/<!--[\s\S]*?-->/g, '');
  const blocks = new Map<string, string>();
  for (const part of body.split(/^## /m).slice(1)) {
    const nl = part.indexOf('\n');
    const id = part.slice(0, nl).trim();
    blocks.set(id, part.slice(nl + 1).trim());
  }
  const spec = REQUIRED[name]!;
  for (const b of spec.blocks) {
    if (!blocks.get(b)) throw new SafetyDataError(`Safety reply file replies/${name}.md is missing the "## ${b}" block`);
  }
  for (const [id, text] of blocks) {
    for (const m of text.matchAll(/\{\{(\w+)\}\}/g)) {
      if (!spec.placeholders.includes(m[1]!)) {
        throw new SafetyDataError(`Safety reply file replies/${name}.md block "${id}" uses unknown placeholder {{${m[1]}}}`);
      }
    }
  }
  return blocks;
}

const CRISIS = loadReplies('crisis');
const HIGH = loadReplies('high');
const STRAINED = loadReplies('strained');

function fill(text: string, vars: Record<string, string>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (_, k: string) => vars[k] ?? '');
}

function link(web: string): string {
  const url = /^https?:\/\//.test(web) ? web : `https://${web}`;
  return `[${web.replace(/^https?:\/\//, '').replace(/\/$/, '')}](${url})`;
}

/** "**Samaritans**: call 116 123, samaritans.org (free, 24/7)" */
export function describeLine(r: HelpResource): string {
  const ways = [
    r.phone && `call ${r.phone}`,
    r.text && (/^Text\b/.test(r.text) ? `t${r.text.slice(1)}` : r.text),
    r.web && link(r.web),
  ].filter(Boolean);
  return `**${r.name}**${ways.length ? `: ${ways.join(', ')}` : ''}${r.hours ? ` (${r.hours})` : ''}`;
}

function bullets(list: readonly HelpResource[]): string {
  return list.map((r) => `- ${describeLine(r)}`).join('\n');
}

function emergencyText(region: Region): string {
  const e = resourcesFor(region, [], 'crisis')[0];
  return e?.phone ?? 'your local emergency number';
}

/** Lines for these subjects, without the emergency number (the text names it already). */
function linesFor(region: Region, subjects: readonly RiskSubject[], level: 'crisis' | 'high'): HelpResource[] {
  return resourcesFor(region, subjects, level).filter((r) => !r.purpose.includes('emergency')).slice(0, 3);
}

function crisisReply(verdict: SafetyVerdict, region: Region, opts: Required<SafetyResponseOptions>): string {
  const lead = verdict.atRisk.find((s) => SUBJECT_BLOCKS.includes(s)) ?? 'mother-distress';
  const block = opts.followUp ? 'follow-up' : opts.methodQuestion ? 'method' : lead;
  const subjects = opts.methodQuestion && !verdict.atRisk.length ? ['mother-distress' as const] : verdict.atRisk;
  return fill(CRISIS.get(block)!, {
    emergency: emergencyText(region),
    lines: bullets(linesFor(region, subjects.length ? subjects : ['mother-distress'], 'crisis')),
  });
}

function highNotice(verdict: SafetyVerdict, region: Region): string {
  const emergency = emergencyText(region);
  const parts = [HIGH.get('intro')!];
  const subjects = verdict.atRisk.filter((s) => HIGH.has(s));
  const shown = (subjects.length ? subjects : (['mother-distress'] as RiskSubject[])).slice(0, 2);
  for (const s of shown) {
    const lines = linesFor(region, [s], 'high');
    const text = HIGH.get(s)!;
    parts.push(fill(lines.length ? text : text.replace(/\s*\{\{lines\}\}\s*$/, '').replace(/:\s*$/, '.'), { emergency, lines: bullets(lines) }));
  }
  parts.push(fill(HIGH.get('closing')!, { emergency, lines: '' }));
  return parts.join('\n\n');
}

function strainedNotice(region: Region): string {
  const finders = resourcesFor(region, ['relationship'], 'strained').filter((r) => r.purpose.includes('therapist-finder')).slice(0, 2);
  if (!finders.length) return STRAINED.get('without-finder')!;
  const names = finders.map((r) => (r.web ? `${r.name} (${link(r.web)})` : r.name));
  return fill(STRAINED.get('with-finder')!, { finder: names.join(' or ') });
}

/**
 * The notice, fixed reply and flags for a verdict. Crisis: a fixed reply replaces the model's,
 * the banner goes on and rehearsal pauses. High: a plain notice that this needs professional
 * help now, with the fitting lines; rehearsal pauses. Strained: a brief, warm suggestion of a
 * family counsellor. Calm: nothing.
 */
export function safetyResponse(
  verdict: SafetyVerdict & { methodQuestion?: boolean; banner?: boolean; followUp?: boolean },
  region: Region,
  opts: SafetyResponseOptions = {},
): SafetyResponse {
  const o: Required<SafetyResponseOptions> = {
    methodQuestion: opts.methodQuestion ?? verdict.methodQuestion ?? false,
    banner: opts.banner ?? verdict.banner ?? false,
    followUp: opts.followUp ?? verdict.followUp ?? false,
  };
  switch (verdict.level) {
    case 'crisis':
      return {
        notice: fill(CRISIS.get('notice')!, { emergency: emergencyText(region), lines: '' }),
        fixedReply: crisisReply(verdict, region, o),
        banner: true,
        pauseRehearsal: true,
        suggestCounsellor: false,
      };
    case 'high':
      return { notice: highNotice(verdict, region), banner: o.banner, pauseRehearsal: true, suggestCounsellor: true };
    case 'strained':
      return { notice: strainedNotice(region), banner: o.banner, pauseRehearsal: false, suggestCounsellor: true };
    default:
      return { notice: '', banner: o.banner, pauseRehearsal: false, suggestCounsellor: false };
  }
}

/** Every fixed text, rendered for a region (for review and for the output-rail test). */
export function allFixedTexts(region: Region): string[] {
  const emergency = emergencyText(region);
  const lines = bullets(linesFor(region, ['son-self-harm'], 'crisis'));
  return [...CRISIS.values(), ...HIGH.values()].map((t) => fill(t, { emergency, lines }))
    .concat([...STRAINED.values()].map((t) => fill(t, { finder: 'a directory' })));
}

/** The note at the top of a new conversation when a high or crisis level from an earlier one still stands. */
export function carriedNotice(atRisk: readonly RiskSubject[], region: Region): string {
  return fill(HIGH.get('carried')!, {
    emergency: emergencyText(region),
    lines: bullets(linesFor(region, atRisk.length ? atRisk : ['mother-distress'], 'crisis')),
  });
}

/**
 * The reply to a message in a language Mend does not screen yet: a plain note that Mend
 * understands English only, with the region's crisis lines. No coaching text follows it.
 */
export function unscreenedLanguageReply(region: Region): string {
  return fill(HIGH.get('unscreened-language')!, {
    emergency: emergencyText(region),
    lines: bullets(linesFor(region, ['mother-distress', 'son-self-harm'], 'crisis')),
  });
}
