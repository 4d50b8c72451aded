import type { ModelRequest } from '../../llm/chat-model.js';
import { defineTask } from '../../llm/guided-task.js';
import { renderPrompt } from '../../llm/prompt-library.js';
import type { Outcome, Plan, Win } from './progress-data.js';

/** The check-in reply: how it went, then the question; or, once she said what worked, a short thanks. */
export interface CheckInPlan {
  outcome: Outcome;
  script: string;
  where: string;
  /** The reviewed opening and question (guided), or the question the model ends on. */
  reply: string;
  ask: string;
  kept: boolean;
  keptText: string;
}

export interface WinsPlan {
  wins: Array<{ text: string; day: string }>;
  lead: string;
  close: string;
}

export const CHECKIN_TASK = defineTask<CheckInPlan>('progress-checkin');
export const WINS_TASK = defineTask<WinsPlan>('progress-wins');

const OUTCOME_WORDS: Record<Outcome, string> = {
  better: 'better than she expected', same: 'about the same as usual', badly: 'it went badly', 'not-yet': 'she did not get to it yet',
};

export async function checkInRequest(plan: CheckInPlan, herText: string): Promise<ModelRequest> {
  const system = await renderPrompt('progress-checkin', {
    outcome: OUTCOME_WORDS[plan.outcome], script: plan.script, where: plan.where, ask: plan.kept ? '' : plan.ask, kept: plan.kept,
  });
  return CHECKIN_TASK.request(plan, [{ role: 'system', content: system }, { role: 'user', content: herText }], { maxTokens: 220 });
}

export async function winsRequest(plan: WinsPlan): Promise<ModelRequest> {
  const system = await renderPrompt('progress-wins', {});
  const list = plan.wins.map((w) => `- ${w.text} (${w.day})`).join('\n');
  return WINS_TASK.request(plan, [{ role: 'system', content: system }, { role: 'user', content: list }], { maxTokens: 160 });
}

export function checkInPlanFor(plan: Plan, words: { reply: string; ask: string }, kept?: string): CheckInPlan {
  return {
    outcome: plan.outcome ?? 'same', script: plan.script, where: plan.where, reply: words.reply, ask: words.ask,
    kept: kept !== undefined, keptText: kept ?? '',
  };
}

export function winsPlanFor(wins: Win[], words: { lead: string; close: string }): WinsPlan {
  const day = (at: number) => new Date(at).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', timeZone: 'UTC' });
  return { wins: wins.map((w) => ({ text: w.text, day: day(w.at) })), lead: words.lead, close: words.close };
}
