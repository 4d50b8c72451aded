import type { ConversationStore } from '../store/conversation-store.js';
import { SafetyTracker, safetyResponse, screenModelOutput, toVerdict, type Region, type TrackedVerdict } from '../safety/index.js';
import type { SafetyGate, ScreenResult } from './safety-gate.js';

/** The tracker's state and the verdict on her last message, stored together in one write. */
const SAFETY_KEY = 'safety';
interface StoredSafety {
  tracker: unknown;
  last: TrackedVerdict;
}

/**
 * The deterministic rules from src/safety, with the conversation's tracker state kept in the
 * store so stickiness (a denial right after a disclosure does not clear the level) survives
 * reconnects and restarts. No model is involved.
 */
export function createRuleSafetyGate(store: ConversationStore): SafetyGate {
  const resultFor = (verdict: TrackedVerdict, region: Region): ScreenResult => ({
    verdict: { level: verdict.level, atRisk: verdict.atRisk, reasons: verdict.reasons, resources: verdict.resources },
    response: safetyResponse(verdict, region),
    methodQuestion: verdict.methodQuestion,
  });
  return {
    screen(conversationId, text, region) {
      const tracker = new SafetyTracker(store.getState<StoredSafety>(conversationId, SAFETY_KEY)?.tracker);
      const verdict = tracker.screen(text, { region });
      store.setState(conversationId, SAFETY_KEY, { tracker: tracker.toJSON(), last: verdict } satisfies StoredSafety);
      return resultFor(verdict, region);
    },
    current(conversationId, region) {
      const last = store.getState<StoredSafety>(conversationId, SAFETY_KEY)?.last;
      const standing = last ?? { level: 'calm', atRisk: [], reasons: [], methodQuestion: false, banner: false, sticky: false, followUp: false };
      // Resources follow the region she has chosen now, not the one she had then.
      return resultFor({ ...standing, ...toVerdict(standing, region) }, region);
    },
    checkOutput: (text) => screenModelOutput(text),
  };
}
