import { afterEach, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { ChatClient, createHarness, type Harness } from '../helpers/harness.js';
import { COMPLETIONS, mockServer, sseChunk, sseFinishing, sseRaw, sseResponse, testModel, useModelMock } from '../helpers/openai-mock.js';
import { loadConfig } from '../../src/config/env.js';
import { endpointModel } from '../../src/model-from-config.js';
import type { ChatModel } from '../../src/llm/chat-model.js';

useModelMock();

let h: Harness | undefined;
afterEach(async () => { await h?.close(); h = undefined; });

type Body = Record<string, unknown> & { messages: Array<{ role: string; content: string }> };

/** One turn against an endpoint that answers each request in turn with the next response. */
async function turn(responses: Array<() => Response>, model: ChatModel = testModel(), text = 'He slammed the door when I asked about his grades.') {
  const bodies: Body[] = [];
  mockServer.use(http.post(COMPLETIONS, async ({ request }) => {
    bodies.push(await request.json() as Body);
    return (responses[bodies.length - 1] ?? responses.at(-1)!)();
  }));
  h = await createHarness({ deps: { model } });
  const client = await ChatClient.open(h);
  const end = await client.say(text);
  client.close();
  const stored = h.store.listMessages(end.conversationId).find((m) => m.role === 'assistant')!;
  const deltas = client.frames.filter((f) => f.type === 'reply.delta').map((f) => (f as { text: string }).text).join('');
  return { end, stored, bodies, deltas };
}

describe('reasoning never reaches her or the store', () => {
  it('strips a <think> block split across chunks, mid-tag, while streaming', async () => {
    const { end, stored, deltas } = await turn([() => sseResponse(['<thi', 'nk>She is upset; I should be care', 'ful.</th', 'ink>\n\nIt sounds like a hard evening. ', 'What did he say next?'])]);
    expect(end).toMatchObject({ status: 'complete', text: 'It sounds like a hard evening. What did he say next?' });
    expect(stored.text).toBe(end.text);
    expect(deltas).not.toMatch(/think|careful/);
  });

  it('ignores reasoning_content (and an Ollama-style reasoning field)', async () => {
    const { end } = await turn([() => sseRaw([
      sseChunk({ reasoning_content: 'Let me think about the door.' }), sseChunk({ reasoning: 'More thoughts.' }),
      sseChunk({ content: 'That sounds painful. ' }), sseChunk({ content: 'What happened next?' }), sseChunk({}, 'stop'),
    ])]);
    expect(end.text).toBe('That sounds painful. What happened next?');
  });

  it('a reasoning model that spends its budget thinking gives a typed empty error and the guided reply', async () => {
    const { end, stored } = await turn([() => sseRaw([sseChunk({ reasoning_content: 'Thinking '.repeat(50) }), sseChunk({}, 'length')])]);
    expect(end.error).toMatchObject({ code: 'model_empty' });
    expect(end.error!.message).toMatch(/MEND_REASONING_TOKENS/);
    expect(end.meta.fallback).toBe(true);
    expect(stored.text).toContain("Mend's guided coach");
    expect(stored.text).not.toContain('Thinking');
  });

  it('an unclosed <think> that fills the reply is an empty answer, not a reply', async () => {
    const { end } = await turn([() => sseResponse(['<think>I will never close this tag'])]);
    expect(end.error?.code).toBe('model_empty');
    expect(end.text).not.toContain('never close');
  });
});

describe('a reply cut by its length budget', () => {
  it('is continued once and she reads one whole reply', async () => {
    const { end, bodies } = await turn([
      () => sseFinishing(['It sounds like a hard evening, and you '], 'length'),
      () => sseResponse(['handled it as well as you could. What did he say next?']),
    ]);
    expect(end).toMatchObject({ status: 'complete', text: 'It sounds like a hard evening, and you handled it as well as you could. What did he say next?' });
    const continued = bodies[1]!.messages;
    expect(continued.at(-2)).toEqual({ role: 'assistant', content: 'It sounds like a hard evening, and you ' });
    expect(continued.at(-1)!.role).toBe('user');
  });

  it('still cut after that is kept, marked incomplete and she is told', async () => {
    const { end, stored, bodies } = await turn([() => sseFinishing(['It sounds like a hard evening, and you '], 'length')]);
    expect(bodies).toHaveLength(2);
    expect(end.status).toBe('incomplete');
    expect(end.error).toMatchObject({ code: 'model_length_cut' });
    expect(end.error!.message).toMatch(/length limit/);
    expect(stored).toMatchObject({ status: 'incomplete' });
    expect(stored.text).toContain('It sounds like a hard evening, and you');
  });
});

describe('odd streams', () => {
  it('content_filter before any text: a typed error and the guided reply, not an empty "complete" one', async () => {
    const { end, stored } = await turn([() => sseFinishing([], 'content_filter')]);
    expect(end.error?.code).toBe('model_filtered');
    expect(end.meta.fallback).toBe(true);
    expect(stored.text.length).toBeGreaterThan(80);
  });

  it('content_filter part-way: what arrived is kept, the reply is marked incomplete and guided mode finishes it', async () => {
    const { end, stored } = await turn([() => sseFinishing(['That sounds so hard. '], 'content_filter')]);
    expect(end).toMatchObject({ status: 'incomplete', error: { code: 'model_filtered' }, meta: { fallback: true } });
    expect(stored.status).toBe('incomplete');
    expect(stored.text.startsWith('That sounds so hard.')).toBe(true);
    expect(stored.text).toContain('takes over from here');
  });

  it('an empty finish is a typed error with the guided reply', async () => {
    const { end, stored } = await turn([() => sseFinishing([], 'stop')]);
    expect(end.error?.code).toBe('model_empty');
    expect(stored.text.length).toBeGreaterThan(80);
  });

  it('content parts are read as text; non-text parts never show as [object Object]', async () => {
    const { end } = await turn([() => sseRaw([
      sseChunk({ content: [{ type: 'text', text: 'That sounds so hard. ' }, { type: 'image_url', image_url: { url: 'x' } }] }),
      sseChunk({ content: { type: 'text', text: 'What happened next?' } }), sseChunk({ content: { type: 'audio', data: 'AAAA' } }), sseChunk({}, 'stop'),
    ])]);
    expect(end).toMatchObject({ status: 'complete', text: 'That sounds so hard. What happened next?' });
  });

  it('only non-text content: a typed error, never [object Object]', async () => {
    const { end, stored } = await turn([() => sseRaw([sseChunk({ content: [{ type: 'image_url', image_url: { url: 'x' } }] }), sseChunk({}, 'stop')])]);
    expect(end.error?.code).toBe('model_empty');
    expect(end.error!.message).toMatch(/other than text/);
    expect(stored.text).not.toContain('[object');
  });

  it('an HTML page answered with 200 says the address is wrong, not "cut off part-way"', async () => {
    const { end } = await turn([() => new HttpResponse('<!doctype html><html><body>Welcome to nginx!</body></html>', { headers: { 'content-type': 'text/html' } })]);
    expect(end.error?.code).toBe('model_bad_response');
    expect(end.error!.message).toMatch(/OPENAI_BASE_URL/);
    expect(end.meta.fallback).toBe(true);
  });

  it('a 200 with plain text where a stream should be is reported the same way', async () => {
    const { end } = await turn([() => new HttpResponse('hello', { headers: { 'content-type': 'text/plain' } })]);
    expect(end.error?.code).toBe('model_bad_response');
  });
});

describe('OpenAI reasoning models and refused parameters', () => {
  it('o4-mini gets max_completion_tokens with thinking headroom and no temperature or max_tokens', async () => {
    const { end, bodies } = await turn([() => sseResponse(['That sounds hard. What happened next?'])], testModel({ model: 'o4-mini', reasoningTokens: 2000, tasks: { coach: { temperature: 0.6 } } }));
    expect(end.status).toBe('complete');
    expect(bodies[0]).toMatchObject({ model: 'o4-mini', max_completion_tokens: 450 + 2000 });
    expect(bodies[0]).not.toHaveProperty('max_tokens');
    expect(bodies[0]).not.toHaveProperty('temperature');
  });

  it('a parameter the endpoint refuses is dropped once, the turn answered, and never sent again', async () => {
    const bodies: Body[] = [];
    mockServer.use(http.post(COMPLETIONS, async ({ request }) => {
      const body = await request.json() as Body;
      bodies.push(body);
      if ('temperature' in body) {
        return HttpResponse.json({ error: { message: "Unsupported value: 'temperature' does not support 0.6 with this model.", type: 'invalid_request_error', param: 'temperature', code: 'unsupported_value' } }, { status: 400 });
      }
      return sseResponse(['That sounds hard. What happened next?']);
    }));
    h = await createHarness({ deps: { model: testModel({ tasks: { coach: { temperature: 0.6 } } }) } });
    const client = await ChatClient.open(h);
    const first = await client.say('He slammed the door.');
    const second = await client.say('He is still angry.', { conversationId: first.conversationId });
    client.close();
    expect([first.status, second.status]).toEqual(['complete', 'complete']);
    expect(first.meta.fallback).toBeUndefined();
    expect(bodies.map((b) => 'temperature' in b)).toEqual([true, false, false]);
  });

  it('a refusal it cannot work around names the parameter instead of "check the model name"', async () => {
    const { end } = await turn([() => HttpResponse.json({ error: { message: "Unsupported parameter: 'stream' is not supported with this model.", type: 'invalid_request_error', param: 'stream', code: 'unsupported_parameter' } }, { status: 400 })]);
    expect(end.error?.code).toBe('model_bad_request');
    expect(end.error!.message).toContain('"stream"');
    expect(end.error!.message).not.toMatch(/model name/);
  });
});

describe('per-task settings from the environment', () => {
  const config = (env: Record<string, string>) => loadConfig({ OPENAI_BASE_URL: 'https://api.openai.test/v1', OPENAI_API_KEY: 'k', MEND_MODEL: 'test-model', MEND_MODEL_TIMEOUT_MS: '1500', MEND_MODEL_RETRIES: '0', ...env });

  it('the coach gets its temperature and token budget', async () => {
    const { bodies } = await turn([() => sseResponse(['That sounds hard. What happened next?'])], endpointModel(config({ MEND_TEMPERATURE_COACH: '0.3', MEND_MAX_TOKENS_COACH: '333' })));
    expect(bodies[0]).toMatchObject({ temperature: 0.3, max_tokens: 333 });
  });

  it('defaults are sensible and a bad value names the variable', () => {
    expect(config({})).toMatchObject({ MEND_TEMPERATURE_COACH: 0.6, MEND_TEMPERATURE_SON: 0.9, MEND_TEMPERATURE_WRITING: 0.2, MEND_MAX_TOKENS_COACH: 450, MEND_MODEL_REASONING: 'auto' });
    expect(() => config({ MEND_TEMPERATURE_SON: '7' })).toThrow(/MEND_TEMPERATURE_SON="7": expected a number from 0 to 2/);
  });
});
