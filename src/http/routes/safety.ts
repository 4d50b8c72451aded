import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SafetyGate } from '../../chat/safety-gate.js';
import { NotFoundError } from '../../protocol/errors.js';
import { parseInput } from '../http-error.js';

const IdParams = z.object({ id: z.string().min(1).max(64) });

/**
 * POST /api/conversations/:id/safety/dismiss-carried: she dismissed the note that carried this
 * conversation's high or crisis level into a new one; it no longer follows her.
 */
export function safetyRoutes(app: FastifyInstance, deps: { safety: SafetyGate }): void {
  app.post('/api/conversations/:id/safety/dismiss-carried', async (request, reply) => {
    const { id } = parseInput(IdParams, request.params);
    if (!deps.safety.dismissCarry?.(request.ownerId, id)) throw NotFoundError.conversation();
    return reply.status(204).send();
  });
}
