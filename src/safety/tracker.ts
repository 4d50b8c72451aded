/**
 * Conversation-level safety. Screens each message in the light of what came before:
 * high and crisis stay sticky for a few turns (a denial right after a disclosure does not clear
 * them), a crisis keeps the help banner on for the rest of the conversation, repeated strain and
 * a pattern of strain with aggression raise the level, and a method or means question after
 * earlier distress is always crisis. The state is plain JSON so it can be stored with the
 * conversation.
 */
import { z } from 'zod';
import { analyseMessage, isDenial, toVerdict, type ScreenOptions, type ScreenVerdict } from './screen.js';
import {
  levelAtLeast, maxLevel, RiskSubject, SafetyLevel, SafetyVerdict, type SafetyReason,
} from '../protocol/safety.js';

/** How many later turns a high or crisis level holds for. */
export const STICKY_TURNS = 3;
/** How many recent turns the pattern checks look at. */
export const WINDOW = 6;
/** How much of her last message is kept for reading the next one with it. */
const PREVIOUS_CHARS = 600;
/** A follow-up that carries on ("and…", "also…") is read together with the message before it. */
const CARRIES_ON = /^\s*(?:and|also|plus|oh and|but also|&)\b/i;

const Turn = z.object({ level: SafetyLevel, aggression: z.boolean() }).strict();

export const SafetyTrackerState = z.object({
  version: z.literal(1),
  turns: z.number().int().nonnegative(),
  /** The last few turns as screened on their own (oldest first). */
  recent: z.array(Turn).max(WINDOW),
  /** A high or crisis level still holding, and for how many more turns. */
  sticky: z.object({
    level: SafetyLevel,
    atRisk: z.array(RiskSubject),
    turnsLeft: z.number().int().nonnegative(),
  }).strict().nullable(),
  /** A crisis happened in this conversation: the help banner stays on. */
  crisisSeen: z.boolean(),
  /** Any earlier turn was strained or worse. */
  distressSeen: z.boolean(),
  /** Her last message (clipped), so a danger told across two messages ("I found a rope" … "and a letter") is read whole. */
  previous: z.string().max(PREVIOUS_CHARS).optional(),
}).strict();
export type SafetyTrackerState = z.infer<typeof SafetyTrackerState>;

export const TrackedVerdict = SafetyVerdict.extend({
  methodQuestion: z.boolean(),
  /** Keep the help banner on the conversation. */
  banner: z.boolean(),
  /** The level is being held from an earlier turn. */
  sticky: z.boolean(),
  /** A crisis held from an earlier turn: reply with the short follow-up, not the full crisis reply again. */
  followUp: z.boolean(),
});
export type TrackedVerdict = z.infer<typeof TrackedVerdict>;

function initialState(): SafetyTrackerState {
  return { version: 1, turns: 0, recent: [], sticky: null, crisisSeen: false, distressSeen: false };
}

function note(rule: string, level: SafetyLevel, subject: RiskSubject, text: string): SafetyReason {
  return { rule, level, subject, match: '', start: 0, end: 0, note: text };
}

export class SafetyTracker {
  private s: SafetyTrackerState;

  /** Start fresh, or resume from stored state (validated; throws on anything malformed). */
  constructor(state?: unknown) {
    this.s = state === undefined ? initialState() : SafetyTrackerState.parse(state);
  }

  static fromJSON(state: unknown): SafetyTracker {
    return new SafetyTracker(state);
  }

  /** A copy of the state, safe to JSON.stringify and store. */
  get state(): SafetyTrackerState {
    return structuredClone(this.s);
  }

  toJSON(): SafetyTrackerState {
    return this.state;
  }

