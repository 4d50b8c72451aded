import { NotFoundError } from '../../protocol/errors.js';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { KnowledgeDocument } from '../../knowledge/knowledge-base.js';
import { helpLines, Region } from '../../safety/index.js';
import { parseInput } from '../http-error.js';

const Params = z.object({ id: z.string().min(1).max(80) });
/** `?region=uk`: the region as people type it, upper-cased, then checked; nothing else accepted. */
export const RegionQuery = z.object({ region: z.preprocess((v) => (typeof v === 'string' ? v.toUpperCase() : v), Region).optional() }).strict();

/**
 * What the page reads but she did not write: a step's card (for the step chips) and her
 * region's help lines (for "Get help now"). Public knowledge, the same for everyone.
 */
export function knowledgeRoutes(app: FastifyInstance, deps: { documents: KnowledgeDocument[]; defaultRegion: Region }): void {
  const byId = new Map(deps.documents.map((d) => [d.id, d]));

  app.get('/api/knowledge/:id', async (request) => {
    const { id } = parseInput(Params, request.params);
    const doc = byId.get(id);
    if (!doc) throw new NotFoundError(`There is no knowledge card "${id}".`);
    return { id: doc.id, title: doc.title, kind: doc.kind, summary: doc.summary, markdown: doc.markdown };
  });

  app.get('/api/resources', async (request) => {
    const region = parseInput(RegionQuery, request.query).region ?? deps.defaultRegion;
    return { region, resources: helpLines(region) };
  });
}
