/**
 * Turns a message into hashed features, fastText-style: words, word pairs, and character
 * n-grams of each word with its edges marked ("<hes>" → "<he", "hes", "es>"), so a typo, a
 * missing apostrophe or an unseen ending still shares most of its features with the words
 * the model was trained on. Everything is hashed into a fixed number of buckets, so the model
 * has a fixed size whatever the vocabulary.
 */
export interface FeatureConfig {
  /** log2 of the number of hash buckets. */
  bucketBits: number;
  /** Word n-grams up to this length (1 = words only). */
  wordNgrams: number;
  /** Character n-gram lengths, inclusive; 0 turns them off. */
  charMin: number;
  charMax: number;
}

const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;
const SINGLE_QUOTES = /[\u2018\u2019\u201A\u201B\u02BC\u2032\u0060\u00B4]/g;
const LEET: Readonly<Record<string, string>> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', '$': 's' };
const LEET_CHARS = /[013457@$]/g;
const ASCII = /^[\x20-\x7e\n\r\t]*$/;
const WORD = /[\p{L}\p{N}'@$]+/gu;
const LEETISH = /[\d@$]/;
const REPEAT = /(.)\1{2,}/g;
const REPEATED = /(.)\1{2,}/;

/** Lowercase words: quotes folded, invisible characters gone, leetspeak inside words undone ("k1ll" → "kill"). */
export function wordsOf(text: string): string[] {
  const clean = (ASCII.test(text) ? text : text.normalize('NFKC').replace(INVISIBLE, '').replace(SINGLE_QUOTES, "'")).toLowerCase();
  const words = clean.match(WORD) ?? [];
  const out: string[] = [];
  for (let raw of words) {
    if (raw.includes("'")) raw = raw.replace(/'/g, '');
    if (LEETISH.test(raw)) raw = /^[\d@$]+$/.test(raw) ? '#' : /^\d+(?:am|pm|st|nd|rd|th|s|k|m|h|x)$/.test(raw) ? raw : raw.replace(LEET_CHARS, (c) => LEET[c]!);
    if (REPEATED.test(raw)) raw = raw.replace(REPEAT, "$1$1");
    if (raw) out.push(raw);
  }
  return out;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a over a string's UTF-16 units, seeded per kind of feature so a word and a word pair never collide by design. */
function hash(text: string, seed: number): number {
  let h = (FNV_OFFSET ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return finish(h, seed);
}

/** A final mix, so ids that differ only in their last unit still spread over the buckets. */
function finish(h: number, salt: number): number {
  h = Math.imul(h ^ salt ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The message's distinct feature ids, in the order first seen. */
export function featuresOf(text: string, config: FeatureConfig): Uint32Array {
  const mask = (1 << config.bucketBits) - 1;
  const ids: number[] = [];
  const words = wordsOf(text);
  for (let i = 0; i < words.length; i++) {
    let gram = words[i]!;
    ids.push(hash(gram, 1) & mask);
    for (let n = 2; n <= config.wordNgrams && i + n <= words.length; n++) {
      gram += ` ${words[i + n - 1]}`;
      ids.push(hash(gram, n) & mask);
    }
    if (config.charMin > 0) for (const id of charGramsOf(words[i]!, config, mask)) ids.push(id);
  }
  if (words.length === 0) ids.push(hash('<empty>', 9) & mask);
  return distinct(ids, mask + 1);
}

/** Words recur across messages, so each word's n-gram ids are computed once (a bounded cache per setting). */
const WORD_CACHE_LIMIT = 50_000;
/** Longer "words" (text run together, pasted junk) are not worth keeping, and would make the cache large. */
const LONGEST_CACHED_WORD = 40;
const wordCaches = new WeakMap<FeatureConfig, Map<string, number[]>>();

function charGramsOf(word: string, config: FeatureConfig, mask: number): number[] {
  let cache = wordCaches.get(config);
  if (!cache) wordCaches.set(config, (cache = new Map()));
  if (word.length > LONGEST_CACHED_WORD) {
    const ids: number[] = [];
    addCharGrams(word, config, mask, ids);
    return ids;
  }
  let ids = cache.get(word);
  if (!ids) {
    if (cache.size >= WORD_CACHE_LIMIT) cache.clear();
    ids = [];
    addCharGrams(word, config, mask, ids);
    cache.set(word, ids);
  }
  return ids;
}

/**
 * Character n-grams of "<word>", hashed as they are read: one pass from each start position
 * extends the hash a character at a time and keeps it at every length from charMin to
 * charMax, so no substring is ever built.
 */
function addCharGrams(word: string, config: FeatureConfig, mask: number, ids: number[]): void {
  const length = word.length + 2;
  const at = (i: number) => (i === 0 ? 60 : i === length - 1 ? 62 : word.charCodeAt(i - 1)); // < and >
  for (let start = 0; start + config.charMin <= length; start++) {
    let h = FNV_OFFSET;
    const end = Math.min(length, start + config.charMax);
    for (let i = start; i < end; i++) {
      h = Math.imul(h ^ at(i), FNV_PRIME);
      const n = i - start + 1;
      if (n >= config.charMin) ids.push(finish(h, 100 + n) & mask);
    }
  }
}

/**
 * Drops repeated ids without sorting: a stamp per bucket says whether this message has seen
 * it. Which messages share a table does not matter, since every call takes a fresh stamp.
 */
const seenTables = new Map<number, { seen: Uint32Array; stamp: number }>();

function distinct(ids: number[], buckets: number): Uint32Array {
  let table = seenTables.get(buckets);
  if (!table) seenTables.set(buckets, (table = { seen: new Uint32Array(buckets), stamp: 0 }));
  if (++table.stamp === 0xffffffff) {
    table.seen.fill(0);
    table.stamp = 1;
  }
  const { seen, stamp } = table;
  const out = new Uint32Array(ids.length);
  let n = 0;
  for (const id of ids) {
    if (seen[id] === stamp) continue;
    seen[id] = stamp;
    out[n++] = id;
  }
  return out.subarray(0, n);
}
