/**
 * localStorage, wrapped: private browsing or a full disk must never break the page,
 * so every read and write is allowed to fail quietly.
 */
const PREFIX = 'mend.';

/**
 * Conversations she asked Mend not to keep ("new" for one not started yet). Keys that end in
 * such a conversation's id (its draft, rehearsal settings, unsaved brief edit) live in this
 * page's memory instead of localStorage, so nothing of it is written to this computer.
 */
const unkept = new Set<string>();
const memory = new Map<string, string>();

function isUnkept(key: string): boolean {
  return unkept.has(key.slice(key.lastIndexOf('.') + 1));
}

/** Keeps a conversation's keys in memory only (moving any already written), or back in localStorage. */
export function keepInMemoryOnly(scope: string, on: boolean): void {
  if (on === unkept.has(scope)) return;
  const suffix = `.${scope}`;
  if (on) {
    for (const key of storedKeys().filter((k) => k.endsWith(suffix))) {
      const value = readString(key);
      remove(key);
      if (value !== null) memory.set(key, value);
    }
    unkept.add(scope);
  } else {
    unkept.delete(scope);
    for (const [key, value] of [...memory].filter(([k]) => k.endsWith(suffix))) {
      memory.delete(key);
      writeString(key, value);
    }
  }
}

function storedKeys(): string[] {
  try {
    return Object.keys(localStorage).filter((k) => k.startsWith(PREFIX)).map((k) => k.slice(PREFIX.length));
  } catch {
    return [];
  }
}

export function readJson<T>(key: string, fallback: T): T {
  try {
    const raw = readString(key);
    return raw === null ? fallback : (JSON.parse(raw) as T);
  } catch {
    return fallback;
  }
}

export function writeJson(key: string, value: unknown): void {
  if (value === undefined) remove(key);
  else writeString(key, JSON.stringify(value));
}

export function readString(key: string): string | null {
  if (isUnkept(key)) return memory.get(key) ?? null;
  try {
    return localStorage.getItem(PREFIX + key);
  } catch {
    return null;
  }
}

export function writeString(key: string, value: string): void {
  if (isUnkept(key)) {
    memory.set(key, value);
    return;
  }
  try {
    localStorage.setItem(PREFIX + key, value);
  } catch { /* storage full or unavailable */ }
}

export function remove(key: string): void {
  memory.delete(key);
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
