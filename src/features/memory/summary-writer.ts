import type { GuidedWriter } from '../../llm/guided-task.js';
import { extractiveSummary, SUMMARY_TASK } from './rolling-summary.js';

/**
 * The `summary` task without a model: the same extractive fold the coach uses when no model
 * is configured, so a summary request never fails for want of a writer.
 */
export function createGuidedSummaryWriter(): GuidedWriter {
  return SUMMARY_TASK.writer(({ previous, messages }) => extractiveSummary(previous, messages));
}
