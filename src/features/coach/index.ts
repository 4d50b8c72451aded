/**
 * Coaching through her conflict: the coach mode (plans each reply from her words, the steps
 * and the knowledge files) and the guided writer that turns a plan into words without a model.
 */
export { createCoachMode, buildCoachRequest, coachRequestForHistory, citationsOf, type CoachPromptParts, type CoachUnderstandingDeps } from './coach-mode.js';
export { coachUnderstanding, CoachUnderstanding, type Understanding } from './understanding/coach-understanding.js';
export { createGuidedCoachWriter } from './coach-writer.js';
