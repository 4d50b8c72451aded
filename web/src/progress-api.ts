import type { Outcome, Plan, TrendWeek, Win } from '../../src/features/progress/index.js';
import { request } from './api.js';

export type { Outcome, Plan, TrendWeek, Win };

export interface CheckInWords {
  question: string;
  lead: string;
  replies: Array<{ outcome: Outcome; label: string; text: string }>;
}

export interface ProgressOverview {
  plans: Plan[];
  wins: Win[];
  due: Plan | null;
  checkIn: CheckInWords;
}

export interface PlanChange {
  script?: string;
  when?: number;
  where?: string;
  remind?: boolean;
}

const planPath = (id: string) => `/api/progress/plans/${encodeURIComponent(id)}`;

export const progressApi = {
  overview: () => request<ProgressOverview>('GET', '/api/progress'),
  trend: () => request<{ weeks: TrendWeek[] }>('GET', '/api/progress/trend').then((r) => r.weeks),
  savePlan: (conversationId: string) =>
    request<{ plan: Plan }>('POST', '/api/progress/plans', { conversationId, utcOffsetMinutes: new Date().getTimezoneOffset() }).then((r) => r.plan),
  changePlan: (id: string, change: PlanChange) => request<{ plan: Plan }>('PATCH', planPath(id), change).then((r) => r.plan),
  deletePlan: (id: string) => request<void>('DELETE', planPath(id)),
  addWin: (text: string) => request<{ win: Win }>('POST', '/api/progress/wins', { text }).then((r) => r.win),
  deleteWin: (id: string) => request<void>('DELETE', `/api/progress/wins/${encodeURIComponent(id)}`),
};
