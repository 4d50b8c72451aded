import type { FastifyInstance } from 'fastify';
import type { ReferralGuide } from '../../features/referral/index.js';
import type { Region } from '../../protocol/safety.js';
import { parseInput } from '../http-error.js';
import { RegionQuery } from './knowledge.js';

/** GET /api/referral?region=UK: the "Find help" view for her region (no conversation needed). */
export function referralRoutes(app: FastifyInstance, deps: { guide: ReferralGuide; defaultRegion: Region }): void {
  app.get('/api/referral', async (request) => deps.guide(parseInput(RegionQuery, request.query).region ?? deps.defaultRegion));
}
