import type { FastifyInstance } from 'fastify';
import type { ProgressService, ProgressWords } from '../../../features/progress/index.js';

/**
 * What the page's progress panel shows: her plans, small wins, the plan to check in on, the
 * weekly trend, and the counsellor's words for the check-in (so they are data, not page code).
 */
export function progressOverviewRoutes(app: FastifyInstance, deps: { progress: ProgressService; words: ProgressWords }): void {
  const { progress, words } = deps;
  const checkIn = { question: words.checkIn.question, lead: words.checkIn.lead, replies: words.checkIn.replies };
  app.get('/api/progress', async (request) => ({ ...progress.overview(request.ownerId), checkIn }));
  app.get('/api/progress/trend', async (request) => ({ weeks: progress.trend(request.ownerId) }));
}
