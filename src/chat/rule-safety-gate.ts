import type { ConversationStore } from '../store/conversation-store.js';
import { z } from 'zod';
import { stateSlot } from '../store/state-slot.js';
import { SafetyTracker, SafetyTrackerState, TrackedVerdict, safetyResponse, screenModelOutput, toVerdict, type Region } from '../safety/index.js';
import type { SafetyGate, ScreenResult } from './safety-gate.js';

/** The tracker's state and the verdict on her last message, stored together in one write. */
const SAFETY_SLOT = stateSlot('safety', 1, z.object({ tracker: SafetyTrackerState, last: TrackedVerdict }));

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
      const tracker = new SafetyTracker(store.readSlot(conversationId, SAFETY_SLOT)?.tracker);
      const verdict = tracker.screen(text, { region });
      store.writeSlot(conversationId, SAFETY_SLOT, { tracker: tracker.toJSON(), last: verdict });
      return resultFor(verdict, region);
    },
    current(conversationId, region) {
      const last = store.readSlot(conversationId, SAFETY_SLOT)?.last;
      const standing = last ?? { level: 'calm', atRisk: [], reasons: [], methodQuestion: false, banner: false, sticky: false, followUp: false };
      // Resources follow the region she has chosen now, not the one she had then.
      return resultFor({ ...standing, ...toVerdict(standing, region) }, region);
    },
    checkOutput: (text) => screenModelOutput(text),
  };
}
