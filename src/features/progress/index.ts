/**
 * Progress over weeks: plans saved from coaching, "How did it go?" check-ins that keep what
 * worked, small wins brought up when she is discouraged, and the weekly trend. Hers across
 * conversations (owner slots), in the export, gone with "delete everything", never in or
 * from a private conversation.
 */
export { withProgress, type ProgressCoachDeps } from './progress-mode.js';
export { ProgressService, ProgressInputError, type PlanChange, type ProgressExport, type ProgressOverview } from './progress-service.js';
export { progressGuidedWriters } from './guided-writers.js';
export { loadProgressWords, ProgressWordsError, type ProgressWords } from './progress-words.js';
export { OUTCOMES, Outcome, PLAN_PLACE_MAX, PLAN_SCRIPT_MAX, WIN_MAX, type Plan, type Win, type CheckIn } from './progress-data.js';
export { TREND_WEEKS, type TrendWeek } from './trend.js';
