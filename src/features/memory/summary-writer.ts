import type { GuidedWriter } from '../../llm/guided-model.js';
import { extractiveSummary, type DialogueMessage } from './rolling-summary.js';

/**
 * The `summary` task without a model: the same extractive fold the coach uses when no model
 * is configured, so a summary request never fails for want of a writer.
 */
export function createGuidedSummaryWriter(): GuidedWriter {
  return (context) => extractiveSummary(String(context.previous ?? ''), (context.messages ?? []) as DialogueMessage[]);
}
