/**
 * Turns a message into hashed features, fastText-style: words, word pairs, and character
 * n-grams of each word with its edges marked ("<hes>" → "<he", "hes", "es>"), so a typo, a
 * missing apostrophe or an unseen ending still shares most of its features with the words
 * the model was trained on. Everything is hashed into a fixed number of buckets, so the model
 * has a fixed size whatever the vocabulary.
 */
import { BoundedMemo } from '../text/bounded-memo.js';

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
const ASCII_WORD = /[a-z0-9'@$]+/g;
const LEETISH = /[\d@$]/;
const REPEAT = /(.)\1{2,}/g;
const REPEATED = /(.)\1{2,}/;

/** Lowercase words: quotes folded, invisible characters gone, leetspeak inside words undone ("k1ll" → "kill"). */
export function wordsOf(text: string): string[] {
  const ascii = ASCII.test(text);
  const clean = (ascii ? text : text.normalize('NFKC').replace(INVISIBLE, '').replace(SINGLE_QUOTES, "'")).toLowerCase();
  // For plain ASCII the Unicode classes are just letters and digits, and a non-Unicode pattern runs faster.
  const words = clean.match(ascii ? ASCII_WORD : WORD) ?? [];
  const out: string[] = [];
  for (const raw of words) {
    // Most words are plain letters: one scan decides whether any rewrite below can apply.
    const word = needsRewrite(raw) ? rewrite(raw) : raw;
    if (word) out.push(word);
  }
  return out;
}

/** An apostrophe, a digit, @ or $, or a character three times in a row. */
function needsRewrite(word: string): boolean {
  let previous = -1;
  let run = 0;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c === 39 || c === 36 || c === 64 || (c >= 48 && c <= 57)) return true;
    run = c === previous ? run + 1 : 1;
    if (run >= 3) return true;
    previous = c;
  }
  return false;
}

function rewrite(word: string): string {
  let raw = word;
  if (raw.includes("'")) raw = raw.replace(/'/g, '');
  if (LEETISH.test(raw)) raw = /^[\d@$]+$/.test(raw) ? '#' : /^\d+(?:am|pm|st|nd|rd|th|s|k|m|h|x)$/.test(raw) ? raw : raw.replace(LEET_CHARS, (c) => LEET[c]!);
  if (REPEATED.test(raw)) raw = raw.replace(REPEAT, "$1$1");
  return raw;
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
  const words = wordsOf(text);
  const cached = words.map((word) => wordFeaturesOf(word, config, mask));
  let most = 1;
  for (const own of cached) most += own.ids.length + config.wordNgrams - 1;
  const ids = new DistinctIds(most);
  for (let i = 0; i < words.length; i++) {
    const own = cached[i]!;
    ids.add(own.ids[0]!);
    if (config.wordNgrams >= 2 && i + 1 < words.length) ids.add(finish(continueHash(own.pairState, words[i + 1]!), 2) & mask);
    if (config.wordNgrams >= 3) longerGrams(words, i, config.wordNgrams, mask, ids);
    for (let j = 1; j < own.ids.length; j++) ids.add(own.ids[j]!);
  }
  if (words.length === 0) ids.add(hash('<empty>', 9) & mask);
  return ids.result();
}

function longerGrams(words: readonly string[], i: number, longest: number, mask: number, ids: DistinctIds): void {
  let gram = `${words[i]!} ${words[i + 1]}`;
  for (let n = 3; n <= longest && i + n <= words.length; n++) {
    gram += ` ${words[i + n - 1]}`;
    ids.add(hash(gram, n) & mask);
  }
}

function continueHash(h: number, text: string): number {
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h;
}

/** A word's own feature ids (the word, then its character n-grams) and the hash state a pair starting with it continues from. */
interface WordFeatures {
  ids: number[];
  pairState: number;
}

/** Each word's ids, computed once per feature setting. */
const wordCaches = new WeakMap<FeatureConfig, BoundedMemo<WordFeatures>>();

function wordFeaturesOf(word: string, config: FeatureConfig, mask: number): WordFeatures {
  let cache = wordCaches.get(config);
  if (!cache) wordCaches.set(config, (cache = new BoundedMemo()));
  return cache.get(word, () => {
    const ids = [hash(word, 1) & mask];
    if (config.charMin > 0) addCharGrams(word, config, mask, ids);
    return { ids, pairState: continueHash((FNV_OFFSET ^ 2) >>> 0, `${word} `) };
  });
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
 * Collects ids without repeats, keeping first-seen order, in an open-addressing set sized to
 * the message: a few kilobytes that stay in cache, where a stamp per bucket was a megabyte
 * of scattered writes. Slots hold id + 1, so 0 means empty.
 */
let slotStore = new Uint32Array(1024);

class DistinctIds {
  private readonly slots: Uint32Array;
  private readonly slotMask: number;
  private readonly out: Uint32Array;
  private n = 0;

  constructor(most: number) {
    let size = 256;
    while (size < most * 2) size *= 2;
    if (size > slotStore.length) slotStore = new Uint32Array(size);
    this.slots = slotStore.subarray(0, size);
    this.slots.fill(0);
    this.slotMask = size - 1;
    this.out = new Uint32Array(most);
  }

  add(id: number): void {
    const slots = this.slots;
    let at = (Math.imul(id, 0x9e3779b1) >>> 0) & this.slotMask;
    while (slots[at] !== 0) {
      if (slots[at] === id + 1) return;
      at = (at + 1) & this.slotMask;
    }
    slots[at] = id + 1;
    this.out[this.n++] = id;
  }

  result(): Uint32Array {
    return this.out.subarray(0, this.n);
  }
}
