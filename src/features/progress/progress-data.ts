import { z } from 'zod';
import { stateSlot } from '../../store/state-slot.js';

export const OUTCOMES = ['better', 'same', 'badly', 'not-yet'] as const;
export const Outcome = z.enum(OUTCOMES);
export type Outcome = z.infer<typeof Outcome>;

export const PLAN_SCRIPT_MAX = 400;
export const PLAN_PLACE_MAX = 80;
export const WIN_MAX = 160;
export const WORKED_MAX = 240;
const MAX_PLANS = 60;
const MAX_WINS = 200;
const MAX_CHECKINS = 400;

const Id = z.string().min(1).max(64);

/** "What I'll try": the words, when and where, saved from one coaching conversation. */
export const Plan = z.object({
  id: Id,
  /** The coaching conversation it was saved from (its title stands for it in the export). */
  conversationId: Id,
  script: z.string().max(PLAN_SCRIPT_MAX),
  /** When she means to have the talk (ms since the epoch). */
  when: z.number().int(),
  where: z.string().max(PLAN_PLACE_MAX),
  /** His age, when the conversation had it: the rehearsal starts from it. */
  age: z.number().int().min(13).max(19).optional(),
  /** She asked for a browser notification at `when`. */
  remind: z.boolean(),
  createdAt: z.number().int(),
  /** How it went, once she said. */
  outcome: Outcome.optional(),
  /** What worked, in her words, from the check-in conversation. */
  worked: z.string().max(WORKED_MAX).optional(),
});
export type Plan = z.infer<typeof Plan>;

export const Win = z.object({ id: Id, text: z.string().min(1).max(WIN_MAX), at: z.number().int() });
export type Win = z.infer<typeof Win>;

export const CheckIn = z.object({ planId: Id, outcome: Outcome, at: z.number().int(), conversationId: Id });
export type CheckIn = z.infer<typeof CheckIn>;

export const PLANS_SLOT = stateSlot('progress.plans', 1, z.array(Plan).max(MAX_PLANS));
export const WINS_SLOT = stateSlot('progress.wins', 1, z.array(Win).max(MAX_WINS));
export const CHECKINS_SLOT = stateSlot('progress.checkins', 1, z.array(CheckIn).max(MAX_CHECKINS));

/** Newest last, the oldest dropped past the cap, so a slot never fails its own schema. */
export function capped<T>(items: T[], kind: 'plans' | 'wins' | 'checkins'): T[] {
  const max = kind === 'plans' ? MAX_PLANS : kind === 'wins' ? MAX_WINS : MAX_CHECKINS;
  return items.length > max ? items.slice(items.length - max) : items;
}

/** In a check-in conversation: which plan it is about, and whether her next words are "what worked". */
export const CheckInTurn = z.object({ planId: Id, outcome: Outcome, keepNext: z.boolean(), /** Her check-in message: regenerating it answers the check-in again. */ seq: z.number().int() });
export type CheckInTurn = z.infer<typeof CheckInTurn>;
export const CHECKIN_TURN_SLOT = stateSlot('progress.checkin', 1, CheckInTurn);
/** Small wins are brought up once per conversation: more would read as a script. */
export const WINS_SHOWN_SLOT = stateSlot('progress.wins-shown', 1, z.boolean());

/** What the page sends with the first message of a check-in conversation. */
export const CheckInOption = z.object({ checkin: z.object({ planId: Id, outcome: Outcome }).strict() }).passthrough();
