/**
 * Shapes only the page has. The protocol itself (frames, stored records, safety levels,
 * regions) is the server's src/protocol, imported type-only: esbuild erases those imports,
 * so no zod reaches the bundle, and tsc fails here when the server's shapes move.
 */
import type { ConversationRecord, HelpResource, MessageRecord, Region, ReplyMeta, SafetyLevel, ServerFrame } from '../../src/protocol/index.js';

// A Record, not a list, so that a region added on the server fails tsc until it has a name here.
const REGION_NAMES: Record<Region, string> = {
  US: 'United States',
  UK: 'United Kingdom',
  CA: 'Canada',
  AU: 'Australia',
  IE: 'Ireland',
  NZ: 'New Zealand',
  OTHER: 'Other',
};
export const REGIONS: ReadonlyArray<{ id: Region; name: string }> = (Object.keys(REGION_NAMES) as Region[])
  .map((id) => ({ id, name: REGION_NAMES[id] }));

export function isRegion(value: unknown): value is Region {
  return typeof value === 'string' && REGIONS.some((r) => r.id === value);
}

/** One kind of frame from the server, e.g. Frame<'reply.delta'>. */
export type Frame<T extends ServerFrame['type']> = Extract<ServerFrame, { type: T }>;

export type Voice = NonNullable<ReplyMeta['voice']>;

/** Kept here because the server's copy lives in its rehearsal feature, not in src/protocol. */
export type Temperament = 'withdrawn' | 'defensive' | 'explosive' | 'sarcastic' | 'willing';

/** What a Find help reply says about the brief: offers it, has just drafted it, points to it… */
export type BriefOffer = 'offer' | 'drafted' | 'ready' | 'declined' | 'none';

/**
 * A message's meta as the page reads it: the reply's own (partial, because a message still
 * on its way has none yet), plus what the server stores beside it: her rating, a safety
 * notice's level, help lines and banner, and what a Find help reply does about her brief.
 */
export type MessageMeta = Partial<ReplyMeta> & {
  rating?: 'up' | 'down';
  resources?: HelpResource[];
  banner?: boolean;
  level?: SafetyLevel;
  /** A safety note carried over from this earlier conversation; she can dismiss it. */
  carriedFrom?: string;
  referral?: { brief?: BriefOffer; [key: string]: unknown };
};

/** A stored message as GET /api/conversations/:id returns it, its meta read as above. */
export type Message = Omit<MessageRecord, 'meta'> & { meta: MessageMeta };

/** GET /api/conversations/:id: the conversation, its messages, and the reply still being written. */
export interface ConversationDetail {
  conversation: ConversationRecord;
  messages: Message[];
  activeReplyId: string | null;
}

/** Her counsellor brief, as GET/POST/PUT /api/conversations/:id/brief return it. */
export interface CounsellorBrief {
  markdown: string;
  createdAt: number;
  updatedAt: number;
  /** She has changed it since it was drafted. */
  edited: boolean;
}

/** One thing Mend remembers about her situation (his name, his age, what she has tried…). */
export interface MemoryFact {
  /** The server's key (son_name, son_age, topics, …): what a correction is sent under. */
  key: string;
  /** How she sees it: "His name", "What you have tried". */
  label: string;
  value: string;
}

/** What Mend remembers in a conversation, as GET/PUT /api/conversations/:id/memory return it. */
export interface ConversationMemory {
  facts: MemoryFact[];
  /** Mend's own summary of older turns, or null while the conversation is short. */
  summary: string | null;
}

export interface Health {
  status: string;
  provider: string;
  model: string;
  region: Region;
  version: string;
}

export interface StepCard {
  id: string;
  title: string;
  kind?: string;
  summary: string;
  markdown: string;
}

export interface RehearsalOptions {
  scene: string;
  age: number;
  temperament: Temperament;
  notes: boolean;
}
