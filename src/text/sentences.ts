/**
 * Sentences of a text, in order and trimmed. A sentence ends at . ! or ? (with any closing
 * quote or bracket) before white space, and at every line break; pieces with no letter in
 * them ("...", "!!") are dropped. The one splitter every feature uses, so a quote, a
 * reflection and a summary cut her words at the same places.
 */
export function sentencesOf(text: string): string[] {
  return text
    .split(/\n+/)
    .flatMap((line) => line.split(/(?<=[.!?]["”’)]?)\s+/))
    .map((s) => s.trim())
    .filter((s) => /\p{L}/u.test(s));
}
