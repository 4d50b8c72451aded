import type { HelpResource, Region, RiskSubject, SafetyLevel, SafetyResponse, SafetyVerdict } from '../safety/index.js';

export interface ScreenResult {
  verdict: SafetyVerdict;
  response: SafetyResponse;
  /** She asked about methods or means: never answered. */
  methodQuestion: boolean;
}

export interface CarriedSafety {
  from: string;
  notice: string;
  resources: HelpResource[];
}

/** The chat path's view of safety: screen her message in the light of the conversation so far. */
export interface SafetyGate {
  /** Screens her new message and advances the conversation's safety state. */
  screen(conversationId: string, text: string, region: Region, options?: { spokenToHim?: boolean }): ScreenResult;
  /** The standing result of her last message, for turns with no new text (regenerate, end rehearsal). */
  current(conversationId: string, region: Region): ScreenResult;
  /** A later layer (the model's second opinion) raises the verdict on her last message; never lowers it. */
  raise(conversationId: string, raised: { level: SafetyLevel; subject: RiskSubject; note: string }, region: Region): ScreenResult;
  /**
   * A new conversation: when one of her recent conversations stands at high or crisis (and
   * she has not dismissed it), that level holds here too. Returns what was carried, if anything.
   */
  carryInto?(conversationId: string, ownerId: string, region: Region): CarriedSafety | undefined;
  /** She dismissed the carried notice ("things are safe now"): no standing conversation of hers follows her any more. */
  dismissCarry?(ownerId: string, fromConversationId: string): boolean;
  /** The rail for model output (`task` wrote it): false means the text must not reach her. */
  checkOutput(text: string, task?: string): { ok: boolean; reasons: string[] };
}
