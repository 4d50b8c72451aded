import { Embeddings } from '@langchain/core/embeddings';
import OpenAI from 'openai';

export interface OpenAICompatibleEmbeddingsOptions {
  apiKey?: string;
  baseURL?: string;
  /** e.g. text-embedding-3-small, or nomic-embed-text on Ollama. */
  model: string;
  timeoutMs?: number;
  /** Injected by tests; defaults to the global fetch, which msw intercepts. */
  fetch?: typeof fetch;
}

/**
 * LangChain embeddings over any OpenAI-compatible `/embeddings` endpoint, through the
 * official SDK we already depend on (so no extra LangChain provider package is needed).
 */
export class OpenAICompatibleEmbeddings extends Embeddings {
  private readonly client: OpenAI;

  constructor(private readonly options: OpenAICompatibleEmbeddingsOptions) {
    super({ maxRetries: 0 });
    this.client = new OpenAI({
      apiKey: options.apiKey ?? 'not-needed',
      baseURL: options.baseURL,
      timeout: options.timeoutMs ?? 15_000,
      // Retrieval never waits on retries: after a failure it ranks by keywords and tries again later.
      maxRetries: 0,
      fetch: options.fetch,
    });
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    const vectors: number[][] = [];
    for (let i = 0; i < texts.length; i += 64) {
      const batch = texts.slice(i, i + 64);
      const response = await this.client.embeddings.create({ model: this.options.model, input: batch, encoding_format: 'float' });
      const ordered = [...response.data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
      vectors.push(...ordered);
    }
    return vectors;
  }

  async embedQuery(text: string): Promise<number[]> {
    const [vector] = await this.embedDocuments([text]);
    return vector!;
  }
}
