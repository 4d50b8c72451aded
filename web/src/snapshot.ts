import type { ViewMessage } from './transcript.js';
import type { Message } from './types.js';

export function toView(m: Message): ViewMessage {
  return {
    key: m.id, role: m.role, text: m.text, status: m.status, mode: m.mode, meta: m.meta ?? {}, createdAt: m.createdAt, clientId: m.clientId,
  };
}

/**
 * Counts frames and remembers when each message last changed. A copy of the conversation read
 * from the server is already old when it arrives; this tells what changed while it was on its way.
 */
export class FrameClock {
  private count = 0;
  private readonly touched = new Map<string, number>();

  get now(): number {
    return this.count;
  }

  /** A frame arrived; `key` is the message it changed, if any. */
  tick(key: string | null): void {
    this.count += 1;
    if (key) this.touched.set(key, this.count);
  }

  /** A message the page made itself (an error note) counts as changed by the latest frame. */
  touch(key: string): void {
    this.touched.set(key, this.count);
  }

  changedSince(key: string, since: number): boolean {
    return (this.touched.get(key) ?? -1) >= since;
  }
}

/**
 * The server's copy of the conversation merged with what the page learnt after asking for it
 * (`changed`): a reply streamed or finished meanwhile, her message acknowledged meanwhile, and
 * her messages still waiting in the outbox (`pending`).
 */
export function mergeSnapshot(messages: Message[], local: ViewMessage[], pending: ViewMessage[], changed: (key: string) => boolean): ViewMessage[] {
  const localByKey = new Map(local.map((v) => [v.key, v]));
  const snapshot = messages.map(toView).map((v) => {
    const l = localByKey.get(v.key);
    if (!l || l.role !== 'assistant' || v.status !== 'streaming') return v;
    if (l.status !== 'streaming') return l; // it finished after the copy was taken
    return l.text.length > v.text.length && l.text.startsWith(v.text) ? { ...v, text: l.text, meta: { ...v.meta, ...l.meta } } : v;
  });
  const snapshotKeys = new Set(snapshot.map((v) => v.key));
  // A live safety notice is keyed by her message's id; the stored one has its own id.
  let lastUserId: string | null = null;
  for (const v of snapshot) {
    if (v.role === 'user') lastUserId = v.key;
    else if (v.role === 'safety' && lastUserId) snapshotKeys.add(`safety:${lastUserId}`);
  }
  const merged = [...snapshot];
  for (const l of local) {
    if (snapshotKeys.has(l.key) || l.key.startsWith('pending:')) continue;
    if (changed(l.key)) merged.push(l);
  }
  for (const p of pending) {
    if (messages.some((m) => m.clientId === p.clientId)) continue;
    if (!merged.some((v) => v.key === p.key)) merged.push(p);
  }
  return merged;
}

/**
 * Which reply is still being written: the server's word, unless the merged copy shows it
 * ended; else the one the page was following, if it streamed after the copy was taken.
 */
export function stillWriting(serverActive: string | null, following: string | null, merged: ViewMessage[], changed: (key: string) => boolean): string | null {
  let active = serverActive;
  if (active && merged.find((v) => v.key === active)?.status !== 'streaming' && merged.some((v) => v.key === active)) active = null;
  if (!active && following && changed(following) && merged.find((v) => v.key === following)?.status === 'streaming') active = following;
  return active;
}
