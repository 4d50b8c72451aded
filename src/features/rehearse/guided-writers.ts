import type { GuidedWriter } from '../../llm/guided-task.js';
import { writeDebrief } from './debrief.js';
import { writeNote } from './notes.js';
import { DEBRIEF_TASK, NOTE_TASK, SON_TASK } from './requests.js';
import { sonLine } from './son-lines.js';

/**
 * Guided-mode writers for the rehearsal, to add to the app's GuidedModel. The mode plans
 * every reply from the analyser and the knowledge files; these write the plan out.
 */
export function rehearsalGuidedWriters(): GuidedWriter[] {
  return [SON_TASK.writer(sonLine), NOTE_TASK.writer(writeNote), DEBRIEF_TASK.writer(writeDebrief)];
}
