/**
 * Her messages cut into the pieces Mend quotes back (in a referral's "why") and files under
 * the counsellor brief's headings. Only cutting and light trimming happens here: a piece is
 * always a run of her own words, so nothing she did not say can slip in.
 */

/** Words that can start a clause of their own after "and" or "but". */
const CLAUSE_START = /^(?:i|i'm|i’m|i've|i’ve|he|he's|he’s|she|we|we've|we’ve|they|it|his|my|every|each|then|now|nothing|no one|nobody)\b/i;
/** Fillers at the start of a sentence that add nothing on a page a counsellor reads. */
const FILLER = /^(?:(?:so|well|honestly|basically|anyway|also|and|but|ok|okay|um|hi|hello)\b[,\s]*)+/i;
const MAX_PIECE_CHARS = 300;

import { sentencesOf } from '../../text/sentences.js';
export { sentencesOf };

/**
 * Splits "we haven't spoken in three weeks and every time I try he walks out" into its two
 * clauses; a split only happens where both halves could stand as sentences. "But" stays
 * joined: "I tried X but it made things worse" means little in halves.
 */
export function clausesOf(sentence: string): string[] {
  const tokens = sentence.split(/(\s*[,;]?\s+and\s+)/i);
  const clauses = [tokens[0]!];
  for (let i = 1; i < tokens.length; i += 2) {
    const separator = tokens[i]!;
    const part = tokens[i + 1] ?? '';
    const last = clauses.length - 1;
    const standsAlone = wordCount(part) >= 3 && CLAUSE_START.test(part) && wordCount(clauses[last]!) >= 3;
    if (standsAlone) clauses.push(part);
    else clauses[last] += separator + part;
  }
  return clauses.map((c) => c.replace(/[,;]\s*$/, '').trim()).filter(Boolean);
}

/** A piece made presentable: filler dropped, first letter capital, ending punctuation, capped length. */
export function tidy(piece: string): string {
  let text = piece.replace(FILLER, '').replace(/\s+/g, ' ').trim();
  if (text.length > MAX_PIECE_CHARS) text = `${text.slice(0, text.lastIndexOf(' ', MAX_PIECE_CHARS - 1)).trimEnd()}…`;
  text = text.replace(/\bi\b(?=$|[\s’',.!?])/g, 'I').replace(/^(\p{Ll})/u, (c) => c.toUpperCase());
  return /[.!?…"”’)]$/.test(text) ? text : `${text}.`;
}

/** The words of a quote as she wrote them, without the sentence's end mark, for “…” in a reply. */
export function asQuote(piece: string): string {
  return piece.replace(FILLER, '').replace(/\s+/g, ' ').replace(/[.!?,;:]+$/, '').replace(/\bi\b(?=$|[\s’',])/g, 'I').trim();
}

export function wordCount(text: string): number {
  return text.trim().split(/\s+/).filter(Boolean).length;
}
