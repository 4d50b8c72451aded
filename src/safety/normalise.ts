/**
 * Text normalisation for the safety screen. Every rule and modifier matches against the
 * output of `normalise`, and every offset in a verdict refers to it.
 *
 * Steps: NFKC; fold curly quotes, primes and dashes; drop zero-width characters and Markdown
 * emphasis marks ("**lethal** _dose_"); lowercase;
 * split word-internal hyphens ("self-harm" -> "self harm"); set punctuation and quote marks
 * apart from words (a line break counts as a full stop); squeeze letters repeated three or more times; restore missing
 * apostrophes and expand common chat spellings ("hes" -> "he's", "gonna" -> "going to");
 * fold digits standing in for letters ("k1ll" -> "kill"); join letters spelled out one by one
 * ("d i e" -> "die"); collapse whitespace.
 */

const SINGLE_QUOTES = /[\u2018\u2019\u201A\u201B\u02BC\u02B9\u2032\u2035\u0060\u00B4\uFF07]/g;
const DOUBLE_QUOTES = /[\u201C\u201D\u201E\u201F\u2033\u2036\u00AB\u00BB\uFF02]/g;
const DASHES = /[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/g;
const INVISIBLE = /[\u200B-\u200F\u2060-\u2064\uFEFF\u00AD\u034F\u180E]/g;
/** Markdown emphasis, strike-through and code marks: "**lethal** **dose**" reads as "lethal dose". */
const EMPHASIS = /[*_~`]+/g;
const WORD_HYPHEN = /(?<=[a-z])-(?=[a-z])/g;
const PUNCTUATION = /([!?;:,()"[\]{}…]|(?<!\d)\.|\.(?!\d))/g;
const LINE_BREAKS = /[\r\n\u2028\u2029]+/g;
const QUOTE_BEFORE = /(^|\s)'+/g;
const QUOTE_AFTER = /'+(?=\s|$)/g;
const REPEATS = /([a-z])\1{2,}/g;
const SPACES = /\s+/g;

/** Single words rewritten as a whole (missing apostrophes, chat spellings). */
const WORDS: Readonly<Record<string, string>> = {
  hes: "he's", shes: "she's", im: "i'm", ive: "i've", id: "i'd", youre: "you're", theyre: "they're",
  thats: "that's", whats: "what's", wheres: "where's", theres: "there's", hed: "he'd", shed: "she'd",
  dont: "don't", doesnt: "doesn't", didnt: "didn't", cant: "can't", wont: "won't", isnt: "isn't",
  wasnt: "wasn't", arent: "aren't", werent: "weren't", hasnt: "hasn't", havent: "haven't", hadnt: "hadn't",
  wouldnt: "wouldn't", couldnt: "couldn't", shouldnt: "shouldn't", mustnt: "mustn't", aint: "ain't",
  'i’m': "i'm", u: 'you', ur: 'your', r: 'are', gonna: 'going to', wanna: 'want to', gotta: 'got to',
  tryna: 'trying to', coz: 'because', cos: 'because', cuz: 'because', bc: 'because', abt: 'about',
  tmrw: 'tomorrow', tmr: 'tomorrow', tomoz: 'tomorrow', tonite: 'tonight', '2nite': 'tonight',
  rn: 'right now', idk: "i don't know", dunno: "don't know", kinda: 'kind of', ppl: 'people',
  himslef: 'himself', hisself: 'himself', myslef: 'myself', mself: 'myself', selfharm: 'self harm',
  selfharming: 'self harming', selfharmed: 'self harmed', unalive: 'unalive', alot: 'a lot',
};

/** Digits and symbols standing in for letters inside a word ("k1ll", "mys3lf", "d!e"): folded back. */
const LEET: Readonly<Record<string, string>> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's' };
/** A letter next to the stand-in, and not a time, ordinal or plural number (4pm, 2nd, 1990s). */
const LEET_WORD = /^(?!\d+(?:am|pm|st|nd|rd|th|s|k|m|h|x)$)(?=.*(?:[a-z][013457@$]|[013457@$][a-z]))[a-z013457@$']+$/;
const LEET_CHARS = /[013457@$]/g;

/** "ill" is a word, so it only becomes "i'll" before a verb. */
const ILL_BEFORE = new Set([
  'kill', 'hurt', 'do', 'be', 'just', 'never', 'end', 'go', 'take', 'make', 'have', 'run', 'call', 'leave',
  'get', 'try', 'stop', 'jump', 'cut', 'probably', 'definitely', 'literally', 'actually', 'really', 'throttle',
  'murder', 'strangle', 'smash', 'hit', 'lose', 'snap', 'break', 'walk', 'drive', 'disappear',
]);

/** Plain ASCII has no compatibility forms, curly quotes, odd dashes or invisible characters to fold. */
const ASCII = /^[\x00-\x7f]*$/;

function foldUnicode(text: string): string {
  return text.normalize('NFKC')
    .replace(INVISIBLE, '')
    .replace(SINGLE_QUOTES, "'")
    .replace(DOUBLE_QUOTES, '"')
    .replace(DASHES, '-');
}

export function normalise(text: string): string {
  let s = ASCII.test(text) ? text : foldUnicode(text);
  // Each pass below is skipped when its character is absent: most messages have no line
  // breaks, emphasis marks, hyphens or quotes, and the screen normalises every message.
  if (HAS_LINE_BREAK.test(s)) s = s.replace(LINE_BREAKS, ' . ');
  if (HAS_EMPHASIS.test(s)) s = s.replace(EMPHASIS, ' ');
  s = s.toLowerCase();
  if (s.includes('-')) s = s.replace(WORD_HYPHEN, ' ');
  s = s.replace(PUNCTUATION, ' $1 ');
  if (s.includes("'")) s = s.replace(QUOTE_BEFORE, "$1' ").replace(QUOTE_AFTER, " '");
  s = s.replace(REPEATS, '$1$1').replace(SPACES, ' ').trim();
  if (s === '') return s;
  const split = s.split(' ');
  const words = joinSpelledOut(split);
  let changed = words.length !== split.length;
  const leetish = MAYBE_LEET.test(s);
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const mapped = WORDS[w] ?? (leetish && MAYBE_LEET.test(w) && LEET_WORD.test(w) ? w.replace(LEET_CHARS, (c) => LEET[c]!) : undefined);
    if (mapped !== undefined) {
      words[i] = mapped;
      changed = true;
    } else if (w === 'ill' && ILL_BEFORE.has(words[i + 1] ?? '')) {
      words[i] = "i'll";
      changed = true;
    }
  }
  if (changed) s = words.join(' ');
  return s;
}

const HAS_LINE_BREAK = /[\r\n\u2028\u2029]/;
const HAS_EMPHASIS = /[*_~`]/;
const MAYBE_LEET = /[013457@$]/;

/** Single letters that are words of their own in chat ("u r a liar", "i"): a run of only these is left alone. */
const LETTER_WORDS = new Set(['a', 'i', 'u', 'r', 'y', 'n', 'o']);
const LETTER = /^[a-z0-9@$]$/;

/**
 * Joins a run of three or more single letters into one word ("e f f e c t i v e" ->
 * "effective"), so spacing a word out letter by letter does not hide it from the screen.
 */
function joinSpelledOut(words: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length;) {
    let j = i;
    while (j < words.length && words[j]!.length === 1 && LETTER.test(words[j]!)) j++;
    if (j - i < 3) {
      out.push(words[i]!);
      i++;
      continue;
    }
    const run = words.slice(i, j);
    if (!run.every((w) => LETTER_WORDS.has(w))) {
      out.push(run.join(''));
      i = j;
    } else {
      out.push(words[i]!);
      i++;
    }
  }
  return out;
}

