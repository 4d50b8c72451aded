import type { KnowledgeDocument } from '../../knowledge/knowledge-base.js';
import type { GuidedWriter } from '../../llm/guided-model.js';
import { assembleBrief } from './brief.js';
import { createGuidedReferralWriter } from './referral-writer.js';

/** Guided-mode writers for the referral tasks, to add to the app's GuidedModel. */
export function referralGuidedWriters(documents: KnowledgeDocument[]): { referral: GuidedWriter; brief: GuidedWriter } {
  return {
    referral: createGuidedReferralWriter(documents),
    brief: (context) => assembleBrief((context.statements as string[] | undefined) ?? [], Number(context.createdAt ?? Date.now())),
  };
}
