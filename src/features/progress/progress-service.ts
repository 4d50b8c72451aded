import { randomUUID } from 'node:crypto';
import type { Clock } from '../../clock.js';
import { MendError, NotFoundError } from '../../protocol/errors.js';
import type { ConversationStore } from '../../store/conversation-store.js';
import { memoryOf } from '../memory/index.js';
import { draftPlan } from './plan-draft.js';
import {
  capped, CHECKINS_SLOT, PLANS_SLOT, WINS_SLOT, WORKED_MAX,
  type CheckIn, type Outcome, type Plan, type Win,
} from './progress-data.js';
import { weeklyTrend, type LevelSample, type TrendWeek } from './trend.js';

/** Her plans, small wins and check-ins can't come from a conversation Mend isn't keeping. */
export class ProgressInputError extends MendError {
  constructor(message: string) {
    super('bad_request', message);
  }
}

export interface PlanChange {
  script?: string;
  when?: number;
  where?: string;
  remind?: boolean;
}

export interface ProgressOverview {
  plans: Plan[];
  wins: Win[];
  /** The plan whose time has passed with no word yet on how it went: the page asks. */
  due: Plan | null;
}

export interface ProgressExport {
  plans: Plan[];
  wins: Win[];
  checkIns: CheckIn[];
}

/**
 * Progress over weeks, hers across conversations: plans saved from a coaching conversation,
 * how each went, what worked, and small wins. Kept in her owner slots, never in a private
 * conversation's memory and never from one.
 */
export class ProgressService {
  constructor(private readonly store: ConversationStore, private readonly clock: Clock) {}

  overview(ownerId: string): ProgressOverview {
    const plans = this.plans(ownerId);
    const now = this.clock.now();
    const due = plans.filter((p) => !p.outcome && p.when <= now).sort((a, b) => b.when - a.when)[0] ?? null;
    return { plans: [...plans].reverse(), wins: [...this.wins(ownerId)].reverse(), due };
  }

  /** One tap at the end of a coaching conversation: what she'll try, read from it. Saving again updates it. */
  savePlan(ownerId: string, conversationId: string, utcOffsetMinutes: number): Plan {
    const conversation = this.store.getConversation(ownerId, conversationId);
    if (!conversation) throw NotFoundError.conversation();
    if (conversation.private) throw new ProgressInputError('This conversation isn’t being kept, so Mend can’t save a plan from it.');
    const messages = this.store.listMessages(conversationId);
    if (!messages.some((m) => m.role === 'assistant' && m.status === 'complete')) {
      throw new ProgressInputError('There is nothing to save yet: talk it through with Mend first.');
    }
    const draft = draftPlan(messages, this.clock.now(), utcOffsetMinutes);
    const plans = this.plans(ownerId);
    const existing = plans.find((p) => p.conversationId === conversationId && !p.outcome);
    const age = Number(memoryOf(this.store, conversationId).facts().find((f) => f.key === 'son_age')?.value);
    const plan: Plan = {
      id: existing?.id ?? randomUUID(), conversationId, ...draft, remind: existing?.remind ?? false,
      createdAt: existing?.createdAt ?? this.clock.now(),
      ...(Number.isInteger(age) && age >= 13 && age <= 19 ? { age } : {}),
    };
    this.writePlans(ownerId, existing ? plans.map((p) => (p.id === plan.id ? plan : p)) : [...plans, plan]);
    return plan;
  }

  updatePlan(ownerId: string, planId: string, change: PlanChange): Plan {
    const plan = { ...this.plan(ownerId, planId), ...change };
    // A new time for a plan she hadn't got to: Mend asks again after it.
    if (change.when !== undefined && plan.outcome === 'not-yet') delete plan.outcome;
    this.writePlans(ownerId, this.plans(ownerId).map((p) => (p.id === planId ? plan : p)));
    return plan;
  }

