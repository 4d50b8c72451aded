/**
 * localStorage, wrapped: private browsing or a full disk must never break the page,
 * so every read and write is allowed to fail quietly.
 */
const PREFIX = 'mend.';

export function readJson<T>(key: string, fallback: T): T {
  try {
    const raw = localStorage.getItem(PREFIX + key);
    return raw === null ? fallback : (JSON.parse(raw) as T);
  } catch {
    return fallback;
  }
}

export function writeJson(key: string, value: unknown): void {
  try {
    localStorage.setItem(PREFIX + key, JSON.stringify(value));
  } catch { /* storage full or unavailable */ }
}

export function readString(key: string): string | null {
  try {
    return localStorage.getItem(PREFIX + key);
  } catch {
    return null;
  }
}

export function writeString(key: string, value: string): void {
  try {
    localStorage.setItem(PREFIX + key, value);
  } catch { /* storage full or unavailable */ }
}

export function remove(key: string): void {
  try {
    localStorage.removeItem(PREFIX + key);
  } catch { /* unavailable */ }
}

/** Unsent drafts, one per conversation ("new" for a conversation not started yet). */
export const drafts = {
  key: (conversationId: string | null) => `draft.${conversationId ?? 'new'}`,
  get(conversationId: string | null): string {
    return readString(this.key(conversationId)) ?? '';
  },
  set(conversationId: string | null, text: string): void {
    if (text.trim()) writeString(this.key(conversationId), text);
    else remove(this.key(conversationId));
  },
  move(from: string | null, to: string): void {
    const text = this.get(from);
    remove(this.key(from));
    if (text) this.set(to, text);
  },
};
