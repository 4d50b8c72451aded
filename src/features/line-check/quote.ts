import type { Finding } from './analyser.js';

const QUOTE_MAX_WORDS = 10;

/** How a note or critique refers to what she said: her words in quotes, short. */
export function subjectOf(finding: Finding): string {
  if (finding.signal === 'brief') return 'Keeping it short';
  if (finding.signal === 'lecture' && /^\d+ words$/.test(finding.match)) return `Going on for ${finding.match}`;
  const words = finding.match.replace(/[.!?,]+$/, '').split(/\s+/);
  const clipped = words.length > QUOTE_MAX_WORDS ? `${words.slice(0, QUOTE_MAX_WORDS).join(' ')}…` : words.join(' ');
  return `"${clipped}"`;
}
