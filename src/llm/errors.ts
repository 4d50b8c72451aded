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
  | 'model_unsafe_output'
  | 'model_length_cut'
  | 'model_filtered'
  | 'model_empty'
  | 'model_bad_response'
  | 'model_too_long';

export class ModelError extends MendError {
  declare readonly code: ModelErrorCode;
  constructor(code: ModelErrorCode, readonly userMessage: string, options?: { cause?: unknown }) {
    super(code, userMessage, options);
  }
  /**
   * True when the text already streamed is worth keeping as it stands (a reply cut by its
   * length budget); false when guided mode should take over the rest of the turn.
   */
  get keepsPartial(): boolean {
    return false;
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
  /** The request parameter the endpoint named as refused, when it named one. */
  readonly parameter: string | undefined;
  constructor(options?: { cause?: unknown; parameter?: string; notFound?: boolean }) {
    super('model_bad_request', badRequestMessage(options?.parameter, options?.notFound === true), options);
    this.parameter = options?.parameter;
  }
}

function badRequestMessage(parameter: string | undefined, notFound: boolean): string {
  if (parameter) return `The AI model refused the request parameter "${parameter}". The app owner may need to change the model settings (see README, "Reasoning models").`;
  if (notFound) return 'The AI model endpoint does not know this model. The app owner needs to check MEND_MODEL and OPENAI_BASE_URL.';
  return 'The AI model rejected the request. The app owner may need to check the model settings.';
}

/** The reply reached its token budget (after one continuation): what arrived is kept and marked. */
export class ModelLengthCutError extends ModelError {
  constructor(options?: { cause?: unknown }) {
    super('model_length_cut', 'This reply reached its length limit and stops mid-way. What arrived is kept; you can ask again for a shorter answer.', options);
  }
  override get keepsPartial(): boolean {
    return true;
  }
}

/** The endpoint's own content filter stopped the reply. */
export class ModelFilteredError extends ModelError {
  constructor(options?: { cause?: unknown }) {
    super('model_filtered', 'The AI model\'s provider held this reply back with its own content filter.', options);
  }
}

/** The model finished without a word she could read: only reasoning, only non-text content, or nothing. */
export class ModelEmptyReplyError extends ModelError {
  constructor(readonly why: 'empty' | 'reasoning_budget' | 'non_text', options?: { cause?: unknown }) {
    super('model_empty', EMPTY_MESSAGES[why], options);
  }
}

const EMPTY_MESSAGES = {
  empty: 'The AI model finished without writing a reply.',
  reasoning_budget: 'The AI model used its whole budget thinking and wrote no reply. The app owner can raise MEND_REASONING_TOKENS.',
  non_text: 'The AI model answered with something other than text, which Mend cannot show.',
} as const;

/** The endpoint answered 200 but not with a model stream (an HTML page, a proxy's login screen). */
export class ModelBadResponseError extends ModelError {
  constructor(options?: { cause?: unknown }) {
    super('model_bad_response', 'The AI model address answered, but not with a model reply. The app owner needs to check OPENAI_BASE_URL.', options);
  }
}

/** The output rail refused a result that is not streamed to her (a summary, a brief): the caller uses guided text. */
export class ModelUnsafeOutputError extends ModelError {
  constructor(options?: { cause?: unknown }) {
    super('model_unsafe_output', 'The AI model wrote something Mend does not pass on, so guided text was used instead.', options);
  }
}

/**
 * A reply ran past Mend's own cap (MEND_MAX_REPLY_CHARS): what arrived up to the cap is kept,
 * marked as cut off; a summary or brief falls back to guided text.
 */
export class ModelTooLongError extends ModelError {
  constructor(options?: { cause?: unknown }) {
    super('model_too_long', 'This reply ran far past the length of a useful answer, so Mend stopped it there. What arrived is kept; you can ask again, perhaps more narrowly.', options);
  }
  override get keepsPartial(): boolean {
    return true;
  }
}
