import { http, HttpResponse, delay } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { OpenAIChatModel } from '../../src/llm/openai-model.js';

export const OPENAI_TEST_URL = 'https://api.openai.test/v1';
export const COMPLETIONS = `${OPENAI_TEST_URL}/chat/completions`;

export const mockServer = setupServer();

/** The model endpoint mocked for a test file: any request no test expects fails the test. */
export function useModelMock(): void {
  beforeAll(() => mockServer.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => mockServer.resetHandlers());
  afterAll(() => mockServer.close());
}

export function testModel(overrides: Partial<ConstructorParameters<typeof OpenAIChatModel>[0]> = {}): OpenAIChatModel {
  return new OpenAIChatModel({ apiKey: 'test-key', baseURL: OPENAI_TEST_URL, model: 'test-model', timeoutMs: 1500, maxRetries: 0, ...overrides });
}

const encoder = new TextEncoder();
const chunk = (content: string | null, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 0, model: 'test-model', choices: [{ index: 0, delta: content === null ? {} : { content }, finish_reason: finish }] })}\n\n`;

/** An SSE body streaming `parts`; `cut` ends the stream without a finish chunk or [DONE]. */
export function sseResponse(parts: string[], options: { cut?: boolean; gapMs?: number } = {}): HttpResponse<ReadableStream> {
  const stream = new ReadableStream({
    async start(controller) {
      for (const part of parts) {
        controller.enqueue(encoder.encode(chunk(part)));
        if (options.gapMs) await delay(options.gapMs);
      }
      if (!options.cut) {
        controller.enqueue(encoder.encode(chunk(null, 'stop')));
        controller.enqueue(encoder.encode('data: [DONE]\n\n'));
      }
      controller.close();
    },
  });
  return new HttpResponse(stream, { headers: { 'content-type': 'text/event-stream' } });
}

/** One raw SSE chunk with any delta (reasoning_content, content parts) and finish reason. */
export function sseChunk(delta: Record<string, unknown>, finish: string | null = null): string {
  return `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 0, model: 'test-model', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
}

/** An SSE body of raw chunks (see `sseChunk`), ended with [DONE]. */
export function sseRaw(chunks: string[]): HttpResponse<ReadableStream> {
  const stream = new ReadableStream({
    start(controller) {
      for (const c of chunks) controller.enqueue(encoder.encode(c));
      controller.enqueue(encoder.encode('data: [DONE]\n\n'));
      controller.close();
    },
  });
  return new HttpResponse(stream, { headers: { 'content-type': 'text/event-stream' } });
}

/** Streams `parts` as content, then ends with this finish reason ("length", "content_filter"…). */
export function sseFinishing(parts: string[], finish: string): HttpResponse<ReadableStream> {
  return sseRaw([...parts.map((p) => sseChunk({ content: p })), sseChunk({}, finish)]);
}

/** Answers every completion with `parts` and records each request body. */
export function streamingReply(parts: string[], bodies: unknown[] = []) {
  return http.post(COMPLETIONS, async ({ request }) => {
    bodies.push(await request.json());
    return sseResponse(parts);
  });
}

export function failingReply(status: number, message = 'upstream says no') {
  return http.post(COMPLETIONS, () => HttpResponse.json({ error: { message, type: 'error' } }, { status }));
}

export function slowReply(ms: number) {
  return http.post(COMPLETIONS, async () => {
    await delay(ms);
    return sseResponse(['too late']);
  });
}
