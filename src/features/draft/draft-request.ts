import type { ModelRequest } from '../../llm/chat-model.js';
import { defineTask } from '../../llm/guided-task.js';
import { renderPrompt } from '../../llm/prompt-library.js';
import type { DraftPlan } from './draft-check.js';

export const DRAFT_TASK = defineTask<DraftPlan>('draft-check');

export async function draftRequest(plan: DraftPlan): Promise<ModelRequest> {
  const system = await renderPrompt('draft-check', {
    risks: plan.risks.map((text) => ({ text })), strengths: plan.strengths.map((text) => ({ text })),
    rewrite: plan.rewrite, changed: plan.changed, stepLabel: plan.stepLabel, lean: plan.lean,
  });
  return DRAFT_TASK.request(plan, [{ role: 'system', content: system }, { role: 'user', content: plan.message }], { maxTokens: 450 });
}

