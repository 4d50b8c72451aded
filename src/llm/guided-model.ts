import { setTimeout as sleep } from 'node:timers/promises';
import type { ChatModel, ModelInfo, ModelRequest, ModelTask } from './chat-model.js';

/** Writes a whole reply for one task from the request's structured context, without a model. */
export type GuidedWriter = (context: Record<string, unknown>) => string;

export class GuidedTaskMissingError extends Error {
  override name = 'GuidedTaskMissingError';
}

/**
 * The no-model provider. Each task has a deterministic writer; the reply is streamed in
 * small chunks so the page behaves the same as with a real model.
 */
export class GuidedModel implements ChatModel {
  readonly info: ModelInfo = { provider: 'guided', model: 'guided' };

  constructor(
    private readonly writers: Partial<Record<ModelTask, GuidedWriter>>,
    private readonly delayMs = 0,
  ) {}

  async *stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<string> {
    const writer = this.writers[request.task];
    if (!writer) throw new GuidedTaskMissingError(`guided mode has no writer for task "${request.task}"`);
    for (const chunk of chunksOf(writer(request.context))) {
      if (signal.aborted) return;
      if (this.delayMs > 0) await sleep(this.delayMs, undefined, { signal }).catch(() => undefined);
      if (signal.aborted) return;
      yield chunk;
    }
  }
}

/** Splits after whitespace so every chunk is a word or two, like model tokens. */
export function chunksOf(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}
