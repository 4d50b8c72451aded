import type { KnowledgeDocument } from '../../knowledge/knowledge-base.js';
import { levelAtLeast, maxLevel } from '../../protocol/safety.js';
import type { ChatModeHandler, ReplyPlan } from '../../chat/mode.js';
import { planDraft } from './draft-check.js';
import { RehearsalKnowledge } from '../line-check/rehearsal-knowledge.js';
import { draftRequest } from './draft-request.js';

export interface DraftModeDeps {
  documents: KnowledgeDocument[];
}

const SET_ASIDE = [
  'I\'ve set the draft check aside for now. What you wrote sounds serious, and the wording matters much less than getting you support: your safety and his come first.',
  'If anyone is in danger, call your local emergency number now. If not, please talk to someone who can help in person this week, such as your family doctor, his school or a helpline.',
  'When you\'re ready, paste the message again and I\'ll go through it with you.',
].join('\n\n');

/**
 * "Before you say it": she pastes one message she plans to say or text him and gets back
 * what may land badly and why, a rewrite in her own voice, and one step to lean on.
 */
export function createDraftMode(deps: DraftModeDeps): ChatModeHandler {
  const kit = new RehearsalKnowledge(deps.documents);
  return {
    id: 'draft',
    async plan(ctx): Promise<ReplyPlan[]> {
      const hers = ctx.history.findLast((m) => m.role === 'user');
      const level = hers && hers.text === ctx.userText ? maxLevel(ctx.verdict.level, hers.safetyLevel) : ctx.verdict.level;
      if (levelAtLeast(level, 'high')) return [{ fixedText: SET_ASIDE, meta: { voice: 'coach', steps: ['seek-help'] } }];
      const plan = planDraft(ctx.userText, kit);
      return [{ request: await draftRequest(plan), meta: { voice: 'coach', steps: [plan.step], citations: plan.citations, draft: { rewrite: plan.rewrite, changed: plan.changed } } }];
    },
  };
}