  deletePlan(ownerId: string, planId: string): void {
    this.plan(ownerId, planId);
    this.writePlans(ownerId, this.plans(ownerId).filter((p) => p.id !== planId));
  }

  /** How it went, from the check-in's quick reply; the plan keeps the latest answer. */
  recordCheckIn(ownerId: string, planId: string, outcome: Outcome, conversationId: string): Plan {
    const plan = this.updateOutcome(ownerId, planId, outcome);
    const checkIns = [...this.checkIns(ownerId), { planId, outcome, at: this.clock.now(), conversationId }];
    this.store.writeOwnerSlot(ownerId, CHECKINS_SLOT, capped(checkIns, 'checkins'));
    return plan;
  }

  /** What worked, in her words, kept with the plan it came from. */
  keepWhatWorked(ownerId: string, planId: string, text: string): void {
    const plans = this.plans(ownerId);
    if (!plans.some((p) => p.id === planId)) return; // deleted meanwhile: nothing to keep it with
    const worked = clip(text, WORKED_MAX);
    this.writePlans(ownerId, plans.map((p) => (p.id === planId ? { ...p, worked } : p)));
  }

  findPlan(ownerId: string, planId: string): Plan | undefined {
    return this.plans(ownerId).find((p) => p.id === planId);
  }

  addWin(ownerId: string, text: string): Win {
    const win: Win = { id: randomUUID(), text: text.replace(/\s+/g, ' ').trim(), at: this.clock.now() };
    this.store.writeOwnerSlot(ownerId, WINS_SLOT, capped([...this.wins(ownerId), win], 'wins'));
    return win;
  }

  deleteWin(ownerId: string, winId: string): void {
    const wins = this.wins(ownerId);
    if (!wins.some((w) => w.id === winId)) throw new NotFoundError('That small win does not exist (it may have been deleted).');
    this.store.writeOwnerSlot(ownerId, WINS_SLOT, wins.filter((w) => w.id !== winId));
  }

  /** Newest first. */
  recentWins(ownerId: string, count: number): Win[] {
    return this.wins(ownerId).slice(-count).reverse();
  }

  /** Her check-ins and the safety levels of her kept conversations, week by week. */
  trend(ownerId: string): TrendWeek[] {
    const samples: LevelSample[] = [];
    for (const c of this.store.listConversations(ownerId)) {
      if (c.private) continue;
      for (const m of this.store.listMessages(c.id)) {
        if (m.role === 'user') samples.push({ conversationId: c.id, at: m.createdAt, level: m.safetyLevel });
      }
    }
    return weeklyTrend(this.checkIns(ownerId), samples, this.clock.now());
  }

  exported(ownerId: string): ProgressExport {
    return { plans: this.plans(ownerId), wins: this.wins(ownerId), checkIns: this.checkIns(ownerId) };
  }

  private updateOutcome(ownerId: string, planId: string, outcome: Outcome): Plan {
    const plan = { ...this.plan(ownerId, planId), outcome };
    this.writePlans(ownerId, this.plans(ownerId).map((p) => (p.id === planId ? plan : p)));
    return plan;
  }

  private plan(ownerId: string, planId: string): Plan {
    const plan = this.findPlan(ownerId, planId);
    if (!plan) throw new NotFoundError('That plan does not exist (it may have been deleted).');
    return plan;
  }

  private plans(ownerId: string): Plan[] {
    return this.store.readOwnerSlot(ownerId, PLANS_SLOT) ?? [];
  }

  private writePlans(ownerId: string, plans: Plan[]): void {
    this.store.writeOwnerSlot(ownerId, PLANS_SLOT, capped(plans, 'plans'));
  }

  private wins(ownerId: string): Win[] {
    return this.store.readOwnerSlot(ownerId, WINS_SLOT) ?? [];
  }

  private checkIns(ownerId: string): CheckIn[] {
    return this.store.readOwnerSlot(ownerId, CHECKINS_SLOT) ?? [];
  }
}

function clip(text: string, max: number): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1).trimEnd()}…` : one;
}
