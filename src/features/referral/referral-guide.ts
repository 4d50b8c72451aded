import type { KnowledgeDocument } from '../../knowledge/knowledge-base.js';
import type { Region } from '../../protocol/safety.js';
import { helpLines } from '../../safety/index.js';
import { finderPurpose, kindName, kindWhy } from './kind-guide.js';
import type { KindId } from './kinds.js';
import { REFERRAL_DOCS, ReferralKnowledge } from './referral-knowledge.js';
import { regionGuide } from './regions.js';
import { withPurpose } from './resources.js';

/** Pages of knowledge/referral the "Find help" view shows in full, in reading order. */
const GUIDES = [REFERRAL_DOCS.finding, REFERRAL_DOCS.firstCall, REFERRAL_DOCS.inviting, REFERRAL_DOCS.refuses, REFERRAL_DOCS.bring, REFERRAL_DOCS.urgent];

/**
 * The view before she has said anything is an ordinary search for help: everyday kinds first,
 * the specialised services (drugs, domestic abuse) after them. Her words reorder the kinds in
 * the conversation itself (fittingKinds), where a safety concern she names comes first.
 */
const BROWSE_ORDER: readonly KindId[] = [
  'family-therapist', 'adolescent-psychologist', 'school-counsellor', 'family-doctor',
  'adolescent-psychiatrist', 'substance-use', 'domestic-violence',
];

/**
 * Everything the "Find help" view shows without a conversation: the kinds of help, how to
 * find them in her region, and the guides. Nothing about her.
 */
export function createReferralGuide(documents: KnowledgeDocument[]) {
  const knowledge = new ReferralKnowledge(documents);
  const byId = new Map(documents.map((d) => [d.id, d]));
  return (region: Region) => {
    const guide = regionGuide(region);
    const resources = helpLines(region);
    return {
      region,
      where: guide.where,
      kinds: BROWSE_ORDER.map((id) => {
        const purpose = finderPurpose(id);
        return { id, name: kindName(id, guide), why: kindWhy(id), markdown: knowledge.kind(id)?.text ?? '', resources: purpose ? withPurpose(resources, purpose) : [] };
      }),
      finding: { healthRoute: guide.healthRoute, doctor: guide.doctor, resources: withPurpose(resources, 'therapist-finder') },
      emergency: withPurpose(resources, 'emergency'),
      guides: GUIDES.flatMap((id) => {
        const doc = byId.get(id);
        return doc ? [{ id, title: doc.title, summary: doc.summary, markdown: doc.markdown }] : [];
      }),
    };
  };
}
export type ReferralGuide = ReturnType<typeof createReferralGuide>;
