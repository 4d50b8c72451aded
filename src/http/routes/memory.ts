import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { FACT_KEYS, FACT_MAX_CHARS, memoryOf as storedMemory, type ConversationMemory } from '../../features/memory/index.js';
import { NotFoundError } from '../../protocol/errors.js';
import type { ConversationStore } from '../../store/conversation-store.js';
import { parseInput } from '../http-error.js';

const IdParams = z.object({ id: z.string().min(1).max(64) });
const FactKey = z.enum(FACT_KEYS, { error: `key must be one of ${FACT_KEYS.join(', ')}` });
const KeyParams = IdParams.extend({ key: FactKey });
const CorrectBody = z.object({
  facts: z.array(z.object({
    key: FactKey,
    /** An empty value forgets the fact. */
    value: z.string().max(FACT_MAX_CHARS, `value is longer than ${FACT_MAX_CHARS} characters`),
  }).strict()).min(1, 'facts is empty').max(FACT_KEYS.length),
}).strict();

/**
 * What Mend remembers in a conversation, which she can read, correct and make it forget.
 * Corrections take effect from the next reply on.
 */
export function memoryRoutes(app: FastifyInstance, deps: { store: ConversationStore }): void {
  const { store } = deps;
  const memoryOf = (ownerId: string, id: string) => {
    if (!store.getConversation(ownerId, id)) throw NotFoundError.conversation();
    return storedMemory(store, id);
  };
  const view = (memory: ConversationMemory) => ({ facts: memory.facts(), summary: memory.summary()?.text ?? null });

  app.get('/api/conversations/:id/memory', async (request) => {
    const { id } = parseInput(IdParams, request.params);
    return view(memoryOf(request.ownerId, id));
  });

  app.put('/api/conversations/:id/memory', async (request) => {
    const { id } = parseInput(IdParams, request.params);
    const memory = memoryOf(request.ownerId, id);
    const { facts } = parseInput(CorrectBody, request.body);
    memory.correct(facts);
    return view(memory);
  });

  app.delete('/api/conversations/:id/memory/:key', async (request, reply) => {
    const { id, key } = parseInput(KeyParams, request.params);
    memoryOf(request.ownerId, id).forget(key);
    return reply.status(204).send();
  });
}
