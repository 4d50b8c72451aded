import { MendError } from '../protocol/errors.js';
import type { ConversationState } from '../store/state-slot.js';
import type { ChatModel, ModelRequest } from '../llm/chat-model.js';
import type { ConversationRecord, MessageRecord } from '../protocol/records.js';
import type { Region, SafetyVerdict } from '../protocol/safety.js';
import type { ChatMode, ReplyMeta } from '../protocol/frames.js';

/** How many of the latest messages a turn reads; far more than any prompt or rule looks back over. */
export const HISTORY_WINDOW = 200;

/** Per-conversation state a mode keeps between turns (memory, rehearsal scene…), one typed slot per concern. */
export type ModeState = ConversationState;

export interface TurnContext {
  conversation: ConversationRecord;
  /** Whose conversation this is: what she keeps across conversations is scoped by it. */
  ownerId: string;
  /**
   * The conversation's most recent messages in order (up to HISTORY_WINDOW), her new one last
   * (when the turn has one). A turn never reads the whole conversation, so its cost does not
   * grow with it: what must outlast the window lives in state slots (memory facts, the rolling
   * summary, the rehearsal scene).
   */
  history: MessageRecord[];
  /** Her new message; empty for actions (end rehearsal, rewind) and regenerate. */
  userText: string;
  verdict: SafetyVerdict;
  region: Region;
  options: Record<string, unknown> | undefined;
  state: ModeState;
  model: ChatModel;
  signal: AbortSignal;
  /**
   * Deletes stored messages of this conversation and drops them from `history` (rehearsal
   * rewind: her last line and the replies after it). Ids from other conversations are ignored.
   */
  forget?(messageIds: string[]): void;
}

/**
 * One reply to write: either what to ask the model for, or a fixed, reviewed text (the
 * crisis reply) that no model touches. `meta` is what the reply carries besides its text.
 */
export type ReplyPlan =
  | { request: ModelRequest; meta: Partial<ReplyMeta> }
  | { fixedText: string; meta: Partial<ReplyMeta> };

export type ModeAction = 'rehearsal.end' | 'rehearsal.rewind';

export interface ChatModeHandler {
  readonly id: ChatMode;
  /** One or more replies for this turn, in order (rehearsal: his line, then a coach note). */
  plan(ctx: TurnContext): Promise<ReplyPlan[]>;
  /** Called with each finished reply's text, for memory and summaries. */
  finish?(ctx: TurnContext, plan: ReplyPlan, replyText: string): Promise<void>;
  /**
   * Whether this mode takes a message she sent in mode `from` (referral takes a coaching
   * message that asks for help). The engine asks every mode; none is named.
   */
  claims?(from: ChatMode, earlier: MessageRecord[], text: string): boolean;
  /**
   * Checks her options for this message before anything is stored; throws ModeInputError
   * for one it could not use (a rehearsal without a scene). `state` is empty for a new conversation.
   */
  checkOptions?(options: Record<string, unknown> | undefined, state: Pick<ModeState, 'read'>): void;
  /** Actions that carry no text of hers. */
  action?(ctx: TurnContext, action: ModeAction): Promise<ReplyPlan[]>;
}

/** Her mode options (a rehearsal scene, his age…) are not usable: she is told which and why. */
export class ModeInputError extends MendError {
  constructor(message: string) {
    super('bad_frame', message);
  }
}
