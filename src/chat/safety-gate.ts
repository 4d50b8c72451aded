import type { Region, SafetyResponse, SafetyVerdict } from '../safety/index.js';

export interface ScreenResult {
  verdict: SafetyVerdict;
  response: SafetyResponse;
  /** She asked about methods or means: never answered. */
  methodQuestion: boolean;
}

/** The chat path's view of safety: screen her message in the light of the conversation so far. */
export interface SafetyGate {
  /** Screens her new message and advances the conversation's safety state. */
  screen(conversationId: string, text: string, region: Region): ScreenResult;
  /** The standing result of her last message, for turns with no new text (regenerate, end rehearsal). */
  current(conversationId: string, region: Region): ScreenResult;
  /** The rail for model output: false means the text must not reach her. */
  checkOutput(text: string): { ok: boolean; reasons: string[] };
}
