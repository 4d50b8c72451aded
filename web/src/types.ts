/**
 * The shapes the page exchanges with the server (REST and the /api/chat WebSocket).
 * Kept here, apart from the server's zod schemas, so the page builds on its own.
 */

export type Region = 'US' | 'UK' | 'CA' | 'AU' | 'IE' | 'NZ' | 'OTHER';
export const REGIONS: ReadonlyArray<{ id: Region; name: string }> = [
  { id: 'US', name: 'United States' },
  { id: 'UK', name: 'United Kingdom' },
  { id: 'CA', name: 'Canada' },
  { id: 'AU', name: 'Australia' },
  { id: 'IE', name: 'Ireland' },
  { id: 'NZ', name: 'New Zealand' },
  { id: 'OTHER', name: 'Other' },
];
export function isRegion(value: unknown): value is Region {
  return typeof value === 'string' && REGIONS.some((r) => r.id === value);
}

export type ChatMode = 'coach' | 'rehearse' | 'draft' | 'referral';
export type SafetyLevel = 'calm' | 'strained' | 'high' | 'crisis';
export type ReplyStatus = 'streaming' | 'complete' | 'stopped' | 'failed' | 'incomplete';
export type Voice = 'coach' | 'son' | 'coach-note' | 'debrief';
export type Temperament = 'withdrawn' | 'defensive' | 'explosive' | 'sarcastic' | 'willing';

export interface HelpResource {
  id: string;
  name: string;
  purpose: string[];
  phone?: string;
  text?: string;
  web?: string;
  hours?: string;
  source: string;
}

export interface Citation {
  id: string;
  stepId?: string;
  title: string;
}

export interface MessageMeta {
  citations?: Citation[];
  steps?: string[];
  voice?: Voice;
  fallback?: boolean;
  rating?: 'up' | 'down';
  resources?: HelpResource[];
  banner?: boolean;
  level?: SafetyLevel;
  /** Find help replies: what the reply does about her counsellor brief. */
  referral?: { brief?: BriefOffer; [key: string]: unknown };
  [key: string]: unknown;
}

/** What a Find help reply says about the brief: offers it, has just drafted it, points to it… */
export type BriefOffer = 'offer' | 'drafted' | 'ready' | 'declined' | 'none';

export interface Conversation {
  id: string;
  title: string;
  mode: ChatMode;
  safetyLevel: SafetyLevel;
  banner: boolean;
  /** She asked Mend not to keep it: held in the server's memory only, gone when it restarts. */
  private?: boolean;
  createdAt: number;
  updatedAt: number;
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

export interface Message {
  id: string;
  conversationId: string;
  seq: number;
  role: 'user' | 'assistant' | 'safety';
  text: string;
  mode: ChatMode;
  safetyLevel: SafetyLevel;
  status: ReplyStatus;
  clientId: string | null;
  meta: MessageMeta;
  createdAt: number;
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

export type ErrorCode =
  | 'bad_frame' | 'too_large' | 'not_found' | 'busy' | 'rate_limited' | 'storage' | 'internal'
  | 'model_auth' | 'model_rate_limited' | 'model_unavailable' | 'model_timeout' | 'model_stream_cut' | 'model_bad_request';

export type ClientFrame =
  | { type: 'send'; clientId: string; conversationId?: string; private?: boolean; text: string; mode: ChatMode; region?: Region; options?: Record<string, unknown> }
  | { type: 'stop'; conversationId: string }
  | { type: 'resume'; conversationId: string }
  | { type: 'regenerate'; conversationId: string; clientId: string }
  | { type: 'action'; conversationId: string; clientId: string; action: 'rehearsal.end' | 'rehearsal.rewind' }
  | { type: 'ping' };

export type ServerFrame =
  | { type: 'ack'; clientId: string; conversationId: string; messageId: string; duplicate: boolean }
  | { type: 'safety'; conversationId: string; messageId: string; level: SafetyLevel; atRisk: string[]; notice: string; resources: HelpResource[]; banner: boolean }
  | { type: 'reply.start'; conversationId: string; replyId: string; mode: ChatMode; provider: string; model: string; meta: MessageMeta }
  | { type: 'reply.delta'; conversationId: string; replyId: string; offset: number; text: string }
  | { type: 'reply.end'; conversationId: string; replyId: string; status: Exclude<ReplyStatus, 'streaming'>; text: string; meta: MessageMeta; error?: { code: ErrorCode; message: string } }
  | { type: 'error'; code: ErrorCode; message: string; clientId?: string; conversationId?: string }
  | { type: 'pong' };

export function isServerFrame(value: unknown): value is ServerFrame {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return typeof type === 'string' && ['ack', 'safety', 'reply.start', 'reply.delta', 'reply.end', 'error', 'pong'].includes(type);
}
