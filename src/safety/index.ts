/**
 * Mend's safety layer: deterministic screening of every message she sends, before anything
 * else. No model is involved and nothing in a message can switch it off.
 */
export { screenMessage, toVerdict, type ScreenOptions, type ScreenVerdict } from './screen.js';
export { SafetyTracker, SafetyTrackerState, TrackedVerdict } from './tracker.js';
export { safetyResponse, describeLine, carriedNotice, unscreenedLanguageReply, type SafetyResponse, type SafetyResponseOptions } from './responses.js';
export { looksUnscreenedLanguage } from './language.js';
export { screenModelOutput, OUTPUT_SHAPE, type OutputCheck } from './output-rail.js';
export type { OutputShape } from './rules.js';
export { resourcesFor, helpLines } from './resources.js';
export { runScreenCli } from './screen-cli.js';
export { normalise } from './normalise.js';
export { SafetyDataError } from './rules.js';
export {
  SafetyLevel, RiskSubject, Region, SafetyReason, HelpResource, SafetyVerdict, maxLevel, levelAtLeast,
} from '../protocol/safety.js';
