import type { GuidedWriter } from '../../llm/guided-task.js';
import { writeDraftCheck } from './draft-check.js';
import { DRAFT_TASK } from './draft-request.js';

/** The draft check's guided writer: the plan the mode made, written out. */
export function draftGuidedWriters(): GuidedWriter[] {
  return [DRAFT_TASK.writer(writeDraftCheck)];
}
