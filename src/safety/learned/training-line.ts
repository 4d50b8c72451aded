import { z } from 'zod';
import { RiskSubject, SafetyLevel } from '../../protocol/safety.js';

/** Who is at risk, as the learned screen says it. */
export const AtRiskWho = z.enum(['her', 'him', 'other', 'none']);
export type AtRiskWho = z.infer<typeof AtRiskWho>;

/** One labelled message in training/safety/*.jsonl or training/heldout (see training/safety/LABELS.md). */
export const SafetyTrainingLine = z.object({
  text: z.string().min(1),
  level: SafetyLevel,
  subject: z.union([RiskSubject, z.literal('none')]),
  who: AtRiskWho,
  now: z.boolean(),
  note: z.string().optional(),
}).strict();
export type SafetyTrainingLine = z.infer<typeof SafetyTrainingLine>;

/** The heads of the safety model and their labels, in the order the model file keeps them. */
export const SAFETY_HEADS = {
  level: SafetyLevel.options,
  subject: ['none', ...RiskSubject.options],
  who: AtRiskWho.options,
  now: ['now', 'not-now'],
} as const;
