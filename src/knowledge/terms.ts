/**
 * Search terms: how her words and the knowledge files are turned into comparable stems.
 * Retrieval, topic matching and memory all use this one definition, so "lied", "lying" and
 * "lies" find the same page wherever the comparison happens.
 */
import { BoundedMemo } from '../text/bounded-memo.js';

const STOPWORDS = new Set(`a about above after again against all am an and any are as at be because been before
being below between both but by can could did do does doing down during each few for from further had has
have having he her here hers herself him himself his how i if in into is it its itself just me more most my
myself no nor not now of off on once only or other our ours ourselves out over own same she should so some
such than that the their theirs them themselves then there these they this those through to too under until
up very was we were what when where which while who whom why will with would you your yours yourself
yourselves im ive id ill hes shes its thats dont doesnt didnt cant wont isnt wasnt arent havent hasnt
shouldnt couldnt wouldnt really also even still get got us one much many like`.split(/\s+/));

/** Forms a suffix rule would get wrong or leave apart. */
const IRREGULAR: Record<string, string> = {
  lying: 'lie', lied: 'lie', lies: 'lie', liar: 'lie',
  spoke: 'speak', spoken: 'speak',
  said: 'say', says: 'say',
  told: 'tell',
  ran: 'run',
  went: 'go', gone: 'go', goes: 'go',
  children: 'child',
  swore: 'swear', sworn: 'swear',
  threw: 'throw', thrown: 'throw',
  felt: 'feel',
  mum: 'mother', mom: 'mother', mam: 'mother', mommy: 'mother', mummy: 'mother',
  grandma: 'grandmother', granny: 'grandmother', gran: 'grandmother', nan: 'grandmother', nana: 'grandmother',
  grandad: 'grandfather', granddad: 'grandfather', grandpa: 'grandfather',
  counselor: 'counsellor', counseling: 'counsel', counselling: 'counsel',
  mobile: 'phone', cellphone: 'phone', cell: 'phone',
  screaming: 'scream', screamed: 'scream', yelled: 'yell', yelling: 'yell',
};

/** Words that mean the same thing in a row at home: "screamed" and "yelled" find what "shouted" finds. */
const SAME_AS: Record<string, string> = { scream: 'shout', yell: 'shout' };

/** A light suffix stemmer: crude, but deterministic and good enough for short English texts. */
export function stem(word: string): string {
  const base = suffixStem(word);
  return SAME_AS[base] ?? base;
}

function suffixStem(word: string): string {
  const irregular = IRREGULAR[word];
  if (irregular) return irregular;
  let w = word;
  if (w.length > 5 && w.endsWith('ness')) w = w.slice(0, -4);
  else if (w.length > 4 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.length > 5 && w.endsWith('ing')) w = undouble(w.slice(0, -3));
  else if (w.length > 4 && w.endsWith('ed')) w = undouble(w.slice(0, -2));
  else if (w.length > 4 && /(ss|x|ch|sh)es$/.test(w)) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.length > 3 && w.endsWith('e')) w = w.slice(0, -1);
  return w;
}

function undouble(w: string): string {
  return /([bdfgklmnprt])\1$/.test(w) ? w.slice(0, -1) : w;
}

/** Lower-cased words in order, apostrophes dropped ("don't" → "dont"). */
export function wordsOf(text: string): string[] {
  return text.toLowerCase().replace(/[’']/g, '').match(/[a-z0-9]+/g) ?? [];
}

/**
 * Knowledge phrases (signs, keywords, titles, script lines) are compared with her words on every
 * turn; stemming them again each time was the largest cost of a turn by profile. Short texts are
 * remembered; the cache is dropped whole when it grows, which keeps it simple and bounded.
 */
const TERMS_OF_TEXT = new BoundedMemo<string[]>(20_000, 400);
/** Longer texts (knowledge paragraphs, long messages) are not kept whole, but each word's stem is. */
const STEM_OF_WORD = new BoundedMemo<string>();

function computeTerms(text: string): string[] {
  return wordsOf(text).filter((w) => !STOPWORDS.has(w)).map((w) => STEM_OF_WORD.get(w, stem));
}

/** Stems of the words that carry meaning, in order, repeats kept. */
export function termsOf(text: string): string[] {
  return TERMS_OF_TEXT.get(text, computeTerms).slice();
}

export function uniqueTerms(text: string): string[] {
  return [...new Set(termsOf(text))];
}

/**
 * How much of a short phrase (a "sign" in the front matter) appears in a text: the share of
 * the phrase's meaningful terms found there, from 0 to 1.
 */
export function phraseOverlap(phrase: string, textTerms: ReadonlySet<string>): { share: number; hits: number } {
  const terms = uniqueTerms(phrase);
  if (terms.length === 0) return { share: 0, hits: 0 };
  const hits = terms.filter((t) => textTerms.has(t)).length;
  return { share: hits / terms.length, hits };
}
