import { fileURLToPath } from 'node:url';
import { loadClassifier, type TextClassifier } from '../../classify/index.js';
import { RiskSubject, type SafetyLevel } from '../../protocol/safety.js';
import { AtRiskWho } from './training-line.js';

export const SAFETY_MODEL_PATH = fileURLToPath(new URL('../../../models/safety.json', import.meta.url));

export interface LearnedLevel {
  level: SafetyLevel;
  confidence: number;
  crisisProbability: number;
  details(): { subject: RiskSubject; who: AtRiskWho; now: boolean };
}

export interface LearnedAssessment {
  level: SafetyLevel;
  /** What kind of risk, when the level is above calm. */
  subject: RiskSubject | undefined;
  who: AtRiskWho;
  now: boolean;
  /** The probability that the message is at least `level` (for calm: that it is calm). */
  confidence: number;
  /** The probability of crisis alone, for callers that need a stricter bar. */
  crisisProbability: number;
}

/** Levels above calm, most serious first, with the threshold key each uses. */
const RAISED: ReadonlyArray<Exclude<SafetyLevel, 'calm'>> = ['crisis', 'high', 'strained'];
const DEFAULT_THRESHOLDS: Record<Exclude<SafetyLevel, 'calm'>, number> = { crisis: 0.5, high: 0.5, strained: 0.5 };

/**
 * The learned second layer of the safety screen: a classifier trained on our own labelled
 * messages (training/safety) that reads wording no rule was written for. Its level is the
 * most serious one whose probability, counting every more serious level too, reaches that
 * level's threshold (chosen by the trainer on data it held back). It can only raise a level:
 * the screen takes the higher of the rules and this.
 */
export class LearnedScreen {
  private readonly thresholds: Record<Exclude<SafetyLevel, 'calm'>, number>;

  constructor(private readonly classifier: TextClassifier) {
    this.thresholds = { ...DEFAULT_THRESHOLDS };
    for (const level of RAISED) {
      const t = classifier.thresholds[level];
      if (t !== undefined) this.thresholds[level] = t;
    }
  }

  assess(text: string): LearnedAssessment {
    const read = this.read(text);
    return read.level === 'calm' ? { ...read, subject: undefined, who: 'none', now: false } : { ...read, ...read.details() };
  }

  /**
   * The level first; who and what only when asked for. The screen asks only when the level
   * would change its verdict, which keeps the common case to one head.
   */
  read(text: string): LearnedLevel {
    const features = this.classifier.features(text);
    const p = this.classifier.head('level', text, features).probabilities;
    let atLeast = 0;
    let level: SafetyLevel = 'calm';
    let confidence = p.calm ?? 0;
    for (const candidate of RAISED) {
      atLeast += p[candidate] ?? 0;
      if (atLeast >= this.thresholds[candidate]) {
        level = candidate;
        confidence = atLeast;
        break;
      }
    }
    return {
      level, confidence, crisisProbability: p.crisis ?? 0,
      details: () => ({
        subject: this.subjectOf(text, features), who: this.whoOf(text, features),
        now: this.classifier.head('now', text, features).label === 'now',
      }),
    };
  }

  /** The most likely kind of risk other than "none": a raised level always names one, so it gets help lines. */
  private subjectOf(text: string, features: Uint32Array): RiskSubject {
    const p = this.classifier.head('subject', text, features).probabilities;
    let best: RiskSubject = 'relationship';
    for (const s of RiskSubject.options) if ((p[s] ?? 0) > (p[best] ?? 0)) best = s;
    return best;
  }

  private whoOf(text: string, features: Uint32Array): AtRiskWho {
    const label = this.classifier.head('who', text, features).label;
    return (AtRiskWho.options as readonly string[]).includes(label) ? (label as AtRiskWho) : 'none';
  }
}

let shared: LearnedScreen | undefined;

/** The shipped model, loaded once at start-up; a missing or malformed file stops the app with its name. */
export function learnedScreen(): LearnedScreen {
  shared ??= new LearnedScreen(loadClassifier(SAFETY_MODEL_PATH));
  return shared;
}
