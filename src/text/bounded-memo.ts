/**
 * A memo for work done on every message: words recur from message to message (feature ids,
 * which rules a word anchors), and so do whole texts (her earlier messages, read again at
 * every turn for the names in them), so each is worked out once. Bounded two ways: it starts
 * again when full, and keys longer than `longestKey` (text run together, pasted junk) are
 * never kept.
 */
export class BoundedMemo<T> {
  private readonly entries = new Map<string, T>();

  constructor(
    private readonly limit = 50_000,
    private readonly longestKey = 40,
  ) {}

  get(key: string, compute: (key: string) => T): T {
    const known = this.entries.get(key);
    if (known !== undefined) return known;
    const value = compute(key);
    if (key.length > this.longestKey) return value;
    if (this.entries.size >= this.limit) this.entries.clear();
    this.entries.set(key, value);
    return value;
  }
}
