import type { ErrorCode } from './frames.js';

/** Codes only REST answers with; the socket never sends these. */
export type HttpOnlyCode =
  | 'bad_request' | 'wrong_password' | 'unsupported_media_type' | 'forbidden' | 'unauthorized' | 'forbidden_origin'
  | 'method_not_allowed' | 'headers_too_large' | 'timeout';
export type MendErrorCode = ErrorCode | HttpOnlyCode;

/** The HTTP status each code maps to, so REST and the socket agree on what a failure is. */
const STATUS: Record<MendErrorCode, number> = {
  bad_frame: 400, bad_request: 400, too_large: 413, not_found: 404, busy: 409, rate_limited: 429,
  storage: 503, internal: 500, model_auth: 502, model_rate_limited: 503, model_unavailable: 502,
  model_timeout: 504, model_stream_cut: 502, model_bad_request: 502, model_unsafe_output: 502, model_length_cut: 502,
  model_filtered: 502, model_empty: 502, model_bad_response: 502, model_too_long: 502, wrong_password: 401,
  unsupported_media_type: 415, forbidden: 403, unauthorized: 401, forbidden_origin: 403, method_not_allowed: 405,
  headers_too_large: 431, timeout: 408,
};

/** The code a bare HTTP status from the framework or a plugin (static files, body parser) is given. */
export function codeForStatus(status: number): MendErrorCode {
  const byStatus: Record<number, MendErrorCode> = {
    401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 405: 'method_not_allowed', 408: 'timeout', 409: 'busy',
    413: 'too_large', 415: 'unsupported_media_type', 429: 'rate_limited', 431: 'headers_too_large', 503: 'storage',
  };
  if (status >= 500) return 'internal';
  return byStatus[status] ?? 'bad_request';
}

/**
 * The one error base. Every failure Mend means to report carries a stable code and a message
 * written for her; `errorPayload` turns any of them into the `{ code, message }` both REST
 * and the socket send, and anything else into a generic `internal` that leaks nothing.
 */
export class MendError extends Error {
  constructor(readonly code: MendErrorCode, message: string, options?: { cause?: unknown; status?: number }) {
    super(message, options);
    this.name = new.target.name;
    this.status = options?.status ?? STATUS[code];
  }
  readonly status: number;
}

export const INTERNAL_MESSAGE = 'Something went wrong on our side. What you wrote is saved; please try again.';

export const STORAGE_MESSAGE = 'Mend could not read or save your conversation just now (storage problem: the disk may be full). Please try again in a moment.';

/**
 * A SQLite failure that reached a caller unwrapped (a read on a full or failing disk): it is
 * a storage problem, said the same way over REST and the socket, not an internal error.
 */
function isStorageFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === 'string' && code.startsWith('SQLITE_');
}

export function errorPayload(error: unknown): { code: MendErrorCode; message: string; status: number; known: boolean } {
  if (error instanceof MendError) return { code: error.code, message: error.message, status: error.status, known: true };
  if (isStorageFailure(error)) return { code: 'storage', message: STORAGE_MESSAGE, status: STATUS.storage, known: true };
  return { code: 'internal', message: INTERNAL_MESSAGE, status: 500, known: false };
}

/** Not found, said the same way by every route and the socket. */
export class NotFoundError extends MendError {
  constructor(what: string) {
    super('not_found', what);
  }
  static conversation(): NotFoundError {
    return new NotFoundError('That conversation does not exist (it may have been deleted).');
  }
}
