import { MendError } from '../protocol/errors.js';

/**
 * Typed model failures. Each carries a stable `code` that travels to the page in an error
 * frame, and a message written for her, not for a developer.
 */
export type ModelErrorCode =
  | 'model_auth'
  | 'model_rate_limited'
  | 'model_unavailable'
  | 'model_timeout'
  | 'model_stream_cut'
  | 'model_bad_request'
  | 'model_unsafe_output';

export class ModelError extends MendError {
  declare readonly code: ModelErrorCode;
  constructor(code: ModelErrorCode, readonly userMessage: string, options?: { cause?: unknown }) {
    super(code, userMessage, options);
  }
}

export class ModelAuthError extends ModelError {
  constructor(options?: { cause?: unknown }) {
    super('model_auth', 'The AI model refused our credentials, so this reply could not be written. The app owner needs to check the API key.', options);
  }
}

export class ModelRateLimitError extends ModelError {
  constructor(options?: { cause?: unknown }) {
    super('model_rate_limited', 'The AI model is busy right now and asked us to slow down. Please try again in a minute.', options);
  }
}

export class ModelUnavailableError extends ModelError {
  constructor(options?: { cause?: unknown }) {
    super('model_unavailable', 'The AI model could not be reached or had a problem on its side. Please try again shortly.', options);
  }
}

export class ModelTimeoutError extends ModelError {
  constructor(options?: { cause?: unknown }) {
    super('model_timeout', 'The AI model took too long to answer, so we stopped waiting. Please try again.', options);
  }
}

export class ModelStreamCutError extends ModelError {
  constructor(options?: { cause?: unknown }) {
    super('model_stream_cut', 'The reply was cut off part-way. What arrived is kept; you can retry.', options);
  }
}

export class ModelBadRequestError extends ModelError {
  constructor(options?: { cause?: unknown }) {
    super('model_bad_request', 'The AI model rejected the request. The app owner may need to check the model name.', options);
  }
}

/** The output rail refused a result that is not streamed to her (a summary, a brief): the caller uses guided text. */
export class ModelUnsafeOutputError extends ModelError {
  constructor(options?: { cause?: unknown }) {
    super('model_unsafe_output', 'The AI model wrote something Mend does not pass on, so guided text was used instead.', options);
  }
}
