import { z } from 'zod';
import { stateSlot } from '../../store/state-slot.js';
import type { MessageRecord } from '../../protocol/records.js';
import { sentencesOf, clausesOf, tidy, wordCount } from './her-words.js';

export const BRIEF_MAX_CHARS = 20_000;
export const BRIEF_TITLE = 'Counsellor brief';
export const BRIEF_HEADINGS = ['What has been happening', 'How long', 'What I have tried', 'What worries me most', 'What I hope for'] as const;
export type BriefHeading = (typeof BRIEF_HEADINGS)[number];
/** Left under a heading she has not talked about, so the page never holds a guess. */
export const NOT_DISCUSSED = '(not discussed yet — add your own words)';

/** The brief as stored in conversation state and returned by the API. */
export const CounsellorBrief = z.object({
  markdown: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
  /** She has changed it since it was drafted. */
  edited: z.boolean(),
});
export type CounsellorBrief = z.infer<typeof CounsellorBrief>;
export const BRIEF_SLOT = stateSlot('brief', 1, CounsellorBrief);

/** Enough for about one printed page. */
const MAX_PER_HEADING = 6;

/** Checked in this order: a piece goes under the first heading it fits. */
const HEADING_PATTERNS: Array<[BriefHeading, RegExp]> = [
  ['How long', /\b(?:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|few|several|couple of|many)\s+(?:weeks?|months?|years?)\b|\b(?:\d+|two|three|four|five|six|few|several|couple of)\s+days\b|\b(?:ever since|since (?:he|the|last|we|his|about|around|christmas|summer|january|february|march|april|may|june|july|august|september|october|november|december)|for (?:ages|a while|a long time|months|years|weeks)|last (?:week|month|year|summer|winter|spring|autumn|fall|christmas)|it (?:all )?started|began (?:when|after|around|last)|it['’]s been going on)\b/i],
  ['What worries me most', /\b(?:worr\w*|scared|afraid|frighten\w*|fears?|terrif\w*|concern\w*|anxious|dread|what if|keeps me (?:up|awake))\b/i],
  ['What I hope for', /\bI (?:just |really |only |so )?(?:want|wish|hope|would love|['’]d love|['’]d like|would like)\b|\bhoping\b|\bI (?:just )?need (?:us|him) to\b/i],
  ['What I have tried', /\b(?:tried|I['’]ve been trying|took (?:his|away|him)|taken (?:his|away)|grounded|confiscat\w*|offered|suggested|sat (?:him )?down|bribed|rewarded|I asked him|I told him|I(?:['’]ve| have) (?:talked|spoken) to (?:him|his|the))\b/i],
];
/** Things she says to Mend, not about her family: they don't belong on the page. */
const TO_MEND = /\b(?:can you|could you|would you|will you|mend|draft|summary|brief|help me|should we|should I|do we need|do I need|what do you|what should|how do I|how can I|thank(?:s| you))\b/i;

/** Her messages that describe her situation: coaching and referral turns, not lines rehearsed or drafted for him. */
export function herStatements(history: MessageRecord[]): string[] {
  return history.filter((m) => m.role === 'user' && (m.mode === 'coach' || m.mode === 'referral')).map((m) => m.text);
}

/**
 * The guided brief: her own sentences (split at "and" between clauses, fillers trimmed)
 * grouped under the five headings. A heading with nothing of hers says so instead of
 * being filled in.
 */
export function assembleBrief(statements: string[], createdAt: number): string {
  const grouped = new Map<BriefHeading, string[]>(BRIEF_HEADINGS.map((h) => [h, []]));
  const seen = new Set<string>();
  for (const piece of statements.flatMap(piecesOf)) {
    const key = piece.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    grouped.get(headingFor(piece))!.push(piece);
  }
  const sections = BRIEF_HEADINGS.map((h) => sectionMarkdown(h, grouped.get(h)!.slice(-MAX_PER_HEADING)));
  return `${briefHeader(createdAt)}\n\n${sections.join('\n\n')}\n`;
}

export function briefHeader(createdAt: number): string {
  const date = new Date(createdAt).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  return `# ${BRIEF_TITLE}\n\n_In my own words, to bring to a first appointment. Drafted with Mend on ${date}; I can change anything in it._`;
}

function piecesOf(message: string): string[] {
  return sentencesOf(message)
    .flatMap(clausesOf)
    .filter((c) => wordCount(c) >= 3 && !TO_MEND.test(c) && (!c.trim().endsWith('?') || /\b(?:what if|worr)/i.test(c)))
    .map(tidy);
}

function headingFor(piece: string): BriefHeading {
  return HEADING_PATTERNS.find(([, pattern]) => pattern.test(piece))?.[0] ?? 'What has been happening';
}

function sectionMarkdown(heading: BriefHeading, pieces: string[]): string {
  const body = pieces.length ? pieces.map((p) => `- ${escapeMarkdown(p)}`).join('\n') : NOT_DISCUSSED;
  return `## ${heading}\n\n${body}`;
}

/** Her words stay text: no stray emphasis, links, HTML or list markers from what she typed. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_[\]<>|~]/g, (c) => `\\${c}`)
    .replace(/:\/\//g, '\\://')
    .replace(/\bwww\./gi, (w) => `${w.slice(0, 3)}\\.`)
    .replace(/^(#+|\d+[.)]|[-+])(?=\s)/, '\\$1');
}

/** A brief is whole when it has its title and all five headings in order. */
export function isCompleteBrief(markdown: string): boolean {
  const headings = [...markdown.matchAll(/^## (.+?)\s*$/gm)].map((m) => m[1]);
  const positions = BRIEF_HEADINGS.map((h) => headings.indexOf(h));
  return /^# /m.test(markdown) && positions.every((p, i) => p >= 0 && (i === 0 || p > positions[i - 1]!));
}
