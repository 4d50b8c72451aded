/**
 * The one interface every model provider implements. A provider streams plain text and
 * stops promptly when the signal aborts.
 *
 * A request carries two views of the same turn: `messages`, the rendered prompt an LLM
 * reads, and `context`, the plan the guided (no-model) provider writes from. Modes build
 * both through a task definition, so switching providers never changes what a mode means.
 */
export type ModelTask =
  | 'coach' // coaching reply in a normal conversation
  | 'son' // rehearsal: Mend speaks as her son
  | 'rehearsal-note' // rehearsal: short coach note on her last line
  | 'debrief' // rehearsal: end-of-rehearsal debrief
  | 'draft-check' // "before you say it": feedback and rewrite of one message
  | 'referral' // finding a counsellor
  | 'brief' // counsellor brief drafted from the conversation
  | 'summary' // rolling summary of older turns
  | 'classify' // safety classifier (JSON output)
  | 'judge' // npm run eval: scores a transcript against a rubric (JSON output)
  | 'progress-checkin' // how her planned talk went, and what worked
  | 'progress-wins'; // her small wins, brought up when she is discouraged

export interface PromptMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/**
 * A name known for a request from outside its text (her son's from memory, a name from an
 * earlier message of the conversation), masked wherever it appears; `exact` ones only as written.
 */
export type KnownName = string | { name: string; role?: string; exact?: boolean };

export interface ModelRequest {
  task: ModelTask;
  messages: PromptMessage[];
  /**
   * The plan the messages were rendered from, for the guided writer of the same task. Opaque
   * here: only a `TaskDefinition` (guided-task.ts) puts it in and takes it out, with one type.
   */
  context: unknown;
  knownNames?: KnownName[];
  /** Ask an LLM for a JSON object (used by classifiers); guided ignores it. */
  json?: boolean;
  maxTokens?: number;
}

export interface ModelInfo {
  provider: 'openai' | 'guided';
  model: string;
}

export interface ChatModel {
  readonly info: ModelInfo;
  stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<string>;
}

/** Collects a whole reply; for tasks (summary, brief, classify) that are not streamed to her. */
export async function completeText(model: ChatModel, request: ModelRequest, signal: AbortSignal): Promise<string> {
  let text = '';
  for await (const delta of model.stream(request, signal)) text += delta;
  return text;
}
