import type { Config } from './config/env.js';
import { resolveProvider } from './config/env.js';
import type { ChatModel } from './llm/chat-model.js';
import { OpenAIChatModel, type OpenAIModelOptions } from './llm/openai-model.js';
import { PseudonymisingModel } from './llm/pseudonymising-model.js';
import { taskSettings } from './llm/task-settings.js';
import { OpenAICompatibleEmbeddings } from './knowledge/embeddings.js';

/**
 * The model the settings describe, for every entry point (the server, `mend chat`,
 * `npm run eval`): the endpoint with its per-task settings, names masked unless
 * MEND_PSEUDONYMISE=false; undefined in guided mode.
 */
export function modelFromConfig(config: Config, overrides: Partial<OpenAIModelOptions> = {}): ChatModel | undefined {
  if (resolveProvider(config) !== 'openai') return undefined;
  const endpoint = endpointModel(config, overrides);
  return config.MEND_PSEUDONYMISE ? new PseudonymisingModel(endpoint) : endpoint;
}

export function endpointModel(config: Config, overrides: Partial<OpenAIModelOptions> = {}): OpenAIChatModel {
  return new OpenAIChatModel({
    apiKey: config.OPENAI_API_KEY, baseURL: config.OPENAI_BASE_URL, model: config.MEND_MODEL,
    timeoutMs: config.MEND_MODEL_TIMEOUT_MS, maxRetries: config.MEND_MODEL_RETRIES,
    ...(config.MEND_MODEL_REASONING === 'auto' ? {} : { reasoning: config.MEND_MODEL_REASONING === 'true' }),
    reasoningTokens: config.MEND_REASONING_TOKENS,
    tasks: taskSettings({
      coachTemperature: config.MEND_TEMPERATURE_COACH, sonTemperature: config.MEND_TEMPERATURE_SON,
      writingTemperature: config.MEND_TEMPERATURE_WRITING, coachMaxTokens: config.MEND_MAX_TOKENS_COACH,
      sonMaxTokens: config.MEND_MAX_TOKENS_SON, summaryMaxTokens: config.MEND_MAX_TOKENS_SUMMARY, briefMaxTokens: config.MEND_MAX_TOKENS_BRIEF,
    }),
    ...overrides,
  });
}

/** Embeddings on the same endpoint when MEND_EMBEDDINGS_MODEL names a model; knowledge retrieval then ranks by meaning too. */
export function embeddingsFromConfig(config: Config, fetchImpl?: typeof fetch): OpenAICompatibleEmbeddings | undefined {
  if (resolveProvider(config) !== 'openai' || !config.MEND_EMBEDDINGS_MODEL) return undefined;
  return new OpenAICompatibleEmbeddings({
    apiKey: config.OPENAI_API_KEY, baseURL: config.OPENAI_BASE_URL, model: config.MEND_EMBEDDINGS_MODEL,
    timeoutMs: config.MEND_MODEL_TIMEOUT_MS, ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
}
