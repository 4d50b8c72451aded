/**
 * Negation as the guided coach reads it: a "not" reaches a few words forward within its
 * clause ("it's not about the phone", "he didn't lie to me, he told me himself"). One word
 * list and one reach, so topic denial and negatable signals never disagree.
 */
const NEGATION: ReadonlySet<string> = new Set([
  'not', 'no', 'never', 'nothing',
  "didn't", 'didnt', "don't", 'dont', "doesn't", 'doesnt', "isn't", 'isnt', "wasn't", 'wasnt',
  "hasn't", 'hasnt', "haven't", 'havent', "won't", 'wont', "wouldn't", 'wouldnt', "aren't", 'arent', "weren't", 'werent',
]);

/** How many words back a negation still reaches. */
export const NEGATION_REACH = 3;

/** Lowercase clauses with quotes folded: a clause ends at punctuation or "but". */
export function clausesOf(text: string): string[] {
  return text.toLowerCase().replace(/[’‘]/g, "'").split(/[.!?;,]+|\bbut\b/);
}

export function clauseWords(clause: string): string[] {
  return clause.match(/[a-z']+/g) ?? [];
}

/** One of the few words before words[i] is a negation. */
export function negatedAt(words: readonly string[], i: number): boolean {
  for (let j = Math.max(0, i - NEGATION_REACH); j < i; j++) if (NEGATION.has(words[j]!)) return true;
  return false;
}

/** What follows `before` (her text up to a match) sits shortly after a negation in the same clause. */
export function negatesWhatFollows(before: string): boolean {
  const clause = clausesOf(before).at(-1) ?? '';
  const words = clauseWords(clause);
  return negatedAt(words, words.length);
}
