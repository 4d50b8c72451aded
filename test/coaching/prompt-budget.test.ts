import { memoryOf } from '../../src/features/memory/index.js';
import { describe, expect, it } from 'vitest';
import { loadKnowledgeDocuments } from '../../src/knowledge/knowledge-base.js';
import { KnowledgeRetriever } from '../../src/knowledge/retriever.js';
import { coachRequestForHistory } from '../../src/features/coach/coach-mode.js';
import { estimateTokens, SUMMARY_MAX_CHARS } from '../../src/features/memory/rolling-summary.js';
import type { ChatModel, ModelRequest } from '../../src/llm/chat-model.js';
import { GuidedModel } from '../../src/llm/guided-model.js';
import { createGuidedCoachWriter } from '../../src/features/coach/coach-writer.js';
import { ChatClient, createHarness } from '../helpers/harness.js';
import { syntheticHistory } from './synthetic-history.js';

const promptTokens = (request: ModelRequest) => request.messages.reduce((n, m) => n + estimateTokens(m.content), 0);

describe('the coach prompt stays within a token budget as a conversation grows', () => {
  it('built for a stored history, the prompt at turn 100 is at most 1.3 × the prompt at turn 10', async () => {
    const retriever = await KnowledgeRetriever.fromDocuments(loadKnowledgeDocuments());
    const at10 = await coachRequestForHistory(syntheticHistory(10), { retriever });
    const at100 = await coachRequestForHistory(syntheticHistory(100), { retriever });
    expect(promptTokens(at100)).toBeLessThanOrEqual(promptTokens(at10) * 1.3);
    expect(promptTokens(at100)).toBeLessThan(4000);
    const context = at100.messages[2]!.content;
    expect(context).toContain('## Earlier in this conversation');
    expect(context).toContain('His name: Jake');
    expect(at100.messages.at(-1)!.content).toContain('(100)');
    expect(at100.messages.some((m) => m.content.includes('(94)'))).toBe(false);
  });

  it('through the live chat path, over 100 turns, the prompt never outgrows 1.3 × its size at turn 10', async () => {
    const requests: ModelRequest[] = [];
    const guided = new GuidedModel([createGuidedCoachWriter()]);
    const recording: ChatModel = {
      info: guided.info,
      stream: (request, signal) => { requests.push(request); return guided.stream(request, signal); },
    };
    const h = await createHarness({ deps: { model: recording } });
    const client = await ChatClient.open(h);
    const messages = syntheticHistory(100).filter((m) => m.role === 'user').map((m) => m.text);
    let conversationId: string | undefined;
    for (const text of messages) conversationId = (await client.say(text, conversationId ? { conversationId } : {})).conversationId;
    client.close();
    const sizes = requests.map(promptTokens);
    expect(sizes).toHaveLength(100);
    expect(Math.max(...sizes.slice(10))).toBeLessThanOrEqual(sizes[9]! * 1.3);
    const summary = memoryOf(h.store, conversationId!).summary()!;
    expect(summary.text.length).toBeLessThanOrEqual(SUMMARY_MAX_CHARS);
    expect(summary.throughSeq).toBeGreaterThan(150);
    await h.close();
  }, 60_000);
});
