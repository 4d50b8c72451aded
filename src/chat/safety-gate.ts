import type { HelpResource, Region, RiskSubject, SafetyLevel, SafetyResponse, SafetyVerdict } from '../safety/index.js';

export interface ScreenResult {
  verdict: SafetyVerdict;
  response: SafetyResponse;
  /** She asked about methods or means: never answered. */
  methodQuestion: boolean;
}

/**
 * Her new message screened, nothing stored yet: the chat path stores her message and calls
 * `save` in one transaction, so a failed write neither loses her message nor counts a turn.
 */
export interface PendingScreen extends ScreenResult {
  /** Writes the conversation's safety state after this message (the tracker and this verdict). */
  save(): void;
  /** A later layer (the model's second opinion) raises this verdict; never lowers it. Still unsaved. */
  raise(raised: { level: SafetyLevel; subject: RiskSubject; note: string }, region: Region): PendingScreen;
}

export interface CarriedSafety {
  from: string;
  notice: string;
  resources: HelpResource[];
  /** The standing level and who was at risk, which the new conversation starts from. */
  level: SafetyLevel;
  atRisk: RiskSubject[];
}

/** The chat path's view of safety: screen her message in the light of the conversation so far. */
export interface SafetyGate {
  /**
   * Screens her new message in the light of the conversation's safety state (or, in a new
   * conversation, of what was carried into it); writes nothing until `save`.
   */
  screen(conversationId: string, text: string, region: Region, options?: { spokenToHim?: boolean; carried?: CarriedSafety }): PendingScreen;
  /** The standing result of her last message, for turns with no new text (regenerate, end rehearsal). */
  current(conversationId: string, region: Region): ScreenResult;
  /**
   * A new conversation: when one of her recent conversations stands at high or crisis (and
   * she has not dismissed it), that level holds here too. Returns what was carried, if anything,
   * for `screen` to start from; writes nothing.
   */
  carryInto?(conversationId: string, ownerId: string, region: Region): CarriedSafety | undefined;
  /** She dismissed the carried notice ("things are safe now"): no standing conversation of hers follows her any more. */
  dismissCarry?(ownerId: string, fromConversationId: string): boolean;
  /** The rail for model output (`task` wrote it): false means the text must not reach her. */
  checkOutput(text: string, task?: string): { ok: boolean; reasons: string[] };
}