/** A word repeated more than this many times in a row says nothing more; the rest of the run is dropped. */
export const MAX_RUN = 4;

/** More punctuation or symbols than this in a row ("!?!?!?…", a wall of emoji) is cut to this many. */
export const MAX_SYMBOLS = 8;
const SYMBOL_RUN = new RegExp(`[^\\p{L}\\p{N}\\s]{${MAX_SYMBOLS + 1},}`, 'gu');

/**
 * Her text with long runs of one word ("die die die …", "don't don't …") cut to MAX_RUN and
 * long runs of punctuation cut to MAX_SYMBOLS, so a pathological message costs what a short
 * one does. Words are compared ignoring case and trailing punctuation. Nothing a rule or the
 * learned layer reads is lost: every phrase of up to MAX_RUN words in a run is still there
 * (the learned layer reads pairs), and a run of marks still ends the sentence it ends.
 */
export function collapseRuns(text: string): string {
  if (text.length < 64) return text; // too short to hold a run that costs anything
  const squeezed = text.replace(SYMBOL_RUN, (run) => [...run].slice(0, MAX_SYMBOLS).join(''));
  // Nearly every message has no run: plain ASCII is checked with a quick scan first.
  return ASCII.test(squeezed) && !hasLongRun(squeezed) ? squeezed : dropLongRuns(squeezed);
}

/** ASCII whitespace, as \s matches it. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** A word said more than MAX_RUN times in a row, found without building the word list (ASCII text). */
function hasLongRun(text: string): boolean {
  let previousStart = -1;
  let previousEnd = -1;
  let run = 0;
  for (let i = 0; i < text.length;) {
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    const start = i;
    while (i < text.length && !isSpace(text.charCodeAt(i))) i++;
    if (start === i) break;
    const end = keyEnd(text, start, i);
    run = end > start && previousStart >= 0 && sameKey(text, previousStart, previousEnd, start, end) ? run + 1 : 1;
    if (run > MAX_RUN) return true;
    previousStart = start;
    previousEnd = end;
  }
  return false;
}

/** Where a word's key ends: trailing . , ! ? ; : do not count. */
function keyEnd(text: string, start: number, end: number): number {
  while (end > start && '.,!?;:'.includes(text[end - 1]!)) end--;
  return end;
}

function sameKey(text: string, aStart: number, aEnd: number, bStart: number, bEnd: number): boolean {
  if (aEnd - aStart !== bEnd - bStart) return false;
  for (let k = 0; k < aEnd - aStart; k++) {
    const a = text.charCodeAt(aStart + k) | (isUpper(text.charCodeAt(aStart + k)) ? 32 : 0);
    const b = text.charCodeAt(bStart + k) | (isUpper(text.charCodeAt(bStart + k)) ? 32 : 0);
    if (a !== b) return false;
  }
  return true;
}

function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}

function dropLongRuns(squeezed: string): string {
  const parts = squeezed.split(/(\s+)/);
  let previous = '';
  let run = 0;
  let dropped = false;
  const kept: string[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    const word = parts[i]!;
    const key = word.toLowerCase().replace(/[.,!?;:]+$/, '');
    run = key !== '' && key === previous ? run + 1 : 1;
    previous = key;
    if (run > MAX_RUN) {
      dropped = true;
      continue;
    }
    if (kept.length) kept.push(parts[i - 1]!);
    kept.push(word);
  }
  return dropped ? kept.join('') : squeezed;
}
