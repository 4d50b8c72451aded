import type { ModelTask } from './chat-model.js';
import type { TaskSettings } from './openai-model.js';

/** The per-task settings a deployment chooses (MEND_TEMPERATURE_*, MEND_MAX_TOKENS_*). */
export interface TaskSettingChoices {
  coachTemperature: number;
  sonTemperature: number;
  writingTemperature: number;
  coachMaxTokens: number;
  sonMaxTokens: number;
  summaryMaxTokens: number;
  briefMaxTokens: number;
}

/**
 * Which setting each task takes. Coaching replies (the coach, the rehearsal notes, the
 * debrief, the draft check, finding help) share one warmth; the son is livelier; summaries
 * and briefs are written close to her words; the safety classifier is deterministic.
 */
export function taskSettings(choices: TaskSettingChoices): Record<ModelTask, TaskSettings> {
  const coaching = { temperature: choices.coachTemperature };
  return {
    coach: { ...coaching, maxTokens: choices.coachMaxTokens },
    'rehearsal-note': coaching,
    debrief: coaching,
    'draft-check': coaching,
    referral: coaching,
    // Her check-in and small wins are coaching replies too.
    'progress-checkin': coaching,
    'progress-wins': coaching,
    son: { temperature: choices.sonTemperature, maxTokens: choices.sonMaxTokens },
    summary: { temperature: choices.writingTemperature, maxTokens: choices.summaryMaxTokens },
    brief: { temperature: choices.writingTemperature, maxTokens: choices.briefMaxTokens },
    classify: { temperature: 0 },
    judge: { temperature: 0 },
  };
}
