import { afterEach, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { ChatClient, createHarness, type Harness } from '../helpers/harness.js';
import { COMPLETIONS, OPENAI_TEST_URL, mockServer, sseResponse, testModel, useModelMock } from '../helpers/openai-mock.js';
import { loadConfig } from '../../src/config/env.js';
import { embeddingsFromConfig } from '../../src/model-from-config.js';

useModelMock();

let h: Harness | undefined;
afterEach(async () => { await h?.close(); h = undefined; });

const env = { OPENAI_BASE_URL: OPENAI_TEST_URL, OPENAI_API_KEY: 'k' };
type Body = { messages: Array<{ role: string; content: string }> };

describe('embeddings retrieval from a setting', () => {
  it('is off unless MEND_EMBEDDINGS_MODEL names a model, and never in guided mode', () => {
    expect(embeddingsFromConfig(loadConfig(env))).toBeUndefined();
    expect(embeddingsFromConfig(loadConfig({ MEND_EMBEDDINGS_MODEL: 'test-embed' }))).toBeUndefined();
    expect(embeddingsFromConfig(loadConfig({ ...env, MEND_EMBEDDINGS_MODEL: 'test-embed' }))).toBeDefined();
  });

  it("set, the coach's knowledge is ranked by the endpoint's /embeddings too: the chunk it finds closest moves up in the prompt", async () => {
    const text = 'He slammed the door when I asked about his grades.';
    const titlesSent = async (withEmbeddings: (title: string) => boolean): Promise<{ titles: string[]; embedded: Array<{ model: string; input: string[] }> }> => {
      const embedded: Array<{ model: string; input: string[] }> = [];
      const coach: Body[] = [];
      mockServer.use(
        http.post(`${OPENAI_TEST_URL}/embeddings`, async ({ request }) => {
          const body = await request.json() as { model: string; input: string[] };
          embedded.push(body);
          const close = (t: string) => t === text || withEmbeddings(t);
          return HttpResponse.json({ object: 'list', model: body.model, data: body.input.map((t, index) => ({ object: 'embedding', index, embedding: close(t) ? [1, 0] : [0, 1] })) });
        }),
        http.post(COMPLETIONS, async ({ request }) => {
          coach.push(await request.json() as Body);
          return sseResponse(['That sounds hard. What happened next?']);
        }),
      );
      const config = loadConfig({ ...env, MEND_EMBEDDINGS_MODEL: 'test-embed', MEND_MODEL_TIMEOUT_MS: '2000' });
      h = await createHarness({ deps: { model: testModel(), ...(withEmbeddings !== none ? { embeddings: embeddingsFromConfig(config)! } : {}) } });
      const client = await ChatClient.open(h);
      await client.say(text);
      client.close();
      await h.close();
      h = undefined;
      return { titles: [...coach[0]!.messages[0]!.content.matchAll(/^### (.+) \(/gm)].map((m) => m[1]!), embedded };
    };
    const none = () => false;
    const keywordsOnly = await titlesSent(none);
    expect(keywordsOnly.embedded).toEqual([]);
    const last = keywordsOnly.titles.at(-1)!;
    const ranked = await titlesSent((t) => t.startsWith(`${last}:`));
    expect(ranked.embedded.every((b) => b.model === 'test-embed')).toBe(true);
    expect(ranked.embedded.some((b) => b.input.includes(text))).toBe(true);
    expect(ranked.titles.indexOf(last)).toBeLessThan(keywordsOnly.titles.length - 1);
  });
});
