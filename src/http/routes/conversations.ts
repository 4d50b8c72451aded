import { NotFoundError } from '../../protocol/errors.js';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ChatService } from '../../chat/chat-service.js';
import { ChatMode } from '../../protocol/frames.js';
import type { ConversationStore } from '../../store/conversation-store.js';
import { parseInput } from '../http-error.js';

const ListQuery = z.object({ q: z.string().trim().max(200).optional() });
const IdParams = z.object({ id: z.string().min(1).max(64) });
const CreateBody = z.object({ title: z.string().trim().max(120).optional(), mode: ChatMode.optional(), private: z.boolean().optional() }).strict();
const RenameBody = z.object({ title: z.string().trim().min(1, 'title is empty').max(120) }).strict();
const FeedbackBody = z.object({ rating: z.enum(['up', 'down']).nullable() }).strict();

export function conversationRoutes(app: FastifyInstance, deps: { store: ConversationStore; chat: ChatService }): void {
  const { store, chat } = deps;
  const owned = (ownerId: string, id: string) => {
    const conversation = store.getConversation(ownerId, id);
    if (!conversation) throw NotFoundError.conversation();
    return conversation;
  };

  app.get('/api/conversations', async (request) => {
    const { q } = parseInput(ListQuery, request.query);
    return { conversations: q ? store.searchConversations(request.ownerId, q) : store.listConversations(request.ownerId) };
  });

  app.post('/api/conversations', async (request, reply) => {
    const body = parseInput(CreateBody, request.body);
    return reply.status(201).send({ conversation: store.createConversation(request.ownerId, body) });
  });

  app.get('/api/conversations/:id', async (request) => {
    const { id } = parseInput(IdParams, request.params);
    const conversation = owned(request.ownerId, id);
    return { conversation, messages: store.listMessages(id), activeReplyId: chat.isActive(id) };
  });

  app.patch('/api/conversations/:id', async (request) => {
    const { id } = parseInput(IdParams, request.params);
    owned(request.ownerId, id);
    const { title } = parseInput(RenameBody, request.body);
    return { conversation: store.renameConversation(request.ownerId, id, title) };
  });

  app.delete('/api/conversations/:id', async (request, reply) => {
    const { id } = parseInput(IdParams, request.params);
    owned(request.ownerId, id);
    chat.stop(request.ownerId, id);
    store.deleteConversation(request.ownerId, id);
    return reply.status(204).send();
  });

  app.delete('/api/conversations', async (request, reply) => {
    for (const c of store.listConversations(request.ownerId)) chat.stop(request.ownerId, c.id);
    store.deleteAllConversations(request.ownerId);
    store.deleteOwnerState(request.ownerId); // her plans, small wins and check-ins: "everything" means them too
    return reply.status(204).send();
  });

  app.post('/api/messages/:id/feedback', async (request) => {
    const { id } = parseInput(IdParams, request.params);
    const { rating } = parseInput(FeedbackBody, request.body);
    const message = store.getOwnedMessage(request.ownerId, id);
    if (!message || message.role !== 'assistant') throw new NotFoundError('That reply does not exist.');
    store.updateMeta(id, { rating: rating ?? undefined });
    return { ok: true };
  });
}
