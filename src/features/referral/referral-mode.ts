import { systemClock, type Clock } from '../../clock.js';
import type { KnowledgeDocument } from '../../knowledge/knowledge-base.js';
import { maxLevel, type RiskSubject, type SafetyLevel } from '../../protocol/safety.js';
import type { MessageRecord } from '../../protocol/records.js';
import type { ChatModeHandler, ModeState, ReplyPlan, TurnContext } from '../../chat/mode.js';
import { z } from 'zod';
import { stateSlot } from '../../store/state-slot.js';
import { BRIEF_SLOT, herStatements } from './brief.js';
import { draftBrief } from './brief-draft.js';
import { NEW_PROGRESS, planReferralTurn, ReferralProgress, type ReferralTurn } from './flow.js';
import { ReferralKnowledge } from './referral-knowledge.js';
import { buildReferralRequest, referralCitations } from './referral-request.js';
import { helpLines } from '../../safety/index.js';

export { asksForReferral } from './asks.js';
import { handsToReferral } from './handover.js';

export interface ReferralModeDeps {
  documents: KnowledgeDocument[];
  clock?: Clock;
}

/**
 * Progress as stored: where the flow is, and where it was before her latest message, so
 * regenerating a reply writes that reply again instead of moving on.
 */
const PROGRESS_SLOT = stateSlot('referral', 1, z.object({
  progress: ReferralProgress,
  before: ReferralProgress,
  /** Sequence number of the message of hers that `progress` answered. */
  atSeq: z.number().int(),
}));

/**
 * "Find help" (step 4): which professional fits and why, how to find one in her region,
 * the first call, inviting him, what if he refuses, and her counsellor brief. Also takes
 * over a coach turn when she asks for help (see `asksForReferral`).
 */
export function createReferralMode(deps: ReferralModeDeps): ChatModeHandler {
  const knowledge = new ReferralKnowledge(deps.documents);
  const clock = deps.clock ?? systemClock;
  return {
    id: 'referral',
    claims: (from, earlier, text) => from === 'coach' && handsToReferral(earlier, text),
    async plan(ctx: TurnContext): Promise<ReplyPlan[]> {
      const herMessages = withNewMessage(herStatements(ctx.history), ctx.userText);
      const lastHers = ctx.history.findLast((m) => m.role === 'user');
      const seq = lastHers?.seq ?? 0;
      const base = progressBefore(ctx.state, seq);
      const planned = planReferralTurn({
        herMessages, userText: ctx.userText, ...safetyOf(ctx, lastHers),
        region: ctx.region, resources: helpLines(ctx.region), progress: base,
      });
      const turn = planned.draftBrief ? await withBrief(ctx, planned.turn, clock) : planned.turn;
      ctx.state.write(PROGRESS_SLOT, { progress: planned.progress, before: base, atSeq: seq });
      const request = await buildReferralRequest(turn, ctx.history, ctx.userText, knowledge);
      return [{ request, meta: metaFor(turn, knowledge) }];
    },
  };
}

/**
 * The level and concerns to answer at: the screen's verdict, and never less than what her
 * message was screened at when it was sent (a regenerated reply is screened with no text).
 */
function safetyOf(ctx: TurnContext, message: MessageRecord | undefined): { level: SafetyLevel; atRisk: RiskSubject[] } {
  const stored = (message?.meta as { safety?: { atRisk?: RiskSubject[] } } | undefined)?.safety?.atRisk ?? [];
  return {
    level: message ? maxLevel(ctx.verdict.level, message.safetyLevel) : ctx.verdict.level,
    atRisk: [...new Set([...ctx.verdict.atRisk, ...stored])],
  };
}

function progressBefore(state: ModeState, seq: number): ReferralProgress {
  const stored = state.read(PROGRESS_SLOT);
  if (!stored) return NEW_PROGRESS;
  return stored.atSeq === seq ? stored.before : stored.progress;
}

/** Her "yes" is the consent: draft and save the brief, unless she has already edited one. */
async function withBrief(ctx: TurnContext, turn: ReferralTurn, clock: Clock): Promise<ReferralTurn> {
  const existing = ctx.state.read(BRIEF_SLOT);
  if (existing?.edited) return { ...turn, brief: 'ready' };
  const { brief } = await draftBrief({ history: ctx.history, model: ctx.model, signal: ctx.signal, now: clock.now() });
  ctx.state.write(BRIEF_SLOT, brief);
  return turn;
}

function withNewMessage(messages: string[], userText: string): string[] {
  return userText && messages.at(-1) !== userText ? [...messages, userText] : messages;
}

function metaFor(turn: ReferralTurn, knowledge: ReferralKnowledge): ReplyPlan['meta'] {
  return {
    voice: 'coach',
    steps: ['seek-help'],
    citations: referralCitations(turn, knowledge),
    referral: { kinds: turn.allKinds.map((k) => k.id), topics: turn.topics, brief: turn.brief, region: turn.region },
  };
}
