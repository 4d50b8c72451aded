import { setTimeout as sleep } from 'node:timers/promises';
import type { ChatModel, ModelInfo, ModelRequest, ModelTask } from './chat-model.js';
import type { GuidedWriter } from './guided-task.js';

export type { GuidedWriter } from './guided-task.js';

export class GuidedTaskMissingError extends Error {
  override name = 'GuidedTaskMissingError';
}

/**
 * The no-model provider. Each task has a deterministic writer; the reply is streamed in
 * small chunks so the page behaves the same as with a real model.
 */
export class GuidedModel implements ChatModel {
  readonly info: ModelInfo = { provider: 'guided', model: 'guided' };

  private readonly writers: Map<ModelTask, GuidedWriter>;

  constructor(writers: GuidedWriter[], private readonly delayMs = 0) {
    this.writers = new Map(writers.map((w) => [w.task, w]));
  }

  async *stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<string> {
    const writer = this.writers.get(request.task);
    if (!writer) throw new GuidedTaskMissingError(`guided mode has no writer for task "${request.task}"`);
    for (const chunk of chunksOf(writer.write(request.context))) {
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
