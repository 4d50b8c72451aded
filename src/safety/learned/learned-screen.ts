import { fileURLToPath } from 'node:url';
import { loadClassifier, type TextClassifier } from '../../classify/index.js';
import { RiskSubject, type SafetyLevel } from '../../protocol/safety.js';
import { AtRiskWho } from './training-line.js';

export const SAFETY_MODEL_PATH = fileURLToPath(new URL('../../../models/safety.json', import.meta.url));

export interface LearnedLevel {
  level: SafetyLevel;
  confidence: number;
  crisisProbability: number;
  /** What kind of risk and how sure (one head): enough when the level does not change the verdict. */
  subject(): { subject: RiskSubject; probability: number };
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
const SUBJECTS: readonly string[] = RiskSubject.options;
const WHO: readonly string[] = AtRiskWho.options;

/**
 * The learned second layer of the safety screen: a classifier trained on our own labelled
 * messages (training/safety) that reads wording no rule was written for. Its level is the
 * most serious one whose probability, counting every more serious level too, reaches that
 * level's threshold (chosen by the trainer on data it held back). It can only raise a level:
 * the screen takes the higher of the rules and this.
 */
export class LearnedScreen {
  private readonly thresholds: Record<Exclude<SafetyLevel, 'calm'>, number>;
  private readonly levelIndex: Record<SafetyLevel, number>;

  constructor(private readonly classifier: TextClassifier) {
    const levels = classifier.labelsOf('level');
    this.levelIndex = { calm: levels.indexOf('calm'), strained: levels.indexOf('strained'), high: levels.indexOf('high'), crisis: levels.indexOf('crisis') };
    this.thresholds = { ...DEFAULT_THRESHOLDS };
    for (const level of RAISED) {
      const t = classifier.thresholds[level];
      if (t !== undefined) this.thresholds[level] = t;
    }
  }

  assess(text: string): LearnedAssessment {
    const read = this.read(text);
    const { level, confidence, crisisProbability } = read;
    return level === 'calm' ? { level, confidence, crisisProbability, subject: undefined, who: 'none', now: false } : { level, confidence, crisisProbability, ...read.details() };
  }

  /**
   * The level first; what kind of risk, who and whether it is now only when asked for. The
   * screen asks only when the level would change its verdict, which keeps the common case to
   * one head.
   */
  read(text: string): LearnedLevel {
    const features = this.classifier.features(text);
    const p = this.classifier.probabilities('level', features);
    let atLeast = 0;
    let level: SafetyLevel = 'calm';
    let confidence = p[this.levelIndex.calm] ?? 0;
    for (const candidate of RAISED) {
      atLeast += p[this.levelIndex[candidate]] ?? 0;
      if (atLeast >= this.thresholds[candidate]) {
        level = candidate;
        confidence = atLeast;
        break;
      }
    }
    return new LearnedReading(this, features, level, confidence, p[this.levelIndex.crisis] ?? 0);
  }

  /** The most likely kind of risk other than "none": a raised level always names one, so it gets help lines. */
  subjectOf(features: Uint32Array): { subject: RiskSubject; probability: number } {
    const p = this.classifier.probabilities('subject', features);
    const labels = this.classifier.labelsOf('subject');
    let best = 'relationship';
    let bestP = -1;
    for (let j = 0; j < labels.length; j++) {
      if (labels[j] !== 'none' && p[j]! > bestP && SUBJECTS.includes(labels[j]!)) {
        best = labels[j]!;
        bestP = p[j]!;
      }
    }
    return { subject: best as RiskSubject, probability: Math.max(bestP, 0) };
  }

  whoOf(features: Uint32Array): AtRiskWho {
    const label = this.best('who', features);
    return WHO.includes(label) ? (label as AtRiskWho) : 'none';
  }

  best(head: string, features: Uint32Array): string {
    const p = this.classifier.probabilities(head, features);
    let best = 0;
    for (let j = 1; j < p.length; j++) if (p[j]! > p[best]!) best = j;
    return this.classifier.labelsOf(head)[best]!;
  }
}

/** One message's reading: the other heads run only when asked, and the kind of risk at most once. */
class LearnedReading implements LearnedLevel {
  private subjectRead: { subject: RiskSubject; probability: number } | undefined;

  constructor(
    private readonly screen: LearnedScreen,
    private readonly features: Uint32Array,
    readonly level: SafetyLevel,
    readonly confidence: number,
    readonly crisisProbability: number,
  ) {}

  subject(): { subject: RiskSubject; probability: number } {
    return (this.subjectRead ??= this.screen.subjectOf(this.features));
  }

  details(): { subject: RiskSubject; who: AtRiskWho; now: boolean } {
    return { subject: this.subject().subject, who: this.screen.whoOf(this.features), now: this.screen.best('now', this.features) === 'now' };
  }
}

let shared: LearnedScreen | undefined;

/** The shipped model, loaded once at start-up; a missing or malformed file stops the app with its name. */
export function learnedScreen(): LearnedScreen {
  shared ??= new LearnedScreen(loadClassifier(SAFETY_MODEL_PATH));
  return shared;
}
