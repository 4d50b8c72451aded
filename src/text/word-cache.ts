/**
 * A per-word memo for work done on every message (feature ids, which rules a word anchors):
 * words recur from message to message, so each is worked out once. Bounded two ways: it
 * starts again when full, and longer "words" (text run together, pasted junk) are never kept.
 */
export class WordCache<T> {
  private readonly entries = new Map<string, T>();

  constructor(
    private readonly limit = 50_000,
    private readonly longestWord = 40,
  ) {}

  get(word: string, compute: (word: string) => T): T {
    const known = this.entries.get(word);
    if (known !== undefined) return known;
    const value = compute(word);
    if (word.length > this.longestWord) return value;
    if (this.entries.size >= this.limit) this.entries.clear();
    this.entries.set(word, value);
    return value;
  }
}
