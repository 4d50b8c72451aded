import type { KnowledgeDocument } from '../../knowledge/knowledge-base.js';
import type { GuidedWriter } from '../../llm/guided-model.js';
import { writeDebrief, type DebriefPlan } from './debrief.js';
import { planDraft, writeDraftCheck, type DraftPlan } from '../draft/draft-check.js';
import { writeNote, type NotePlan } from './notes.js';
import { RehearsalKnowledge } from './rehearsal-knowledge.js';
import { sonLine, type SonCue } from './son-lines.js';

export interface RehearsalWriters {
  son: GuidedWriter;
  'rehearsal-note': GuidedWriter;
  debrief: GuidedWriter;
  'draft-check': GuidedWriter;
}

/**
 * Guided-mode writers for rehearsal and the draft check, to add to the app's GuidedModel.
 * The modes plan every reply from the analyser and the knowledge files; these write the plan
 * out. A draft-check request with only `message` is planned here, so it works on its own too.
 */
export function rehearsalGuidedWriters(documents: KnowledgeDocument[]): RehearsalWriters {
  const kit = new RehearsalKnowledge(documents);
  return {
    son: (context) => sonLine(context as unknown as SonCue),
    'rehearsal-note': (context) => writeNote(context as unknown as NotePlan),
    debrief: (context) => writeDebrief(context as unknown as DebriefPlan),
    'draft-check': (context) => writeDraftCheck('risks' in context ? context as unknown as DraftPlan : planDraft(String(context.message ?? ''), kit)),
  };
}
