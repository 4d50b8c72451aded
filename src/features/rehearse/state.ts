import { z } from 'zod';
import { CLOSING_SIGNALS, OPENING_SIGNALS } from '../line-check/analyser.js';
import { STEP_IDS } from '../line-check/advice.js';
import { stateSlot } from '../../store/state-slot.js';

export const TEMPERAMENTS = ['withdrawn', 'defensive', 'explosive', 'sarcastic', 'willing'] as const;
export type Temperament = (typeof TEMPERAMENTS)[number];

export const MIN_AGE = 13;
export const MAX_AGE = 19;

/** The first send's `options`: the scene, his age and temperament; `notes` may come on any send. */
export const RehearsalOptions = z.object({
  scene: z.string({ error: 'Set the scene first: a sentence or two about what you want to talk to him about.' })
    .trim().min(3, 'Set the scene first: a sentence or two about what you want to talk to him about.')
    .max(600, 'Keep the scene to a sentence or two (600 characters at most).'),
  age: z.coerce.number({ error: `His age must be a whole number from ${MIN_AGE} to ${MAX_AGE}.` })
    .int(`His age must be a whole number from ${MIN_AGE} to ${MAX_AGE}.`)
    .min(MIN_AGE, `His age must be a whole number from ${MIN_AGE} to ${MAX_AGE}.`)
    .max(MAX_AGE, `His age must be a whole number from ${MIN_AGE} to ${MAX_AGE}.`),
  temperament: z.enum(TEMPERAMENTS, { error: `Pick his temperament: ${TEMPERAMENTS.join(', ')}.` }),
  notes: z.boolean().optional(),
});
export type RehearsalOptions = z.infer<typeof RehearsalOptions>;

export const NotesOption = z.object({ notes: z.boolean().optional() }).passthrough();

export const REACTIONS = ['flare', 'push', 'jab', 'shut', 'guarded', 'soften', 'open'] as const;
export type Reaction = (typeof REACTIONS)[number];

const FindingSchema = z.object({ signal: z.enum([...CLOSING_SIGNALS, ...OPENING_SIGNALS]), match: z.string() });
const StepIdSchema = z.enum(STEP_IDS);

/** One line of hers and what it did: the debrief is built from these. */
const RehearsalTurn = z.object({
  /** Sequence number of her stored message; rewind deletes from here on. */
  seq: z.number().int(),
  line: z.string(),
  findings: z.array(FindingSchema),
  heat: z.number(),
  warmth: z.number(),
  /** His openness before and after her line; rewind restores `before`. */
  before: z.number(),
  after: z.number(),
  reaction: z.enum(REACTIONS),
  /** The step the coach note tied this line to. */
  step: StepIdSchema,
});
export type RehearsalTurn = z.infer<typeof RehearsalTurn>;

/** A line she took back: the son forgets it, the debrief remembers what she changed. */
const RewoundLine = z.object({
  line: z.string(),
  findings: z.array(FindingSchema),
  heat: z.number(),
  warmth: z.number(),
  reaction: z.enum(REACTIONS),
  step: StepIdSchema,
  /** How many lines of hers came before it, so the debrief can pair it with what she said instead. */
  position: z.number().int(),
});
export type RewoundLine = z.infer<typeof RewoundLine>;

export const RehearsalState = z.object({
  scene: z.string(),
  age: z.number().int(),
  temperament: z.enum(TEMPERAMENTS),
  /** Conflict topic id from knowledge/topics, when the scene names one. */
  topic: z.string().optional(),
  notes: z.boolean(),
  /** His openness, from -5 (shut down) to 5 (talking freely); carries across turns. */
  mood: z.number(),
  /** Sequence number of the message that started this rehearsal; older messages are not part of it. */
  startSeq: z.number().int(),
  /** The first send was the scene itself (he spoke first), not a line to him. */
  sceneOnly: z.boolean(),
  turns: z.array(RehearsalTurn),
  rewound: z.array(RewoundLine),
  /** Safety paused the rehearsal; her next calm line resumes it. */
  paused: z.boolean(),
  ended: z.boolean(),
});
export type RehearsalState = z.infer<typeof RehearsalState>;
export const REHEARSAL_SLOT = stateSlot('rehearsal', 1, RehearsalState);

export function newRehearsal(options: RehearsalOptions, start: { mood: number; seq: number; sceneOnly: boolean; topic?: string }): RehearsalState {
  return {
    scene: options.scene, age: options.age, temperament: options.temperament, ...(start.topic ? { topic: start.topic } : {}),
    notes: options.notes ?? true, mood: start.mood, startSeq: start.seq, sceneOnly: start.sceneOnly,
    turns: [], rewound: [], paused: false, ended: false,
  };
}

/** His mood in words, for the son prompt, the notes and the debrief. */
export function moodWords(mood: number): string {
  if (mood <= -4) return 'shut down';
  if (mood <= -2) return 'on guard';
  if (mood <= 0) return 'wary';
  if (mood <= 2) return 'listening';
  return 'talking openly';
}
