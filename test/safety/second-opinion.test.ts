import { afterEach, describe, expect, it } from 'vitest';
import { http, delay } from 'msw';
import { ChatClient, createHarness, type Harness } from '../helpers/harness.js';
import { COMPLETIONS, mockServer, sseResponse, testModel, useModelMock } from '../helpers/openai-mock.js';

useModelMock();

let h: Harness | undefined;
afterEach(async () => { await h?.close(); h = undefined; });

type Body = { messages: Array<{ role: string; content: string }>; response_format?: unknown };
const isOpinion = (body: Body) => body.messages[0]!.content.includes('safety reviewer');
/** A message the local screens read as calm, so only the second opinion can raise it. */
const QUIET = 'He was lovely tonight, he thanked me for everything and hugged his little sister for ages.';

function endpoint(opinion: () => Promise<string[]> | string[], seen: Body[]) {
  return http.post(COMPLETIONS, async ({ request }) => {
    const body = await request.json() as Body;
    seen.push(body);
    return sseResponse(isOpinion(body) ? await opinion() : ['That sounds like a good evening. ', 'What made it work?']);
  });
}

async function sendOne(harness: Harness, text: string) {
  const client = await ChatClient.open(harness);
  const started = Date.now();
  const end = await client.say(text);
  const frames = client.frames;
  client.close();
  return { end, frames, ms: Date.now() - started };
}

describe('the model’s safety second opinion', () => {
  it('raises a message the local screens missed, before any coaching text is written', async () => {
    const seen: Body[] = [];
    mockServer.use(endpoint(() => ['{"level":"crisis","subject":"son-self-harm","who":"him","now":true,"reason":"goodbye behaviour"}'], seen));
    h = await createHarness({ env: { MEND_SAFETY_OPINION_MS: '2000' }, deps: { model: testModel() } });
    const { end, frames } = await sendOne(h, QUIET);
    const safety = frames.find((f) => f.type === 'safety');
    expect(safety).toMatchObject({ level: 'crisis', banner: true });
    expect(end.meta.fixed).toBe(true);
    expect(seen.filter((b) => !isOpinion(b))).toHaveLength(0); // no coaching request at all
    const stored = h.store.listMessages(end.conversationId).find((m) => m.role === 'user');
    expect(stored!.safetyLevel).toBe('crisis');
  });

  it('sends the opinion request pseudonymised like every other request', async () => {
    const seen: Body[] = [];
    mockServer.use(endpoint(() => ['{"level":"calm","subject":"none","who":"none","now":false}'], seen));
    const { PseudonymisingModel } = await import('../../src/llm/pseudonymising-model.js');
    h = await createHarness({ env: { MEND_SAFETY_OPINION_MS: '2000' }, deps: { model: new PseudonymisingModel(testModel()) } });
    await sendOne(h, 'My son Jayden was lovely tonight and thanked me.');
    console.log(seen.map((b) => b.messages[0]!.content.slice(0, 80)));
    const opinion = seen.find(isOpinion)!;
    expect(JSON.stringify(opinion.messages)).not.toContain('Jayden');
  });

  it('ignores malformed JSON and keeps the local verdict', async () => {
    const seen: Body[] = [];
    mockServer.use(endpoint(() => ['Sure! I think this is probably crisis level.'], seen));
    h = await createHarness({ env: { MEND_SAFETY_OPINION_MS: '2000' }, deps: { model: testModel() } });
    const { end, frames } = await sendOne(h, QUIET);
    expect(frames.some((f) => f.type === 'safety')).toBe(false);
    expect(end.text).toContain('What made it work?');
    expect(h.logs.join('\n')).toContain('"outcome":"malformed"');
  });

  it('gives up after its bound; the reply goes on with the local verdict', async () => {
    const seen: Body[] = [];
    mockServer.use(endpoint(async () => { await delay(4000); return ['{"level":"crisis","subject":"son-self-harm","who":"him","now":true}']; }, seen));
    h = await createHarness({ env: { MEND_SAFETY_OPINION_MS: '300' }, deps: { model: testModel({ timeoutMs: 10_000 }) } });
    const { end, ms } = await sendOne(h, QUIET);
    expect(end.text).toContain('What made it work?');
    expect(ms).toBeLessThan(3000);
    expect(h.logs.join('\n')).toContain('"outcome":"timeout"');
  });

  it('can never lower what the local screens found', async () => {
    const seen: Body[] = [];
    mockServer.use(endpoint(() => ['{"level":"calm","subject":"none","who":"none","now":false}'], seen));
    h = await createHarness({ env: { MEND_SAFETY_OPINION_MS: '2000' }, deps: { model: testModel() } });
    const { frames } = await sendOne(h, 'He pushed me into the kitchen counter last night and I am scared of him.');
    expect(frames.find((f) => f.type === 'safety')).toMatchObject({ level: 'high' });
  });
});
