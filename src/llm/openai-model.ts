import OpenAI from 'openai';
import type { ChatModel, ModelInfo, ModelRequest } from './chat-model.js';
import {
  ModelAuthError, ModelBadRequestError, ModelError, ModelRateLimitError, ModelStreamCutError,
  ModelTimeoutError, ModelUnavailableError,
} from './errors.js';

export interface OpenAIModelOptions {
  apiKey?: string;
  baseURL?: string;
  model: string;
  /** Longest wait for the first byte and, after that, between two chunks of a stream. */
  timeoutMs: number;
  /** Retries for failures before streaming starts (429, 5xx, connection); the SDK backs off. */
  maxRetries: number;
  /** Injected by tests; defaults to the global fetch, which msw intercepts. */
  fetch?: typeof fetch;
}

/** Any OpenAI-compatible endpoint (OpenAI, Ollama, vLLM, LM Studio) through the official SDK. */
export class OpenAIChatModel implements ChatModel {
  readonly info: ModelInfo;
  private readonly client: OpenAI;

  constructor(private readonly options: OpenAIModelOptions) {
    this.info = { provider: 'openai', model: options.model };
    this.client = new OpenAI({
      // Local servers (Ollama, LM Studio) ignore the key but the SDK requires one.
      apiKey: options.apiKey ?? 'not-needed',
      baseURL: options.baseURL,
      timeout: options.timeoutMs,
      maxRetries: options.maxRetries,
      fetch: options.fetch,
    });
  }

  async *stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<string> {
    const idle = new IdleTimer(this.options.timeoutMs, signal);
    let received = false;
    try {
      const stream = await this.client.chat.completions.create(
        {
          model: this.options.model,
          messages: request.messages,
          stream: true,
          max_tokens: request.maxTokens,
          ...(request.json ? { response_format: { type: 'json_object' as const } } : {}),
        },
        { signal: idle.signal },
      );
      idle.reset();
      let finished = false;
      for await (const chunk of untilAborted(stream, idle.signal)) {
        idle.reset();
        const choice = chunk.choices[0];
        const delta = choice?.delta?.content;
        if (delta) {
          received = true;
          yield delta;
        }
        if (choice?.finish_reason) finished = true;
      }
      if (signal.aborted) return;
      if (idle.fired) throw new ModelTimeoutError();
      if (!finished) throw new ModelStreamCutError();
    } catch (error) {
      if (signal.aborted) return; // she pressed Stop: not an error
      throw toModelError(error, { timedOut: idle.fired, received });
    } finally {
      idle.clear();
    }
  }
}

/**
 * Iterates a stream but stops the moment the signal aborts, without waiting for the
 * underlying connection to notice: a stalled or misbehaving upstream cannot hold a turn open.
 */
async function* untilAborted<T>(stream: AsyncIterable<T>, signal: AbortSignal): AsyncIterable<T> {
  const iterator = stream[Symbol.asyncIterator]();
  const aborted = new Promise<IteratorResult<T>>((resolve) => {
    if (signal.aborted) resolve({ done: true, value: undefined });
    signal.addEventListener('abort', () => resolve({ done: true, value: undefined }), { once: true });
  });
  try {
    for (;;) {
      const next = await Promise.race([iterator.next(), aborted]);
      if (next.done || signal.aborted) return;
      yield next.value;
    }
  } finally {
    iterator.return?.().catch(() => undefined);
  }
}

/** Aborts when no progress happens for `ms`; the SDK's own timeout does not cover a stalled stream. */
class IdleTimer {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  fired = false;
  readonly signal: AbortSignal;

  constructor(private readonly ms: number, outer: AbortSignal) {
    this.signal = AbortSignal.any([outer, this.controller.signal]);
    this.reset();
  }

  reset(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.fired = true;
      this.controller.abort();
    }, this.ms);
  }

  clear(): void {
    clearTimeout(this.timer);
  }
}

function toModelError(error: unknown, state: { timedOut: boolean; received: boolean }): ModelError {
  if (error instanceof ModelError) return error;
  const options = { cause: error };
  if (state.timedOut || error instanceof OpenAI.APIConnectionTimeoutError) return new ModelTimeoutError(options);
  if (error instanceof OpenAI.AuthenticationError || error instanceof OpenAI.PermissionDeniedError) return new ModelAuthError(options);
  if (error instanceof OpenAI.RateLimitError) return new ModelRateLimitError(options);
  if (error instanceof OpenAI.BadRequestError || error instanceof OpenAI.NotFoundError) return new ModelBadRequestError(options);
  if (state.received) return new ModelStreamCutError(options);
  return new ModelUnavailableError(options);
}
