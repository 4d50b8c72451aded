import { closingFindings, isClosing, OPENING_SIGNALS, type Finding, type LineAnalysis } from '../line-check/analyser.js';
import type { Reaction, Temperament } from './state.js';

/**
 * How a temperament takes what she says. Trust is slow to build and quick to lose, so a
 * harsh line moves him further than a kind one, and each temperament closes up its own way.
 */
interface Profile {
  start: number;
  /** How much heat in her words hurts (×). */
  sensitivity: number;
  /** How much warmth reaches him (×). */
  receptiveness: number;
  /** What he does when a line stings. */
  closes: Extract<Reaction, 'flare' | 'push' | 'jab' | 'shut'>;
}

const PROFILES: Record<Temperament, Profile> = {
  withdrawn: { start: -2, sensitivity: 1, receptiveness: 0.7, closes: 'shut' },
  defensive: { start: -1, sensitivity: 1.4, receptiveness: 0.8, closes: 'push' },
  explosive: { start: -1, sensitivity: 1.6, receptiveness: 0.8, closes: 'flare' },
  sarcastic: { start: -1, sensitivity: 1.1, receptiveness: 0.7, closes: 'jab' },
  willing: { start: 1, sensitivity: 0.7, receptiveness: 1.1, closes: 'push' },
};

export const MOOD_MIN = -5;
export const MOOD_MAX = 5;
const MAX_DROP = 3;
const MAX_RISE = 2;
/** Felt heat at or above this stings: he reacts to the sting, not to the subject. */
const STING = 2;
/** Felt warmth over heat at or above this invites him in. */
const INVITING = 1.5;

export function startingMood(temperament: Temperament): number {
  return PROFILES[temperament].start;
}

export interface SonReaction {
  reaction: Reaction;
  before: number;
  after: number;
  /** What in her line he is reacting to, strongest first (at most two of each kind). */
  closing: Finding[];
  opening: Finding[];
}

/** His reaction to one line of hers, and where it leaves his mood. */
export function react(temperament: Temperament, mood: number, analysis: LineAnalysis): SonReaction {
  const profile = PROFILES[temperament];
  const heat = analysis.heat * profile.sensitivity;
  const warmth = analysis.warmth * profile.receptiveness;
  const delta = clamp(Math.round((warmth - heat) / 2), -MAX_DROP, MAX_RISE);
  const after = clamp(mood + delta, MOOD_MIN, MOOD_MAX);
  return { reaction: reactionFor(profile, heat, warmth - heat, after), before: mood, after, ...strongest(analysis.findings) };
}

function reactionFor(profile: Profile, heat: number, tone: number, after: number): Reaction {
  if (heat >= STING) return profile.closes;
  if (tone >= INVITING) return after >= 1 ? 'open' : after >= -3 ? 'soften' : 'guarded';
  if (after >= 2) return 'soften';
  return profile.closes === 'shut' ? 'shut' : 'guarded';
}

function strongest(findings: Finding[]): Pick<SonReaction, 'closing' | 'opening'> {
  const rank = (order: readonly string[]) => (a: Finding, b: Finding) => order.indexOf(a.signal) - order.indexOf(b.signal);
  const distinct = (list: Finding[]) => list.filter((f, i) => list.findIndex((g) => g.signal === f.signal) === i);
  return {
    closing: closingFindings(findings).slice(0, 2),
    opening: distinct(findings.filter((f) => !isClosing(f.signal)).sort(rank(OPENING_SIGNALS))).slice(0, 2),
  };
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, n));
}
