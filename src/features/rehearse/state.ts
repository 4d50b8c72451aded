import { z } from 'zod';
import type { Finding } from './analyser.js';
import type { StepId } from './advice.js';

export const TEMPERAMENTS = ['withdrawn', 'defensive', 'explosive', 'sarcastic', 'willing'] as const;
export type Temperament = (typeof TEMPERAMENTS)[number];

export const REHEARSAL_STATE_KEY = 'rehearsal';
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

export type Reaction = 'flare' | 'push' | 'jab' | 'shut' | 'guarded' | 'soften' | 'open';

/** One line of hers and what it did: the debrief is built from these. */
export interface RehearsalTurn {
  /** Sequence number of her stored message; rewind deletes from here on. */
  seq: number;
  line: string;
  findings: Finding[];
  heat: number;
  warmth: number;
  /** His openness before and after her line; rewind restores `before`. */
  before: number;
  after: number;
  reaction: Reaction;
  /** The step the coach note tied this line to. */
  step: StepId;
}

/** A line she took back: the son forgets it, the debrief remembers what she changed. */
export interface RewoundLine {
  line: string;
  findings: Finding[];
  heat: number;
  warmth: number;
  reaction: Reaction;
  step: StepId;
  /** How many lines of hers came before it, so the debrief can pair it with what she said instead. */
  position: number;
}

export interface RehearsalState {
  scene: string;
  age: number;
  temperament: Temperament;
  /** Conflict topic id from knowledge/topics, when the scene names one. */
  topic?: string;
  notes: boolean;
  /** His openness, from -5 (shut down) to 5 (talking freely); carries across turns. */
  mood: number;
  /** Sequence number of the message that started this rehearsal; older messages are not part of it. */
  startSeq: number;
  /** The first send was the scene itself (he spoke first), not a line to him. */
  sceneOnly: boolean;
  turns: RehearsalTurn[];
  rewound: RewoundLine[];
  /** Safety paused the rehearsal; her next calm line resumes it. */
  paused: boolean;
  ended: boolean;
}

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
