import type { GuidedWriter } from '../../llm/guided-task.js';
import { CHECKIN_TASK, WINS_TASK } from './requests.js';

/** Without a model: the counsellor's reviewed words from knowledge/progress, filled in. */
export function progressGuidedWriters(): GuidedWriter[] {
  return [
    CHECKIN_TASK.writer((plan) => (plan.kept ? `${plan.reply}\n\n> ${escapeMarkdown(plan.keptText)}` : `${plan.reply}\n\n${plan.ask}`)),
    WINS_TASK.writer((plan) => [plan.lead, '', ...plan.wins.map((w) => `- ${escapeMarkdown(w.text)} *(${w.day})*`), '', plan.close].join('\n')),
  ];
}

/** Her words shown as written, not read as Markdown. */
function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_[\]#<>|])/g, '\\$1');
}
