import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { WIN_MAX, type ProgressService } from '../../../features/progress/index.js';
import { parseInput } from '../../http-error.js';

const WinParams = z.object({ id: z.string().min(1).max(64) });
const WinBody = z.object({
  text: z.string().trim().min(1, 'text is empty').max(WIN_MAX, `a small win is a few words (${WIN_MAX} characters at most)`),
}).strict();

/** Small wins: good moments with him in a few words. */
export function progressWinRoutes(app: FastifyInstance, deps: { progress: ProgressService }): void {
  const { progress } = deps;
  app.post('/api/progress/wins', async (request, reply) => {
    const { text } = parseInput(WinBody, request.body);
    return reply.status(201).send({ win: progress.addWin(request.ownerId, text) });
  });
  app.delete('/api/progress/wins/:id', async (request, reply) => {
    const { id } = parseInput(WinParams, request.params);
    progress.deleteWin(request.ownerId, id);
    return reply.status(204).send();
  });
}
