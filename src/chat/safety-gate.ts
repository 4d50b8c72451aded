import type { Region, SafetyVerdict } from '../safety/verdict.js';

export interface SafetyResponse {
  /** Markdown shown above the reply; empty when there is nothing to say. */
  notice: string;
  /** Crisis: a fixed, reviewed reply that replaces the model's. */
  fixedReply?: string;
  banner: boolean;
  pauseRehearsal: boolean;
  suggestCounsellor: boolean;
}

export interface ScreenResult {
  verdict: SafetyVerdict;
  response: SafetyResponse;
  /** She asked about methods or means: never answered. */
  methodQuestion: boolean;
}

/** The chat path's view of safety: screen her message in the light of the conversation so far. */
export interface SafetyGate {
  screen(conversationId: string, text: string, region: Region): ScreenResult;
  /** The rail for model output: false means the text must not reach her. */
  checkOutput(text: string): { ok: boolean; reasons: string[] };
}
