import { describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { loadKnowledgeDocuments } from '../../src/knowledge/knowledge-base.js';
import { KnowledgeRetriever } from '../../src/knowledge/retriever.js';
import { OpenAICompatibleEmbeddings } from '../../src/knowledge/embeddings.js';
import { mockServer, OPENAI_TEST_URL, useModelMock } from '../helpers/openai-mock.js';

const documents = loadKnowledgeDocuments();

useModelMock();

describe('keyword retrieval over knowledge/', () => {
  it('finds the page a mother’s own words point to, as section chunks with stable ids', async () => {
    const retriever = await KnowledgeRetriever.fromDocuments(documents);
    const [top] = await retriever.retrieve('He lied to me about going to a party');
    expect(top!.docId).toBe('lying-and-trust');
    expect(top!.id).toMatch(/^lying-and-trust#[a-z-]+$/);
    expect(top!.stepId).toBe('calm');
    expect(top!.text.length).toBeGreaterThan(50);
  });

  it('matches word forms: "lying" finds the page whose keywords say "lied"', async () => {
    const retriever = await KnowledgeRetriever.fromDocuments(documents);
    const ranked = await retriever.rankDocuments('he keeps lying');
    expect(ranked[0]!.doc.id).toBe('lying-and-trust');
  });

  it('boosts a page when she says one of its signs, beyond what the words alone score', async () => {
    const retriever = await KnowledgeRetriever.fromDocuments(documents);
    const ranked = await retriever.rankDocuments('i feel like giving up');
    expect(ranked[0]!.doc.id).toBe('patience');
    expect(ranked[0]!.boost).toBeGreaterThan(0);
  });

  it('returns nothing for words the knowledge does not contain, rather than noise', async () => {
    const retriever = await KnowledgeRetriever.fromDocuments(documents);
    expect(await retriever.retrieve('zxqv handset')).toEqual([]);
  });
});

/** A stand-in embedding model: one dimension per theme, so "handset" lands near phone pages. */
function themeVector(text: string): number[] {
  return [...[/phone|screen|handset/i, /grand|gran/i, /lie|lied|lying/i].map((re) => (re.test(text) ? 1 : 0)), 0.01];
}

describe('optional embeddings (OpenAI-compatible /embeddings)', () => {
  const embeddings = () => new OpenAICompatibleEmbeddings({ apiKey: 'test', baseURL: OPENAI_TEST_URL, model: 'test-embed', timeoutMs: 2000 });

  it('finds pages by meaning when her words are not in the knowledge', async () => {
    const requests: Array<{ model: string; input: string[] }> = [];
    mockServer.use(http.post(`${OPENAI_TEST_URL}/embeddings`, async ({ request }) => {
      const body = await request.json() as { model: string; input: string[] };
      requests.push(body);
      return HttpResponse.json({ object: 'list', model: body.model, data: body.input.map((t, index) => ({ object: 'embedding', index, embedding: themeVector(t) })), usage: { prompt_tokens: 0, total_tokens: 0 } });
    }));
    const retriever = await KnowledgeRetriever.fromDocuments(documents, { embeddings: embeddings() });
    const [top] = await retriever.retrieve('he will not let go of his handset');
    expect(top!.docId).toBe('phone-and-screens');
    expect(requests[0]!.model).toBe('test-embed');
    const before = requests.length;
    await retriever.retrieve('handset again');
    expect(requests.length).toBe(before + 1);
  });

  it('falls back to keyword ranking when the endpoint fails, without failing the turn', async () => {
    mockServer.use(http.post(`${OPENAI_TEST_URL}/embeddings`, () => HttpResponse.json({ error: { message: 'down' } }, { status: 500 })));
    const retriever = await KnowledgeRetriever.fromDocuments(documents, { embeddings: embeddings() });
    const keywordOnly = await KnowledgeRetriever.fromDocuments(documents);
    const query = 'He lied to me about going to a party';
    expect((await retriever.retrieve(query)).map((c) => c.id)).toEqual((await keywordOnly.retrieve(query)).map((c) => c.id));
  });
});
