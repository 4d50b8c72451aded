import { z } from 'zod';
import { Region, SafetyLevel, RiskSubject, HelpResource } from './safety.js';

/**
 * The WebSocket protocol at /api/chat. Every frame in both directions is one of these
 * unions; README documents them for people writing clients.
 */
export const MAX_MESSAGE_CHARS = 8000;
/** Earlier versions of one reply kept when she asks for it again (and of her message when she edits it). */
export const MAX_REPLY_VERSIONS = 9;

/** An earlier version of a message: a reply written again, or her message before she edited it. */
export const MessageVersion = z.object({ text: z.string(), createdAt: z.number() });
export type MessageVersion = z.infer<typeof MessageVersion>;

export const ChatMode = z.enum(['coach', 'rehearse', 'draft', 'referral']);
export type ChatMode = z.infer<typeof ChatMode>;

/**
 * A new conversation's title says what kind it is, never her words: the list may be seen on a
 * shared family computer. She can rename it.
 */
export const NEUTRAL_TITLES: Record<ChatMode, string> = {
  coach: 'Coaching', rehearse: 'Rehearsal', draft: 'Draft check', referral: 'Finding help',
};

const Id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'ids are letters, digits, _ and -');
/** Her words, in a new message or an edited one: the same limits either way. */
const MessageText = z.string().trim().min(1, 'message is empty').max(MAX_MESSAGE_CHARS, `message is longer than ${MAX_MESSAGE_CHARS} characters`);

export const ClientFrame = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('send'),
    /** Chosen by the client; a resend with the same id is acknowledged, not stored twice. */
    clientId: Id,
    /** Omit to start a new conversation. */
    conversationId: Id.optional(),
    /** Starting a new conversation: keep it in memory only ("don't keep this"). */
    private: z.boolean().optional(),
    text: MessageText,
    mode: ChatMode.default('coach'),
    region: Region.optional(),
    /** Mode-specific settings, validated by the mode (e.g. rehearsal scene, age, temperament). */
    options: z.record(z.string(), z.unknown()).optional(),
  }),
  z.object({ type: z.literal('stop'), conversationId: Id }),
  /** After a reconnect: replay the reply in progress (if any) and follow it. */
  z.object({ type: z.literal('resume'), conversationId: Id }),
  /** Write the last reply again (after a failure, or because she wants another). */
  z.object({ type: z.literal('regenerate'), conversationId: Id, clientId: Id }),
  /** Her last message said differently: screened again, then answered again (acknowledged with `clientId`). */
  z.object({ type: z.literal('edit'), conversationId: Id, messageId: Id, clientId: Id, text: MessageText }),
  /** Mode actions that carry no text of hers: end a rehearsal, rewind her last line… */
  z.object({
    type: z.literal('action'),
    conversationId: Id,
    clientId: Id,
    action: z.enum(['rehearsal.end', 'rehearsal.rewind']),
  }),
  z.object({ type: z.literal('ping') }),
]);
export type ClientFrame = z.infer<typeof ClientFrame>;

export const ErrorCode = z.enum([
  'bad_frame',
  'too_large',
  'not_found',
  'busy',
  'rate_limited',
  'storage',
  'internal',
  'model_auth',
  'model_rate_limited',
  'model_unavailable',
  'model_timeout',
  'model_stream_cut',
  'model_bad_request',
  'model_unsafe_output',
  'model_length_cut',
  'model_filtered',
  'model_empty',
  'model_bad_response',
  'model_too_long',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const Citation = z.object({
  id: z.string(), // knowledge chunk or document id
  stepId: z.string().optional(), // one of the seven steps, when the chunk belongs to one
  title: z.string(),
});
export type Citation = z.infer<typeof Citation>;

/** A tappable reply under Mend's message: words to send as hers, or a mode to open. */
export const QuickReply = z.object({
  label: z.string().max(60),
  text: z.string().max(200).optional(),
  mode: ChatMode.optional(),
});
export type QuickReply = z.infer<typeof QuickReply>;

/** What a stored or streamed reply carries besides its text. */
export const ReplyMeta = z.object({
  citations: z.array(Citation).default([]),
  steps: z.array(z.string()).default([]),
  /** Rehearsal: whose voice this is; the page styles coach notes apart from the son's lines. */
  voice: z.enum(['coach', 'son', 'coach-note', 'debrief']).optional(),
  /** The turn fell back to guided mode because the model failed. */
  fallback: z.boolean().optional(),
  /** Two to four suggestions she can tap instead of typing (guided coach). */
  quickReplies: z.array(QuickReply).max(4).optional(),
  /**
   * Earlier versions, oldest first (1/2, 2/2): of a reply, what "write it again" replaced; of
   * her message, what it said before she edited it.
   */
  versions: z.array(MessageVersion).max(MAX_REPLY_VERSIONS).optional(),
  /** What the guided coach understood of her message, when its classifiers were sure enough. */
  understood: z.object({
    topic: z.string().optional(), intent: z.string().optional(), feeling: z.string().optional(), ending: z.string().optional(),
    /** The question-bank entry this reply answers. */
    answered: z.string().optional(),
  }).optional(),
}).passthrough();
export type ReplyMeta = z.infer<typeof ReplyMeta>;

export const ReplyStatus = z.enum(['streaming', 'complete', 'stopped', 'failed', 'incomplete']);
export type ReplyStatus = z.infer<typeof ReplyStatus>;

export const ServerFrame = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('ack'),
    clientId: z.string(),
    conversationId: z.string(),
    messageId: z.string(),
    duplicate: z.boolean(),
  }),
  z.object({
    type: z.literal('safety'),
    conversationId: z.string(),
    messageId: z.string(),
    level: SafetyLevel,
    atRisk: z.array(RiskSubject),
    notice: z.string(),
    resources: z.array(HelpResource),
    banner: z.boolean(),
    /** The notice carries a high or crisis level over from this earlier conversation; she can dismiss it. */
    carriedFrom: z.string().optional(),
  }),
  z.object({
    type: z.literal('reply.start'),
    conversationId: z.string(),
    replyId: z.string(),
    mode: ChatMode,
    provider: z.string(),
    model: z.string(),
    meta: ReplyMeta,
  }),
  z.object({
    type: z.literal('reply.delta'),
    conversationId: z.string(),
    replyId: z.string(),
    /** Character offset of `text` in the whole reply; lets a resumed client drop what it has. */
    offset: z.number().int().nonnegative(),
    text: z.string(),
  }),
  z.object({
    type: z.literal('reply.end'),
    conversationId: z.string(),
    replyId: z.string(),
    status: ReplyStatus.exclude(['streaming']),
    text: z.string(),
    meta: ReplyMeta,
    error: z.object({ code: ErrorCode, message: z.string() }).optional(),
  }),
  z.object({
    type: z.literal('error'),
    code: ErrorCode,
    message: z.string(),
    clientId: z.string().optional(),
    conversationId: z.string().optional(),
  }),
  z.object({ type: z.literal('pong') }),
]);
export type ServerFrame = z.infer<typeof ServerFrame>;
