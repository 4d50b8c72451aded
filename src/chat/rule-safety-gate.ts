import type { ConversationStore } from '../store/conversation-store.js';
import { z } from 'zod';
import { systemClock, type Clock } from '../clock.js';
import { stateSlot } from '../store/state-slot.js';
import {
  carriedNotice, levelAtLeast, looksUnscreenedLanguage, resourcesFor, unscreenedLanguageReply, SafetyTracker, SafetyTrackerState, TrackedVerdict, safetyResponse, screenModelOutput, toVerdict, type Region,
} from '../safety/index.js';
import type { PendingScreen, SafetyGate, ScreenResult } from './safety-gate.js';

/** The tracker's state and the verdict on her last message, stored together in one write. */
const SAFETY_SLOT = stateSlot('safety', 1, z.object({ tracker: SafetyTrackerState, last: TrackedVerdict }));

/** She dismissed the carried notice for this conversation: its level no longer follows her. */
const CARRY_DISMISSED_SLOT = stateSlot('safety.carry-dismissed', 1, z.literal(true));
/** How long a high or crisis conversation follows her into new ones. */
const CARRY_DAYS = 14;

/** Her most recent conversation (not this one) still at high or crisis, touched within CARRY_DAYS, not dismissed. */
function standingConversation(store: ConversationStore, ownerId: string, exceptId: string, now: number) {
  return store.listConversationsAtLevels(ownerId, ['high', 'crisis'], now - CARRY_DAYS * 86_400_000).find((c) =>
    c.id !== exceptId && !store.readSlot(c.id, CARRY_DISMISSED_SLOT));
}

const CALM: TrackedVerdict = { level: 'calm', atRisk: [], reasons: [], resources: [], methodQuestion: false, banner: false, sticky: false, followUp: false };

/**
 * The deterministic rules from src/safety, with the conversation's tracker state kept in the
 * store so stickiness (a denial right after a disclosure does not clear the level) survives
 * reconnects and restarts. No model is involved.
 */
export function createRuleSafetyGate(store: ConversationStore, clock: Clock = systemClock): SafetyGate {
  const resultFor = (verdict: TrackedVerdict, region: Region): ScreenResult => ({
    verdict: { level: verdict.level, atRisk: verdict.atRisk, reasons: verdict.reasons, resources: verdict.resources },
    response: safetyResponse(verdict, region),
    methodQuestion: verdict.methodQuestion,
  });
  /** The tracker after her message and its verdict, to be written when the chat path stores her message. */
  const pending = (conversationId: string, tracker: SafetyTracker, verdict: TrackedVerdict, region: Region): PendingScreen => ({
    ...resultFor(verdict, region),
    save: () => store.writeSlot(conversationId, SAFETY_SLOT, { tracker: tracker.toJSON(), last: verdict }),
    raise: (raised, raisedRegion) => pending(conversationId, tracker, tracker.raise(verdict, raised, { region: raisedRegion }), raisedRegion),
  });
  return {
    screen(conversationId, text, region, { carried, ...options } = {}) {
      const tracker = new SafetyTracker(carried ? undefined : store.readSlot(conversationId, SAFETY_SLOT)?.tracker);
      if (carried) tracker.carry(carried.level, carried.atRisk);
      const result = pending(conversationId, tracker, tracker.screen(text, { region, ...options }), region);
      // Below crisis, a message the English rules cannot read gets the help lines and a plain note instead of coaching.
      if (result.response.fixedReply === undefined && looksUnscreenedLanguage(text)) {
        return { ...result, response: { ...result.response, fixedReply: unscreenedLanguageReply(region) } };
      }
      return result;
    },
    current(conversationId, region) {
      const last = store.readSlot(conversationId, SAFETY_SLOT)?.last;
      const standing = last ?? CALM;
      // Resources follow the region she has chosen now, not the one she had then.
      return resultFor({ ...standing, ...toVerdict(standing, region) }, region);
    },
    carryInto(conversationId, ownerId, region) {
      const source = standingConversation(store, ownerId, conversationId, clock.now());
      if (!source) return undefined;
      const last = store.readSlot(source.id, SAFETY_SLOT)?.last;
      const atRisk = last?.atRisk ?? [];
      return {
        from: source.id, notice: carriedNotice(atRisk, region), resources: resourcesFor(region, atRisk, source.safetyLevel),
        level: source.safetyLevel, atRisk,
      };
    },
    dismissCarry(ownerId, fromConversationId) {
      if (!store.getConversation(ownerId, fromConversationId)) return false;
      // "Things are safe now" covers every conversation still standing, including the ones the note was carried into.
      for (const c of store.listConversations(ownerId)) {
        if (levelAtLeast(c.safetyLevel, 'high')) store.writeSlot(c.id, CARRY_DISMISSED_SLOT, true);
      }
      return true;
    },
    checkOutput: (text, task) => screenModelOutput(text, task),
  };
}
