import type { z } from 'zod';

/**
 * One concern's piece of a conversation's state (the coach's flow, the rehearsal scene, the
 * safety tracker…): a key, a version and the zod schema of what is kept there. The store reads
 * a slot back only when the stored version matches and the value passes the schema; anything
 * else (a corrupt value, one written by an older Mend) reads as absent, so the feature starts
 * that piece afresh instead of running on a cast.
 */
export interface StateSlot<T> {
  readonly key: string;
  readonly version: number;
  readonly schema: z.ZodType<T>;
}

export function stateSlot<T>(key: string, version: number, schema: z.ZodType<T>): StateSlot<T> {
  return { key, version, schema };
}

/** How a slot is kept inside the conversation's state JSON. */
export interface StoredSlot {
  v: number;
  data: unknown;
}

export function decodeSlot<T>(slot: StateSlot<T>, stored: unknown): T | undefined {
  if (!isStoredSlot(stored) || stored.v !== slot.version) return undefined;
  const parsed = slot.schema.safeParse(stored.data);
  return parsed.success ? parsed.data : undefined;
}

function isStoredSlot(value: unknown): value is StoredSlot {
  return typeof value === 'object' && value !== null && 'v' in value && 'data' in value;
}

/** A conversation's slots, read and written through one view (what modes get as `ctx.state`). */
export interface ConversationState {
  read<T>(slot: StateSlot<T>): T | undefined;
  write<T>(slot: StateSlot<T>, value: T | undefined): void;
}

export function conversationState(
  store: { readSlot<T>(id: string, slot: StateSlot<T>): T | undefined; writeSlot<T>(id: string, slot: StateSlot<T>, value: T | undefined): void },
  conversationId: string,
): ConversationState {
  return {
    read: (slot) => store.readSlot(conversationId, slot),
    write: (slot, value) => store.writeSlot(conversationId, slot, value),
  };
}

/** A state held in a Map, for planning outside a stored conversation (benchmarks, tests). */
export function memoryState(): ConversationState {
  const slots = new Map<string, StoredSlot>();
  return {
    read: (slot) => decodeSlot(slot, slots.get(slot.key)),
    write: (slot, value) => {
      if (value === undefined) slots.delete(slot.key);
      else slots.set(slot.key, { v: slot.version, data: value });
    },
  };
}
