/**
 * Ways mothers say they are worn out, one list for every feature that listens for it (the
 * coach's signals, empathy lines and scripts, the referral's "see your doctor" sign). Each
 * feature adds the few phrases only it needs. Alternation sources for a RegExp.
 */
export const WORN_OUT = [
  'exhausted', 'worn out', 'drained', 'knackered', 'shattered', 'burnt out', 'burned out', 'burnout',
  'running on empty', 'at breaking point', 'breaking point', "can't cope", 'can’t cope', 'cannot cope',
];

/** A RegExp source matching any phrase of the list plus `extra`, escaped, longest first. */
export function phrasesSource(phrases: readonly string[], extra: readonly string[] = []): string {
  return [...phrases, ...extra]
    .sort((a, b) => b.length - a.length)
    .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|');
}
