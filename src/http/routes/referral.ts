import type { FastifyInstance } from 'fastify';
import type { KnowledgeDocument } from '../../knowledge/knowledge-base.js';
import type { Region } from '../../protocol/safety.js';
import { finderPurpose, kindName, kindWhy } from '../../features/referral/kind-guide.js';
import { KIND_IDS } from '../../features/referral/kinds.js';
import { REFERRAL_DOCS, ReferralKnowledge } from '../../features/referral/referral-knowledge.js';
import { regionGuide } from '../../features/referral/regions.js';
import { withPurpose } from '../../features/referral/resources.js';
import { helpLines } from '../../safety/index.js';
import { parseInput } from '../http-error.js';
import { RegionQuery } from './knowledge.js';


/** Pages of knowledge/referral the "Find help" view shows in full, in reading order. */
const GUIDES = [REFERRAL_DOCS.finding, REFERRAL_DOCS.firstCall, REFERRAL_DOCS.inviting, REFERRAL_DOCS.refuses, REFERRAL_DOCS.bring, REFERRAL_DOCS.urgent];

/**
 * GET /api/referral?region=UK: everything the "Find help" view shows without a conversation:
 * the kinds of help, how to find them in her region, and the guides. Nothing about her.
 */
export function referralRoutes(app: FastifyInstance, deps: { documents: KnowledgeDocument[]; defaultRegion: Region }): void {
  const knowledge = new ReferralKnowledge(deps.documents);
  const byId = new Map(deps.documents.map((d) => [d.id, d]));

  app.get('/api/referral', async (request) => {
    const region = parseInput(RegionQuery, request.query).region ?? deps.defaultRegion;
    const guide = regionGuide(region);
    const resources = helpLines(region);
    return {
      region,
      where: guide.where,
      kinds: KIND_IDS.map((id) => {
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
  });
}
