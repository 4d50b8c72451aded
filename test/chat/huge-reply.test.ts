import { afterEach, describe, expect, it } from 'vitest';
import type { ChatModel, ModelRequest } from '../../src/llm/chat-model.js';
import { OVERLAP_CHARS, RailedModel } from '../../src/chat/railed-model.js';
import { ModelUnsafeOutputError } from '../../src/llm/errors.js';
import { screenModelOutput } from '../../src/safety/index.js';
import { ChatClient, createHarness, type Harness } from '../helpers/harness.js';

let h: Harness | undefined;
afterEach(async () => { await h?.close(); h = undefined; });

const SENTENCE = 'We can talk calmly tonight, and I will listen first. ';

/** A model that streams `chars` characters as fast as it can, in `chunk`-sized pieces. */
function floodModel(chars: number, chunk = SENTENCE): ChatModel {
  return {
    info: { provider: 'openai', model: 'flood' },
    async *stream(_request: ModelRequest, signal: AbortSignal) {
      for (let sent = 0; sent < chars && !signal.aborted; sent += chunk.length) yield chunk;
    },
  };
}

function chunksOf(parts: string[]): ChatModel {
  return { info: { provider: 'openai', model: 'parts' }, async *stream() { yield* parts; } };
}

const request: ModelRequest = { task: 'coach', messages: [], context: undefined };

async function collect(model: ChatModel): Promise<{ text: string; error?: unknown }> {
  let text = '';
  try {
    for await (const delta of model.stream(request, new AbortController().signal)) text += delta;
  } catch (error) {
    return { text, error };
  }
  return { text };
}

describe('the output rail on a huge reply', () => {
  it('screens each piece with a bounded window: the work per chunk does not grow with the reply', async () => {
    const seen: number[] = [];
    const check = (text: string) => { seen.push(text.length); return screenModelOutput(text); };
    const railed = new RailedModel(floodModel(1_000_000), check, undefined, undefined, 2_000_000);
    const { text, error } = await collect(railed);
    expect(error).toBeUndefined();
    expect(text.length).toBeGreaterThanOrEqual(1_000_000);
    expect(Math.max(...seen)).toBeLessThanOrEqual(OVERLAP_CHARS + 1000 + SENTENCE.length);
    // Each character is screened a bounded number of times (overlap / piece), never the whole reply again.
    expect(seen.reduce((a, b) => a + b, 0)).toBeLessThan(text.length * (OVERLAP_CHARS / SENTENCE.length + 2));
  });

  it('screens one enormous chunk in windows and still finds a phrase across a window edge', async () => {
    const filler = 'x'.repeat(3990) + ' ';
    const railed = new RailedModel(chunksOf([`${filler}a lethal dose is thirty of them. More text.`]), screenModelOutput);
    const { text, error } = await collect(railed);
    expect(error).toBeInstanceOf(ModelUnsafeOutputError);
    expect(text).not.toContain('lethal');
  });

  it.each([
    ['Markdown emphasis', ['A **lethal** **dose** is about 30 _tablets_.']],
    ['digits for letters', ['The l3thal d0se would be higher.']],
    ['spaced letters', ['The e f f e c t i v e way to d i e is not something to discuss.']],
    ['a phrase split across chunks', ['A leth', 'al d', 'ose is about 30 tablets.']],
  ])('cuts a reply that hides method details with %s', async (_label, parts) => {
    const { text, error } = await collect(new RailedModel(chunksOf(parts), screenModelOutput));
    expect(error).toBeInstanceOf(ModelUnsafeOutputError);
    expect(text).not.toMatch(/l[e3]th|d[o0]se|d i e/i);
  });

  it('ends a reply past MEND_MAX_REPLY_CHARS, kept and marked cut off with the reason, and the server goes on answering', async () => {
    h = await createHarness({ env: { MEND_MAX_REPLY_CHARS: '5000' }, deps: { model: floodModel(10_000_000) } });
    const client = await ChatClient.open(h);
    const end = await client.say('He slammed the door again tonight.');
    expect(end.status).toBe('incomplete');
    expect(end.error).toEqual({ code: 'model_too_long', message: expect.stringContaining('length of a useful answer') });
    expect(end.text.length).toBeLessThanOrEqual(5000);
    expect(end.text.length).toBeGreaterThan(4000);
    const stored = h.store.listMessages(end.conversationId).find((m) => m.id === end.replyId)!;
    expect(stored.status).toBe('incomplete');
    expect(stored.text).toBe(end.text);
    const health = await h.app.inject({ method: 'GET', url: '/api/health' });
    expect(health.statusCode).toBe(200);
    client.close();
  });

  it('a reply the rail cut (Markdown-disguised dose) is stored as cut off, not complete', async () => {
    h = await createHarness({ deps: { model: chunksOf(['That sounds hard. ', 'A **lethal** **dose** is about 30 _tablets_.']) } });
    const client = await ChatClient.open(h);
    const end = await client.say('We argued about his phone.');
    expect(end.status).toBe('incomplete');
    expect(end.text).not.toMatch(/lethal/i);
    expect(h.store.listMessages(end.conversationId).find((m) => m.id === end.replyId)!.status).toBe('incomplete');
    client.close();
  });

  it('streams 10 MB (cap raised) while another session keeps p99 ping under 100 ms', async () => {
    const big = `${SENTENCE.repeat(40)}`; // about 2 KB a chunk, as a fast local model might send
    h = await createHarness({ env: { MEND_MAX_REPLY_CHARS: '20000000' }, deps: { model: floodModel(10 * 1024 * 1024, big) } });
    const her = await ChatClient.open(h);
    const other = await ChatClient.open(h);
    const pings: number[] = [];
    let done = false;
    const pinger = (async () => {
      while (!done) {
        const from = other.frames.length;
        const t = performance.now();
        other.send({ type: 'ping' });
        await other.waitFor('pong', () => true, from, 10_000);
        pings.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const end = await (async () => {
      const from = her.frames.length;
      her.send({ type: 'send', clientId: 'huge-1', text: 'He slammed the door again tonight.' });
      return her.waitFor('reply.end', () => true, from, 120_000);
    })();
    done = true;
    await pinger;
    expect(end.status).toBe('complete');
    expect(end.text.length).toBeGreaterThanOrEqual(10 * 1024 * 1024);
    const sorted = [...pings].sort((a, b) => a - b);
    const p99 = sorted[Math.floor(sorted.length * 0.99)]!;
    expect(pings.length).toBeGreaterThan(10);
    expect(p99).toBeLessThan(100);
    her.close();
    other.close();
  }, 180_000);
});
