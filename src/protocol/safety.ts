import { z } from 'zod';

/** Ordered from least to most serious; order matters for max(). */
export const SafetyLevel = z.enum(['calm', 'strained', 'high', 'crisis']);
export type SafetyLevel = z.infer<typeof SafetyLevel>;

/** Who the risk is to (or from); decides which help lines fit. */
export const RiskSubject = z.enum([
  'mother-distress', // her own distress, hopelessness or thoughts of suicide
  'mother-safety', // she is being hurt or threatened
  'son-self-harm', // self-harm or suicide risk for her son
  'violence-to-others', // aggression toward others (siblings, her, people outside)
  'son-abused', // abuse of the son by anyone, including by her
  'substance', // alcohol or drug use, overdose
  'relationship', // the relationship itself has broken down (strained)
]);
export type RiskSubject = z.infer<typeof RiskSubject>;

export const Region = z.enum(['US', 'UK', 'CA', 'AU', 'IE', 'NZ', 'OTHER']);
export type Region = z.infer<typeof Region>;

export const SafetyReason = z.object({
  rule: z.string(), // rule id from the rule data files
  level: SafetyLevel,
  subject: RiskSubject,
  match: z.string(), // the matched span, normalised
  start: z.number().int(),
  end: z.number().int(),
  note: z.string().optional(), // e.g. "negated", "idiom", "past", "sticky from earlier turn"
  /** Which layer found it: the rules (default), the learned screen, or the model's second opinion. */
  layer: z.enum(['rules', 'learned', 'model']).optional(),
});
export type SafetyReason = z.infer<typeof SafetyReason>;

export const HelpResource = z.object({
  id: z.string(),
  name: z.string(),
  purpose: z.array(z.string()), // emergency, suicide, dv, child-abuse, substance, parenting, therapist-finder
  phone: z.string().optional(),
  text: z.string().optional(), // e.g. "Text HOME to 741741"
  web: z.string().optional(),
  hours: z.string().optional(),
  source: z.string(),
});
export type HelpResource = z.infer<typeof HelpResource>;

export const SafetyVerdict = z.object({
  level: SafetyLevel,
  atRisk: z.array(RiskSubject),
  reasons: z.array(SafetyReason),
  resources: z.array(HelpResource),
});
export type SafetyVerdict = z.infer<typeof SafetyVerdict>;

const order: Record<SafetyLevel, number> = { calm: 0, strained: 1, high: 2, crisis: 3 };
export function maxLevel(a: SafetyLevel, b: SafetyLevel): SafetyLevel {
  return order[a] >= order[b] ? a : b;
}
export function levelAtLeast(level: SafetyLevel, floor: SafetyLevel): boolean {
  return order[level] >= order[floor];
}
