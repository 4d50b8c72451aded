import type { Socket } from 'node:net';
import { codeForStatus, errorPayload, MendError, type MendErrorCode } from '../protocol/errors.js';
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
  const known = errorPayload(error);
  if (known.known) {
    void reply.status(known.status).send({ error: { code: known.code, message: known.message } });
    return;
  }
  const status = (error as FastifyError).statusCode ?? 500;
  if (status >= 500) request.log.error({ err: { name: error.name, code: (error as FastifyError).code } }, 'request failed');
  const message = status >= 500 ? 'Something went wrong on our side. Nothing you wrote was lost; please try again.' : error.message;
  void reply.status(status).send({ error: { code: codeForStatus(status), message } });
}

/**
 * Errors Node's HTTP parser meets before Fastify sees a request (headers too large, a
 * malformed request line, a timeout): answered in the same `{ error: { code, message } }` shape.
 */
export function sendClientError(error: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) return void socket.destroy();
  const [status, reason, code, message] = error.code === 'HPE_HEADER_OVERFLOW'
    ? [431, 'Request Header Fields Too Large', 'headers_too_large', 'The request headers are too large (too many or too big cookies?).']
    : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'Request Timeout', 'timeout', 'The request took too long to arrive.']
      : [400, 'Bad Request', 'bad_request', 'That request could not be read.'];
  const body = JSON.stringify({ error: { code, message } });
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}
