import type { KnowledgeDocument } from '../../knowledge/knowledge-base.js';
import type { GuidedWriter } from '../../llm/guided-task.js';
import { assembleBrief } from './brief.js';
import { BRIEF_TASK } from './brief-draft.js';
import { REFERRAL_TASK } from './referral-request.js';
import { createGuidedReferralWriter } from './referral-writer.js';

/** Guided-mode writers for the referral tasks, to add to the app's GuidedModel. */
export function referralGuidedWriters(documents: KnowledgeDocument[]): GuidedWriter[] {
  return [
    REFERRAL_TASK.writer(createGuidedReferralWriter(documents)),
    BRIEF_TASK.writer(({ statements, createdAt }) => assembleBrief(statements, createdAt)),
  ];
}
