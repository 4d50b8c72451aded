import OpenAI from 'openai';
import type { ChatCompletionChunk, ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import type { ChatModel, ModelInfo, ModelRequest, ModelTask, PromptMessage } from './chat-model.js';
import { toStrictTurns } from './chat-template.js';
import {
  ModelAuthError, ModelBadRequestError, ModelBadResponseError, ModelEmptyReplyError, ModelError, ModelFilteredError,
  ModelLengthCutError, ModelRateLimitError, ModelStreamCutError, ModelTimeoutError, ModelUnavailableError,
} from './errors.js';
import { ThinkFilter } from './think-filter.js';

/** Sampling and budget for one task; unset fields leave the request's own value (or the endpoint's default). */
export interface TaskSettings {
  temperature?: number;
  maxTokens?: number;
}

export interface OpenAIModelOptions {
  apiKey?: string;
  baseURL?: string;
  model: string;
  /** Longest wait for the first byte and, after that, between two chunks of a stream. */
  timeoutMs: number;
  /** Retries for failures before streaming starts (429, 5xx, connection); the SDK backs off. */
  maxRetries: number;
  /**
   * An OpenAI reasoning model (o1, o3, o4-mini, gpt-5): they refuse `max_tokens` and
   * `temperature`, take `max_completion_tokens`, and spend part of it thinking. By default
   * decided from the model name.
   */
  reasoning?: boolean;
  /** Added to a reasoning model's budget for the thinking it does before the answer. */
  reasoningTokens?: number;
  tasks?: Partial<Record<ModelTask, TaskSettings>>;
  /** Injected by tests; defaults to the global fetch, which msw intercepts. */
  fetch?: typeof fetch;
}

/** o1, o3-mini, o4-mini, gpt-5 and the like, with or without a provider prefix ("openai/o3"). */
export function isReasoningModelName(model: string): boolean {
  return /(?:^|\/)(?:o\d+(?:-[\w.]+)?|gpt-5(?!-chat)(?:[-.][\w.-]+)?)$/i.test(model);
}

/** Parameters a server may refuse, and what to send instead (nothing, or another name). */
const DROPPABLE = new Set(['temperature', 'max_tokens', 'max_completion_tokens', 'response_format']);
const CONTINUE_PROMPT = 'Your reply was cut off. Continue from exactly where it stopped, without repeating anything, and finish in a sentence or two.';

interface Attempt {
  text: string;
  finish: string | null;
  nonText: boolean;
}

/** Any OpenAI-compatible endpoint (OpenAI, Ollama, vLLM, LM Studio) through the official SDK. */
export class OpenAIChatModel implements ChatModel {
  readonly info: ModelInfo;
  private readonly client: OpenAI;
  private readonly reasoning: boolean;
  /** Parameters this endpoint refused once: never sent again, so one refusal costs one request, not one a turn. */
  private readonly refused = new Set<string>();

  constructor(private readonly options: OpenAIModelOptions) {
    this.info = { provider: 'openai', model: options.model };
    this.reasoning = options.reasoning ?? isReasoningModelName(options.model);
    this.client = new OpenAI({
      // Local servers (Ollama, LM Studio) ignore the key but the SDK requires one.
      apiKey: options.apiKey ?? 'not-needed',
      baseURL: options.baseURL,
      timeout: options.timeoutMs,
      maxRetries: options.maxRetries,
      fetch: options.fetch,
    });
  }

  /**
   * Streams the visible answer: reasoning (`reasoning_content`, `<think>` blocks) is dropped,
   * a reply cut by its budget is continued once, and a reply that ends cut, filtered or
   * empty ends in a typed error, so nothing half-made is stored as complete.
   */
  async *stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<string> {
    const messages = toStrictTurns(request.messages);
    const first: Attempt = { text: '', finish: null, nonText: false };
    yield* this.attempt(request, messages, first, signal);
    if (signal.aborted) return;
    let last = first;
    if (first.finish === 'length' && first.text.trim()) {
      last = { text: '', finish: null, nonText: false };
      const continued = toStrictTurns([...messages, { role: 'assistant', content: first.text }, { role: 'user', content: CONTINUE_PROMPT }]);
      yield* this.attempt(request, continued, last, signal);
      if (signal.aborted) return;
    }
    const said = (first.text + last.text).trim().length > 0;
    if (last.finish === 'content_filter') throw new ModelFilteredError();
    if (!said) throw new ModelEmptyReplyError(first.finish === 'length' ? 'reasoning_budget' : first.nonText ? 'non_text' : 'empty');
    if (last.finish === 'length') throw new ModelLengthCutError();
  }

  private async *attempt(request: ModelRequest, messages: PromptMessage[], state: Attempt, signal: AbortSignal): AsyncIterable<string> {
    const idle = new IdleTimer(this.options.timeoutMs, signal);
    const think = new ThinkFilter();
    let chunks = 0;
    try {
      const stream = await this.open(request, messages, idle.signal);
      idle.reset();
      for await (const chunk of untilAborted(stream, idle.signal)) {
        idle.reset();
        chunks++;
        const choice = chunk.choices?.[0];
        const content = textOf(choice?.delta?.content);
        if (content.nonText) state.nonText = true;
        const visible = think.push(content.text);
        if (visible) {
          state.text += visible;
          yield visible;
        }
        if (choice?.finish_reason) state.finish = choice.finish_reason;
      }
      const rest = think.flush();
      if (rest) {
        state.text += rest;
        yield rest;
      }
      if (signal.aborted) return;
      if (idle.fired) throw new ModelTimeoutError();
      if (chunks === 0) throw new ModelBadResponseError();
      if (!state.finish) throw new ModelStreamCutError();
    } catch (error) {
      if (signal.aborted) return; // she pressed Stop: not an error
      throw toModelError(error, { timedOut: idle.fired, received: state.text.length > 0 });
    } finally {
      idle.clear();
    }
  }

  /** Opens the stream; a parameter the endpoint refuses is dropped and the request sent once more. */
  private async open(request: ModelRequest, messages: PromptMessage[], signal: AbortSignal): Promise<AsyncIterable<ChatCompletionChunk>> {
    for (let tries = 0; ; tries++) {
      try {
        const { data, response } = await this.client.chat.completions.create(this.body(request, messages), { signal }).withResponse();
        if (/text\/html/i.test(response.headers.get('content-type') ?? '')) throw new ModelBadResponseError();
        return data;
      } catch (error) {
        const parameter = refusedParameter(error);
        if (!parameter || !DROPPABLE.has(parameter) || this.refused.has(parameter) || tries > 2) throw error;
        this.refused.add(parameter);
      }
    }
  }

  private body(request: ModelRequest, messages: PromptMessage[]): ChatCompletionCreateParamsStreaming {
    const settings = this.options.tasks?.[request.task] ?? {};
    const budget = settings.maxTokens ?? request.maxTokens;
    const temperature = this.reasoning ? undefined : settings.temperature;
    const params: Record<string, unknown> = { model: this.options.model, messages, stream: true };
    if (budget !== undefined) {
      // Reasoning models think inside this budget; without headroom they end with an empty answer.
      const total = this.reasoning ? budget + (this.options.reasoningTokens ?? 0) : budget;
      const name = this.reasoning || this.refused.has('max_tokens') ? 'max_completion_tokens' : 'max_tokens';
      if (!this.refused.has(name)) params[name] = total;
    }
    if (temperature !== undefined && !this.refused.has('temperature')) params.temperature = temperature;
    if (request.json && !this.refused.has('response_format')) params.response_format = { type: 'json_object' };
    return params as unknown as ChatCompletionCreateParamsStreaming;
  }
}

/**
 * The text of one delta. Some servers send content parts (`[{type:'text', text}]`) instead
 * of a string; anything that is not text (images, audio, tool calls) is noted, never shown
 * as "[object Object]".
 */
function textOf(content: unknown): { text: string; nonText: boolean } {
  if (content === undefined || content === null) return { text: '', nonText: false };
  if (typeof content === 'string') return { text: content, nonText: false };
  const parts = Array.isArray(content) ? content : [content];
  let text = '';
  let nonText = false;
  for (const part of parts) {
    if (typeof part === 'string') text += part;
    else if (part && typeof part === 'object' && typeof (part as { text?: unknown }).text === 'string') text += (part as { text: string }).text;
    else nonText = true;
  }
  return { text, nonText };
}

/** The parameter a 400 names as unsupported: the `param` field, or OpenAI's "Unsupported parameter: 'x'". */
function refusedParameter(error: unknown): string | undefined {
  if (!(error instanceof OpenAI.BadRequestError)) return undefined;
  if (error.param) return error.param;
  return /unsupported (?:parameter|value)s?:?\s*['"`]?([\w.]+)/i.exec(error.message)?.[1]
    ?? /['"`]([\w.]+)['"`] is not (?:supported|permitted|allowed)/i.exec(error.message)?.[1];
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
  if (error instanceof OpenAI.NotFoundError) return new ModelBadRequestError({ ...options, notFound: true });
  if (error instanceof OpenAI.BadRequestError) {
    const parameter = refusedParameter(error);
    return new ModelBadRequestError({ ...options, ...(parameter ? { parameter } : {}) });
  }
  if (state.received) return new ModelStreamCutError(options);
  // A body that is not an event stream at all (HTML, plain text) fails to parse before any chunk.
  if (error instanceof SyntaxError) return new ModelBadResponseError(options);
  return new ModelUnavailableError(options);
}
