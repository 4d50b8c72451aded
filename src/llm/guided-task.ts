import type { ModelRequest, ModelTask, PromptMessage } from './chat-model.js';

type RequestOptions = Pick<ModelRequest, 'json' | 'maxTokens' | 'knownNames'>;

/**
 * A task and the type of plan it carries. A mode makes its requests with `request(plan, …)`
 * and the guided writer is registered with `writer(write)` for the same definition, so the
 * plan a mode builds and the plan a writer reads are one type and tsc catches a mismatch.
 */
export interface TaskDefinition<P> {
  readonly task: ModelTask;
  request(plan: P, messages: PromptMessage[], options?: RequestOptions): ModelRequest;
  writer(write: (plan: P) => string): GuidedWriter;
}

/** What GuidedModel holds: a writer for one task, its plan type already checked by `TaskDefinition`. */
export interface GuidedWriter {
  readonly task: ModelTask;
  write(context: unknown): string;
}

export function defineTask<P>(task: ModelTask): TaskDefinition<P> {
  return {
    task,
    request: (plan, messages, options) => ({ task, messages, context: plan, ...options }),
    // The only place the opaque context is read back: every request of this task came from `request` above.
    writer: (write) => ({ task, write: (context) => write(context as P) }),
  };
}
