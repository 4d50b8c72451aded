import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { PLAN_PLACE_MAX, PLAN_SCRIPT_MAX, type ProgressService } from '../../../features/progress/index.js';
import { parseInput } from '../../http-error.js';

const Id = z.string().min(1).max(64);
const PlanParams = z.object({ id: Id });
const SaveBody = z.object({
  conversationId: Id,
  /** Her browser's offset from UTC (Date#getTimezoneOffset): "tomorrow evening" is her evening. */
  utcOffsetMinutes: z.number().int().min(-14 * 60).max(14 * 60).default(0),
}).strict();
const ChangeBody = z.object({
  script: z.string().trim().max(PLAN_SCRIPT_MAX, `script is longer than ${PLAN_SCRIPT_MAX} characters`).optional(),
  when: z.number().int().positive().optional(),
  where: z.string().trim().max(PLAN_PLACE_MAX, `where is longer than ${PLAN_PLACE_MAX} characters`).optional(),
  remind: z.boolean().optional(),
}).strict().refine((b) => Object.keys(b).length > 0, 'nothing to change');

/** Her plans: saved in one tap from a coaching conversation, then changed or deleted. */
export function progressPlanRoutes(app: FastifyInstance, deps: { progress: ProgressService }): void {
  const { progress } = deps;
  app.post('/api/progress/plans', async (request, reply) => {
    const { conversationId, utcOffsetMinutes } = parseInput(SaveBody, request.body);
    return reply.status(201).send({ plan: progress.savePlan(request.ownerId, conversationId, utcOffsetMinutes) });
  });
  app.patch('/api/progress/plans/:id', async (request) => {
    const { id } = parseInput(PlanParams, request.params);
    return { plan: progress.updatePlan(request.ownerId, id, parseInput(ChangeBody, request.body)) };
  });
  app.delete('/api/progress/plans/:id', async (request, reply) => {
    const { id } = parseInput(PlanParams, request.params);
    progress.deletePlan(request.ownerId, id);
    return reply.status(204).send();
  });
}
