import type { KnowledgeRetriever, RetrievedChunk } from '../../knowledge/retriever.js';
import type { PromptMessage } from '../../llm/chat-model.js';
import type { MessageRecord } from '../../store/records.js';
import type { ChatModeHandler, ReplyPlan, TurnContext } from '../mode.js';
import { renderPrompt } from '../prompt-library.js';

const RECENT_TURNS = 8;

/** Everyday coaching: her message, grounded in the steps retrieval finds for it. */
export function createCoachMode(retriever: KnowledgeRetriever): ChatModeHandler {
  return {
    id: 'coach',
    async plan(ctx: TurnContext): Promise<ReplyPlan[]> {
      const chunks = await retriever.retrieve(retrievalQuery(ctx));
      const grounded = chunks.slice(0, 3);
      const system = await renderPrompt('coach', {
        level: ctx.verdict.level,
        steps: grounded.map((c) => ({ title: c.title, text: c.text })),
      });
      return [{
        request: {
          task: 'coach',
          messages: [{ role: 'system', content: system }, ...recentTurns(ctx.history)],
          context: { userText: ctx.userText, chunks: grounded, level: ctx.verdict.level, turn: userTurns(ctx.history) },
        },
        meta: citationsOf(grounded),
      }];
    },
  };
}

function retrievalQuery(ctx: TurnContext): string {
  const earlier = ctx.history.filter((m) => m.role === 'user').slice(-3, -1).map((m) => m.text);
  return [...earlier, ctx.userText].join('\n');
}

function recentTurns(history: MessageRecord[]): PromptMessage[] {
  return history
    .filter((m) => (m.role === 'user' || m.role === 'assistant') && m.text)
    .slice(-RECENT_TURNS)
    .map((m) => ({ role: m.role as 'user' | 'assistant', content: m.text }));
}

function userTurns(history: MessageRecord[]): number {
  return history.filter((m) => m.role === 'user').length;
}

export function citationsOf(chunks: RetrievedChunk[]): ReplyPlan['meta'] {
  const steps = [...new Set(chunks.map((c) => c.stepId).filter((s): s is string => Boolean(s)))];
  return { citations: chunks.map((c) => ({ id: c.id, stepId: c.stepId, title: c.title })), steps };
}
