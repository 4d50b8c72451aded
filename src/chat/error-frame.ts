import type { FastifyBaseLogger } from 'fastify';
import { errorPayload } from '../protocol/errors.js';
import { ErrorCode, type ServerFrame } from '../protocol/frames.js';

export type ErrorFrame = Extract<ServerFrame, { type: 'error' }>;

/**
 * The socket's view of any failure: the same code and message REST would give, or a generic
 * `internal` that is logged without her words (only the error's name and a few stack lines).
 */
export function errorFrameFor(error: unknown, ids: { clientId?: string; conversationId?: string }, logger: FastifyBaseLogger): ErrorFrame {
  const payload = errorPayload(error);
  if (!payload.known) logger.error({ err: redactError(error) }, 'chat turn failed');
  const code = ErrorCode.safeParse(payload.code).data ?? 'bad_frame';
  return { type: 'error', code, message: payload.message, ...definedOnly(ids) };
}

function definedOnly(ids: { clientId?: string; conversationId?: string }) {
  return Object.fromEntries(Object.entries(ids).filter(([, v]) => v !== undefined));
}

function redactError(error: unknown): Record<string, unknown> {
  return error instanceof Error ? { name: error.name, stack: error.stack?.split('\n').slice(1, 6).join('\n') } : { type: typeof error };
}