  /** Screen her next message and update the conversation state. */
  screen(text: string, opts: ScreenOptions = {}): TrackedVerdict {
    const a = analyseMessage(text, opts);
    const s = this.s;
    const denial = s.sticky !== null && isDenial(text);
    let level = a.level;
    const reasons = [...a.reasons];
    const atRisk = [...a.atRisk];
    const addRisk = (subjects: readonly RiskSubject[]) => {
      for (const r of subjects) if (!atRisk.includes(r)) atRisk.push(r);
    };

    // A method or means question after any earlier distress is crisis, and is never answered.
    if (a.methodQuestion && s.distressSeen && level !== 'crisis') {
      const subject = a.reasons.find((r) => r.rule.startsWith('method.'))?.subject ?? 'mother-distress';
      level = 'crisis';
      reasons.push(note('tracker.method-after-distress', 'crisis', subject, 'method or means question after earlier distress'));
      atRisk.unshift(subject);
    }

    // Read a follow-up that carries on together with her last message: it may complete it.
    if (s.previous && CARRIES_ON.test(text)) {
      const joined = analyseMessage(`${s.previous}\n${text}`);
      const before = s.recent.at(-1)?.level ?? 'calm';
      if (!levelAtLeast(maxLevel(level, before), joined.level)) {
        level = joined.level;
        reasons.push(note('tracker.across-messages', joined.level, joined.atRisk[0] ?? 'mother-distress', 'read together with her previous message'));
        for (const r of [...joined.atRisk].reverse()) if (!atRisk.includes(r)) atRisk.unshift(r);
      }
    }

    const window = [...s.recent, { level: a.level, aggression: a.aggression }].slice(-WINDOW);

    // Three strained (or worse) turns in a row: at least strained, with a note.
    const lastThree = window.slice(-3);
    const previousThree = s.recent.slice(-3);
    const strainedRun = (turns: typeof window) => turns.length === 3 && turns.every((t) => levelAtLeast(t.level, 'strained'));
    if (strainedRun(lastThree) || strainedRun(previousThree)) {
      if (!levelAtLeast(level, 'strained')) level = 'strained';
      if (!levelAtLeast(level, 'high')) {
        reasons.push(note('tracker.repeated-strain', 'strained', 'relationship', 'strained for three turns in a row'));
        addRisk(['relationship']);
      }
    }

    // A pattern of strain together with aggression (slammed doors, thrown things): high.
    const strainedTurns = window.filter((t) => levelAtLeast(t.level, 'strained')).length;
    const aggressiveTurns = window.filter((t) => t.aggression).length;
    const currentSignal = a.aggression || levelAtLeast(a.level, 'strained');
    if (currentSignal && strainedTurns >= 2 && aggressiveTurns >= 2 && !levelAtLeast(level, 'high')) {
      level = 'high';
      reasons.push(note('tracker.strain-and-aggression', 'high', 'violence-to-others', 'repeated strain together with aggression at home'));
      atRisk.unshift('violence-to-others');
    }

    // High and crisis hold for a few turns; a denial right after a disclosure does not clear them.
    const fresh = level;
    let sticky = false;
    if (s.sticky && s.sticky.turnsLeft > 0 && !levelAtLeast(fresh, s.sticky.level)) {
      level = s.sticky.level;
      sticky = true;
      reasons.push(note('tracker.sticky', s.sticky.level, s.sticky.atRisk[0] ?? 'mother-distress',
        denial ? 'sticky: a denial right after a disclosure does not clear it' : 'sticky'));
      addRisk(s.sticky.atRisk);
    }

    // Update the state.
    s.turns += 1;
    s.previous = text.slice(-PREVIOUS_CHARS);
    s.recent = window;
    if (levelAtLeast(fresh, 'strained')) s.distressSeen = true;
    if (levelAtLeast(fresh, 'high')) {
      const held = s.sticky && s.sticky.turnsLeft > 0 ? s.sticky.level : 'calm';
      const subjects = [...atRisk];
      s.sticky = { level: maxLevel(fresh, held), atRisk: subjects, turnsLeft: STICKY_TURNS };
    } else if (s.sticky) {
      // A denial does not count down; anything else does.
      const left = denial ? s.sticky.turnsLeft : s.sticky.turnsLeft - 1;
      s.sticky = left > 0 ? { ...s.sticky, turnsLeft: left } : null;
    }
    if (level === 'crisis') s.crisisSeen = true;

    const verdict = toVerdict({ level, atRisk, reasons, methodQuestion: a.methodQuestion }, opts.region ?? 'OTHER');
    return { ...verdict, banner: s.crisisSeen, sticky, followUp: sticky && level === 'crisis' };
  }

  /**
   * A later layer (the model's second opinion) saw more in this turn than the screen did:
   * the turn's verdict and what the conversation holds are raised to it. Never lowers.
   */
  raise(verdict: TrackedVerdict, raised: { level: SafetyLevel; subject: RiskSubject; note: string }, opts: ScreenOptions = {}): TrackedVerdict {
    if (levelAtLeast(verdict.level, raised.level)) return verdict;
    const s = this.s;
    const atRisk = [raised.subject, ...verdict.atRisk.filter((r) => r !== raised.subject)];
    const reasons = [...verdict.reasons, { ...note('model.second-opinion', raised.level, raised.subject, raised.note), layer: 'model' as const }];
    if (levelAtLeast(raised.level, 'strained')) s.distressSeen = true;
    if (levelAtLeast(raised.level, 'high')) s.sticky = { level: maxLevel(raised.level, s.sticky?.level ?? 'calm'), atRisk, turnsLeft: STICKY_TURNS };
    if (raised.level === 'crisis') s.crisisSeen = true;
    const last = s.recent.at(-1);
    if (last) last.level = maxLevel(last.level, raised.level);
    const raisedVerdict = toVerdict({ level: raised.level, atRisk, reasons, methodQuestion: verdict.methodQuestion }, opts.region ?? 'OTHER');
    return { ...raisedVerdict, banner: s.crisisSeen, sticky: false, followUp: false };
  }

  /** A new conversation starting while a high or crisis level from an earlier one stands: it holds here too. */
  carry(level: SafetyLevel, atRisk: RiskSubject[]): void {
    if (!levelAtLeast(level, 'high')) return;
    this.s.sticky = { level, atRisk, turnsLeft: STICKY_TURNS };
    this.s.distressSeen = true;
    if (level === 'crisis') this.s.crisisSeen = true;
  }
}
