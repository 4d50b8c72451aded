import type { ChatModeHandler, ReplyPlan, TurnContext } from '../../chat/mode.js';
import { levelAtLeast } from '../../protocol/safety.js';
import type { QuickReply } from '../../protocol/frames.js';
import { CHECKIN_TURN_SLOT, CheckInOption, WINS_SHOWN_SLOT, type Outcome } from './progress-data.js';
import type { ProgressService } from './progress-service.js';
import { soundsDiscouraged, type ProgressWords } from './progress-words.js';
import { checkInPlanFor, checkInRequest, winsPlanFor, winsRequest } from './requests.js';

export interface ProgressCoachDeps {
  progress: ProgressService;
  words: ProgressWords;
}

/** Her answers after these check-ins are what worked; after "badly" or "not yet" they are not. */
const KEEPS_WHAT_WORKED = new Set<Outcome>(['better', 'same']);
const WINS_SHOWN = 3;

/**
 * Wraps a coaching mode with what she keeps across conversations: a check-in conversation
 * (started from "How did it go?") is answered from her plan and keeps what worked; when she
 * sounds discouraged, her small wins are brought up once. The wrapped mode does the rest, and
 * in a private conversation it does everything: nothing of hers comes in or goes out there.
 */
export function withProgress(inner: ChatModeHandler, deps: ProgressCoachDeps): ChatModeHandler {
  const handler: ChatModeHandler = {
    id: inner.id,
    async plan(ctx) {
      if (ctx.conversation.private) return inner.plan(ctx);
      const started = await startCheckIn(ctx, inner, deps);
      if (started) return started;
      const kept = await keepWhatWorked(ctx, deps);
      const plans = await inner.plan(ctx);
      return [...kept, ...plans, ...(await winsNote(ctx, deps))];
    },
  };
  if (inner.claims) handler.claims = (from, earlier, text) => inner.claims!(from, earlier, text);
  if (inner.action) handler.action = (ctx, action) => inner.action!(ctx, action);
  if (inner.finish) handler.finish = (ctx, plan, text) => (isOwn(plan) ? Promise.resolve() : inner.finish!(ctx, plan, text));
  return handler;
}

/** The first message of a check-in conversation (or that message answered again). */
async function startCheckIn(ctx: TurnContext, inner: ChatModeHandler, deps: ProgressCoachDeps): Promise<ReplyPlan[] | undefined> {
  const seq = ctx.history.findLast((m) => m.role === 'user')?.seq ?? 0;
  const option = CheckInOption.safeParse(ctx.options ?? {});
  const turn = ctx.state.read(CHECKIN_TURN_SLOT);
  const again = turn && turn.seq === seq; // regenerate: the same quick reply answered again
  if (!option.success && !again) return undefined;
  const { planId, outcome } = option.success ? option.data.checkin : turn!;
  const plan = option.success && !again
    ? recorded(ctx, deps, planId, outcome)
    : deps.progress.findPlan(ctx.ownerId, planId);
  if (!plan) return undefined;
  ctx.state.write(CHECKIN_TURN_SLOT, { planId, outcome, seq, keepNext: KEEPS_WHAT_WORKED.has(outcome) });
  // Safety comes first: a worrying answer gets the coach's care, not the check-in's script.
  if (levelAtLeast(ctx.verdict.level, 'high')) return inner.plan(ctx);
  const words = deps.words.guided[outcome];
  const quickReplies: QuickReply[] = outcome === 'badly' || outcome === 'not-yet' ? [practiseAgain(deps.words, plan.script)] : [];
  return [{ request: await checkInRequest(checkInPlanFor(plan, words), ctx.userText), meta: { voice: 'coach', steps: ['positive', 'patience'], ...(quickReplies.length ? { quickReplies } : {}) } }];
}

/** Opens a rehearsal of the same talk: the page fills the scene in from `text`. */
function practiseAgain(words: ProgressWords, script: string): QuickReply {
  const line = script.length > 150 ? `${script.slice(0, 149).trimEnd()}…` : script;
  return { label: words.practiseAgain, mode: 'rehearse', ...(line ? { text: `I want to say to him: “${line}”` } : {}) };
}

function recorded(ctx: TurnContext, deps: ProgressCoachDeps, planId: string, outcome: Outcome) {
  if (!deps.progress.findPlan(ctx.ownerId, planId)) return undefined;
  return deps.progress.recordCheckIn(ctx.ownerId, planId, outcome, ctx.conversation.id);
}

/** Her words after the check-in's question are what worked, kept with the plan (when she is calm). */
async function keepWhatWorked(ctx: TurnContext, deps: ProgressCoachDeps): Promise<ReplyPlan[]> {
  const turn = ctx.state.read(CHECKIN_TURN_SLOT);
  if (!turn?.keepNext || !ctx.userText.trim()) return [];
  ctx.state.write(CHECKIN_TURN_SLOT, { ...turn, keepNext: false });
  if (ctx.verdict.level !== 'calm') return [];
  deps.progress.keepWhatWorked(ctx.ownerId, turn.planId, ctx.userText);
  const plan = deps.progress.findPlan(ctx.ownerId, turn.planId);
  if (!plan) return [];
  const words = { reply: deps.words.kept, ask: '' };
  return [{ request: await checkInRequest(checkInPlanFor(plan, words, plan.worked ?? ctx.userText), ctx.userText), meta: { voice: 'coach', steps: ['positive'] } }];
}

/** Step 5: when she sounds discouraged, the good moments she noted, once per conversation. */
async function winsNote(ctx: TurnContext, deps: ProgressCoachDeps): Promise<ReplyPlan[]> {
  if (!ctx.userText || levelAtLeast(ctx.verdict.level, 'high') || ctx.state.read(WINS_SHOWN_SLOT)) return [];
  if (!soundsDiscouraged(deps.words, ctx.userText)) return [];
  const wins = deps.progress.recentWins(ctx.ownerId, WINS_SHOWN);
  if (!wins.length) return [];
  ctx.state.write(WINS_SHOWN_SLOT, true);
  return [{ request: await winsRequest(winsPlanFor(wins, deps.words.wins)), meta: { voice: 'coach', steps: ['positive', 'patience'] } }];
}

function isOwn(plan: ReplyPlan): boolean {
  return 'request' in plan && plan.request.task.startsWith('progress-');
}
