import { z } from 'zod';
import { ChatMode, ReplyMeta, ReplyStatus } from './frames.js';
import { SafetyLevel } from './safety.js';

export const MessageRole = z.enum(['user', 'assistant', 'safety']);
export type MessageRole = z.infer<typeof MessageRole>;

export const ConversationRecord = z.object({
  id: z.string(),
  title: z.string(),
  mode: ChatMode,
  safetyLevel: SafetyLevel,
  /** A crisis happened here: the help banner stays for the rest of the conversation. */
  banner: z.boolean(),
  /** "Don't keep this": held in memory only, never written to disk, gone when Mend restarts. */
  private: z.boolean(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type ConversationRecord = z.infer<typeof ConversationRecord>;

export const MessageRecord = z.object({
  id: z.string(),
  conversationId: z.string(),
  seq: z.number().int(),
  role: MessageRole,
  text: z.string(),
  mode: ChatMode,
  safetyLevel: SafetyLevel,
  status: ReplyStatus,
  clientId: z.string().nullable(),
  meta: ReplyMeta,
  createdAt: z.number(),
});
export type MessageRecord = z.infer<typeof MessageRecord>;
