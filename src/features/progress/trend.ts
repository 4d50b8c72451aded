import { SafetyLevel } from '../../protocol/safety.js';
import type { CheckIn, Outcome } from './progress-data.js';

const WEEK = 7 * 24 * 60 * 60 * 1000;
export const TREND_WEEKS = 12;

/** How a check-in reads on the chart: higher is better; "didn't get to it" is counted, not scored. */
const OUTCOME_SCORE: Partial<Record<Outcome, number>> = { better: 3, same: 2, badly: 1 };
/** How calm a conversation stayed, on the same 0–3 scale: calm 3 … crisis 0. */
const CALM_SCORE: Record<SafetyLevel, number> = { calm: 3, strained: 2, high: 1, crisis: 0 };

/** One week of the trend, oldest first. */
export interface TrendWeek {
  /** Start of the 7-day window (ms). */
  start: number;
  checkIns: Record<Outcome, number>;
  /** Mean of her scored check-ins (1 badly … 3 better); null with none. */
  checkInScore: number | null;
  /** Kept conversations she wrote in that week. */
  conversations: number;
  /** Mean calm of those conversations (0 crisis … 3 calm); null with none. */
  calmScore: number | null;
  /** The highest safety level she reached that week; null with no conversation. */
  highest: SafetyLevel | null;
}

/** Her own messages in her kept conversations: when, where and at what level. */
export interface LevelSample {
  conversationId: string;
  at: number;
  level: SafetyLevel;
}

/**
 * Weeks counted back from now in 7-day windows, from the first week with anything in it
 * (at most TREND_WEEKS): a new Mend shows no empty weeks.
 */
export function weeklyTrend(checkIns: CheckIn[], samples: LevelSample[], now: number): TrendWeek[] {
  const weeks: TrendWeek[] = [];
  for (let i = TREND_WEEKS - 1; i >= 0; i--) {
    const start = now + 1 - (i + 1) * WEEK; // the window of the last week includes this moment
    const end = start + WEEK;
    weeks.push(weekOf(start, checkIns.filter((c) => c.at >= start && c.at < end), samples.filter((s) => s.at >= start && s.at < end)));
  }
  const first = weeks.findIndex((w) => w.conversations > 0 || Object.values(w.checkIns).some((n) => n > 0));
  return first < 0 ? [] : weeks.slice(first);
}

function weekOf(start: number, checkIns: CheckIn[], samples: LevelSample[]): TrendWeek {
  const counts: Record<Outcome, number> = { better: 0, same: 0, badly: 0, 'not-yet': 0 };
  for (const c of checkIns) counts[c.outcome] += 1;
  const scored = checkIns.map((c) => OUTCOME_SCORE[c.outcome]).filter((s): s is number => s !== undefined);
  const byConversation = new Map<string, SafetyLevel>();
  for (const s of samples) {
    const was = byConversation.get(s.conversationId);
    if (!was || rank(s.level) > rank(was)) byConversation.set(s.conversationId, s.level);
  }
  const levels = [...byConversation.values()];
  return {
    start, checkIns: counts, checkInScore: mean(scored),
    conversations: levels.length, calmScore: mean(levels.map((l) => CALM_SCORE[l])),
    highest: levels.length ? levels.reduce((a, b) => (rank(b) > rank(a) ? b : a)) : null,
  };
}

const rank = (level: SafetyLevel) => SafetyLevel.options.indexOf(level);

function mean(values: number[]): number | null {
  return values.length ? Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 100) / 100 : null;
}
