import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { BRIEF_MAX_CHARS, type BriefService, type CounsellorBrief } from '../../features/referral/index.js';
import { NotFoundError } from '../../protocol/errors.js';
import type { ConversationStore } from '../../store/conversation-store.js';
import { parseInput } from '../http-error.js';

const IdParams = z.object({ id: z.string().min(1).max(64) });
const EditBody = z.object({
  markdown: z.string().trim().min(1, 'markdown is empty').max(BRIEF_MAX_CHARS, `markdown is longer than ${BRIEF_MAX_CHARS} characters`),
}).strict();
export const BRIEF_FILENAME = 'mend-counsellor-brief.md';
/** A drafting request is bounded even if the model's own timeouts never fire. */
const DRAFT_TIMEOUT_MS = 120_000;

/**
 * Her counsellor brief: drafted only when she asks (that request is her consent), then hers
 * to edit, download or delete. It lives in the conversation's state and goes nowhere else;
 * nothing of it is logged.
 */
export function briefRoutes(app: FastifyInstance, deps: { store: ConversationStore; briefs: BriefService }): void {
  const { store, briefs } = deps;
  const ownedId = (ownerId: string, params: unknown): string => {
    const { id } = parseInput(IdParams, params);
    if (!store.getConversation(ownerId, id)) throw NotFoundError.conversation();
    return id;
  };
  const savedBrief = (id: string): CounsellorBrief => {
    const brief = briefs.get(id);
    if (!brief) throw new NotFoundError('There is no counsellor brief in this conversation yet.');
    return brief;
  };

  app.post('/api/conversations/:id/brief', async (request, reply) => {
    const id = ownedId(request.ownerId, request.params);
    const brief = await briefs.draft(id, AbortSignal.timeout(DRAFT_TIMEOUT_MS));
    return reply.status(201).send({ brief });
  });

  app.get('/api/conversations/:id/brief', async (request) => ({ brief: savedBrief(ownedId(request.ownerId, request.params)) }));

  app.put('/api/conversations/:id/brief', async (request) => {
    const id = ownedId(request.ownerId, request.params);
    const { markdown } = parseInput(EditBody, request.body);
    return { brief: briefs.save(id, markdown) };
  });

  app.get('/api/conversations/:id/brief.md', async (request, reply) => {
    const brief = savedBrief(ownedId(request.ownerId, request.params));
    return reply
      .header('content-type', 'text/markdown; charset=utf-8')
      .header('content-disposition', `attachment; filename="${BRIEF_FILENAME}"`)
      .header('cache-control', 'no-store')
      .send(brief.markdown);
  });

  app.delete('/api/conversations/:id/brief', async (request, reply) => {
    briefs.delete(ownedId(request.ownerId, request.params));
    return reply.status(204).send();
  });
}
