import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { systemClock, type Clock } from '../../clock.js';
import type { ChatModel } from '../../llm/chat-model.js';
import { BRIEF_MAX_CHARS, BRIEF_STATE_KEY, type CounsellorBrief } from '../../features/referral/brief.js';
import { draftBrief } from '../../features/referral/brief-draft.js';
import type { ConversationStore } from '../../store/conversation-store.js';
import { HttpError, parseInput } from '../http-error.js';

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
export function briefRoutes(app: FastifyInstance, deps: { store: ConversationStore; model: ChatModel; clock?: Clock }): void {
  const { store, model } = deps;
  const clock = deps.clock ?? systemClock;
  const ownedId = (ownerId: string, params: unknown): string => {
    const { id } = parseInput(IdParams, params);
    if (!store.getConversation(ownerId, id)) throw new HttpError(404, 'not_found', 'That conversation does not exist (it may have been deleted).');
    return id;
  };
  const savedBrief = (id: string): CounsellorBrief => {
    const brief = store.getState<CounsellorBrief>(id, BRIEF_STATE_KEY);
    if (!brief) throw new HttpError(404, 'not_found', 'There is no counsellor brief in this conversation yet.');
    return brief;
  };

  app.post('/api/conversations/:id/brief', async (request, reply) => {
    const id = ownedId(request.ownerId, request.params);
    const { brief } = await draftBrief({ history: store.listMessages(id), model, signal: AbortSignal.timeout(DRAFT_TIMEOUT_MS), now: clock.now() });
    store.setState(id, BRIEF_STATE_KEY, brief);
    return reply.status(201).send({ brief });
  });

  app.get('/api/conversations/:id/brief', async (request) => ({ brief: savedBrief(ownedId(request.ownerId, request.params)) }));

  app.put('/api/conversations/:id/brief', async (request) => {
    const id = ownedId(request.ownerId, request.params);
    const { markdown } = parseInput(EditBody, request.body);
    const now = clock.now();
    const previous = store.getState<CounsellorBrief>(id, BRIEF_STATE_KEY);
    const brief: CounsellorBrief = { markdown: `${markdown}\n`, createdAt: previous?.createdAt ?? now, updatedAt: now, edited: true };
    store.setState(id, BRIEF_STATE_KEY, brief);
    return { brief };
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
    const id = ownedId(request.ownerId, request.params);
    store.setState(id, BRIEF_STATE_KEY, undefined);
    return reply.status(204).send();
  });
}
