import { MendError, type MendErrorCode } from '../protocol/errors.js';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';

/** A REST failure with an explicit status; everything else maps through `errorPayload`. */
export class HttpError extends MendError {
  constructor(readonly statusCode: number, code: MendErrorCode, message: string) {
    super(code, message, { status: statusCode });
  }
}

/** Validates a request part against its schema; a bad one becomes a 400 naming the field. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.length ? `${issue.path.join('.')}: ` : '';
  throw new HttpError(400, 'bad_request', `${field}${issue.message}`);
}

/** One error shape for every route: `{ error: { code, message } }`; internals never leak. */
export function sendError(error: FastifyError | HttpError | Error, request: FastifyRequest, reply: FastifyReply): void {
  if (error instanceof MendError) {
    void reply.status(error.status).send({ error: { code: error.code, message: error.message } });
    return;
  }
  const status = (error as FastifyError).statusCode ?? 500;
  if (status >= 500) request.log.error({ err: { name: error.name, code: (error as FastifyError).code } }, 'request failed');
  const code = status === 413 ? 'too_large' : status === 429 ? 'rate_limited' : status === 415 ? 'unsupported_media_type' : status >= 500 ? 'internal' : 'bad_request';
  const message = status >= 500 ? 'Something went wrong on our side. Nothing you wrote was lost; please try again.' : error.message;
  void reply.status(status).send({ error: { code, message } });
}
