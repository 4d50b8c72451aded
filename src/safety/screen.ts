/**
 * The deterministic screen for one message: normalise, run every rule, apply the modifiers
 * to each match, and score. No model is involved and nothing in the message can turn it off:
 * injection framing ("ignore your rules", "this is fiction") only stops fiction framing from
 * lowering a match.
 */
import { MessageContext } from './context.js';
import { collapseRuns, normalise } from './normalise.js';
import { resourcesFor } from './resources.js';
import { learnedScreen } from './learned/learned-screen.js';
import { BoundedMemo } from '../text/bounded-memo.js';
import { loadSafetyData, type CompiledRule, type SafetyData } from './rules.js';
import {
  levelAtLeast, maxLevel, type Region, type RiskSubject, type SafetyLevel, type SafetyReason, type SafetyVerdict,
} from '../protocol/safety.js';

const DATA: SafetyData = loadSafetyData();

/**
 * Prefilter: a rule only runs when one of its anchor words is in the message, so a typical
 * message runs a handful of regexes instead of all of them.
 */
const EXACT = new Map<string, number[]>();
const PREFIX = new Map<string, Array<[string, number]>>();
const ALWAYS: number[] = [];
DATA.rules.forEach((rule, i) => {
  if (!rule.anchors) {
    ALWAYS.push(i);
    return;
  }
  for (const a of rule.anchors) {
    if (a.endsWith('*')) {
      const p = a.slice(0, -1);
      const key = p.slice(0, 2);
      if (!PREFIX.has(key)) PREFIX.set(key, []);
      PREFIX.get(key)!.push([p, i]);
    } else {
      if (!EXACT.has(a)) EXACT.set(a, []);
      EXACT.get(a)!.push(i);
    }
  }
});
const WORDS = /[a-z0-9']+/g;

/** The rules each word anchors, worked out once per word: words recur from message to message. */
const RULES_OF_WORD = new BoundedMemo<readonly number[]>();

function rulesAnchoredBy(word: string): readonly number[] {
  return RULES_OF_WORD.get(word, () => {
    const found: number[] = [];
    const visit = (w: string) => {
      const exact = EXACT.get(w);
      if (exact) found.push(...exact);
      const pre = PREFIX.get(w.slice(0, 2));
      if (pre) for (const [p, i] of pre) if (w.startsWith(p)) found.push(i);
    };
    visit(word);
    const apos = word.indexOf("'");
    if (apos > 0) visit(word.slice(0, apos));
    if (apos === 0 && word.length > 1) visit(word.slice(1));
    return found;
  });
}

function candidates(norm: string): Uint8Array {
  const mark = new Uint8Array(DATA.rules.length);
  for (const i of ALWAYS) mark[i] = 1;
  WORDS.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = WORDS.exec(norm)) !== null) for (const i of rulesAnchoredBy(m[0])) mark[i] = 1;
  return mark;
}

const ORDER: Record<SafetyLevel, number> = { calm: 0, strained: 1, high: 2, crisis: 3 };
const LEVELS: readonly SafetyLevel[] = ['calm', 'strained', 'high', 'crisis'];

function minLevel(a: SafetyLevel, b: SafetyLevel): SafetyLevel {
  return ORDER[a] <= ORDER[b] ? a : b;
}
function lower(level: SafetyLevel): SafetyLevel {
  return LEVELS[Math.max(0, ORDER[level] - 1)]!;
}

/** Which subject leads when two reasons share a level: the most urgent danger first. */
const SUBJECT_PRIORITY: readonly RiskSubject[] = [
  'mother-safety', 'son-self-harm', 'mother-distress', 'son-abused', 'violence-to-others', 'substance', 'relationship',
];

export type ScreenVerdict = SafetyVerdict & { methodQuestion: boolean };

/** Everything the screen found, including what the tracker needs and the verdict leaves out. */
export interface Analysis {
  level: SafetyLevel;
  atRisk: RiskSubject[];
  reasons: SafetyReason[];
  methodQuestion: boolean;
  /** Aggression signs (slammed doors, thrown things), even when the message itself is calm. */
  aggression: boolean;
  /** The message looked like an attempt to switch safety off. Never lowers anything. */
  injection: boolean;
}

interface Scored {
  reason: SafetyReason;
  rule: CompiledRule;
  /** Not cancelled by negation, fiction or idiom: it counts for the flags. */
  live: boolean;
}

function scoreMatch(ctx: MessageContext, rule: CompiledRule, start: number, end: number, gaps: string[]): Scored | undefined {
  const notes: string[] = [];
  let level = rule.level;
  let subject = rule.subject;
  let live = true;

  const inSon = ctx.inSonSpeech(start);
  if (rule.onlyInSonSpeech && !inSon) return undefined;
  if (inSon && rule.sonSpeech) {
    subject = rule.sonSpeech.subject;
    level = rule.sonSpeech.level ?? level;
    notes.push('his words');
    if (rule.onlyInSonSpeech && ctx.sonSpeechToOther(start)) {
      // "You" in words he said to his brother or a friend is not her: heated words, not a threat to her.
      subject = subject === 'mother-safety' ? 'violence-to-others' : subject;
      level = minLevel(level, 'strained');
      notes.push('said to someone else');
    }
  } else if (rule.sonSubject) {
    if (ctx.aboutSon(start, end) === true) subject = rule.sonSubject;
  }

  const method = rule.flagSet.has('method');

  if (rule.negatable !== false && ctx.negated(start, end, gaps)) {
    if (rule.contingent && ctx.contingentAfter(end)) {
      notes.push('negated, but conditional');
    } else if (rule.contingent && ctx.butAfter(end)) {
      level = minLevel(level, 'high');
      notes.push('negated, but...');
    } else {
      level = 'calm';
      live = false;
      notes.push('negated');
    }
  }

  if (live && rule.fiction !== false && !method && !ctx.injection() && ctx.fiction(start, end)) {
    level = 'calm';
    live = false;
    notes.push('fiction');
  }

  if (live && rule.idiom !== false && !method && ctx.idiom(start, end)) {
    if (ctx.idiomLifted()) {
      notes.push('idiom, but serious');
    } else {
      level = ctx.intensified(start, end) ? minLevel(level, 'strained') : 'calm';
      live = level !== 'calm';
      notes.push('idiom');
    }
  }

  if (live && levelAtLeast(level, 'strained') && rule.past !== false && ctx.distantPast(start, end)) {
    const floor = rule.pastFloor ?? (levelAtLeast(rule.level, 'high') ? 'strained' : 'calm');
    level = minLevel(level, maxLevel(lower(level), floor));
    notes.push('past');
  }

  if (level === 'crisis' && rule.flagSet.has('ideation') && subject === 'mother-distress' && !inSon
    && ctx.intentDeniedAfter(end) && !ctx.contingentAfter(end)) {
    level = 'high';
    notes.push('she says she would not act on it');
  }

  const reason: SafetyReason = {
    rule: rule.id, level, subject, match: ctx.text.slice(start, end), start, end,
    ...(notes.length ? { note: notes.join('; ') } : {}),
  };
  return { reason, rule, live };
}

/** Screen one message. Pure and synchronous; microseconds for a typical message. */
export function analyseMessage(text: string, options: Pick<ScreenOptions, 'spokenToHim'> = {}): Analysis {
  const screened = collapseRuns(text);
  return withLearned(screened, analyse(screened, true), options.spokenToHim ?? false);
}

/** The rules alone, without the learned layer: for the trainer, which tunes the two together. */
export function analyseRulesOnly(text: string): Analysis {
  return analyse(collapseRuns(text), true);
}

/**
 * The learned screen's reading on top of the rules: it may raise the level (never lower
 * one), and a kind of risk it sees at or above the rules' level joins `atRisk`, so a partner
 * hurting him brings the child-abuse line even when a rule named only his distress.
 */
/** Lines to him, or injection-framed text, only count for the learned layer when it is this sure of a crisis. */
const SPOKEN_CRISIS_BAR = 0.5;

/**
 * The rules read negation, idiom and fiction ("he's not suicidal, no drugs", "died laughing");
 * word n-grams cannot. When every danger word the rules found was cancelled that way, the
 * learned layer must be this sure to raise anyway.
 */
const CANCELLED_BAR = 0.9;
/** How sure the model must be of a kind of risk to add it beside the ones the rules named. */
const ADDED_SUBJECT_BAR = 0.6;
const CANCELLING_NOTES: ReadonlySet<string | undefined> = new Set(['negated', 'idiom', 'fiction']);

function cancelledByRules(rules: Analysis): boolean {
  return rules.level === 'calm' && rules.reasons.length > 0 && rules.reasons.every((r) => CANCELLING_NOTES.has(r.note));
}

function withLearned(text: string, rules: Analysis, spokenToHim = false): Analysis {
  // A plain medicine or means question the rules recognised and left calm is theirs to judge:
  // the tracker makes it crisis after any earlier distress, and dose words alone mislead the model.
  if (rules.methodQuestion && rules.level === 'calm') return rules;
  const read = learnedScreen().read(text);
  if (read.level === 'calm' || ORDER[read.level] < ORDER[rules.level]) return rules;
  if (cancelledByRules(rules) && read.confidence < CANCELLED_BAR) return rules;
  // Lines meant for him, and text dressed up as instructions, are not what the model learned from.
  const unlike = spokenToHim || rules.injection;
  if (unlike && !(read.level === 'crisis' && read.crisisProbability >= SPOKEN_CRISIS_BAR)) return rules;
  const raises = ORDER[read.level] > ORDER[rules.level];
  if (!raises) {
    // At the rules' own level, the model only adds a kind of risk it is sure of: the rules already named one.
    const { subject, probability } = read.subject();
    if (rules.atRisk.includes(subject) || probability < ADDED_SUBJECT_BAR) return rules;
  }
  const learned = { level: read.level, confidence: read.confidence, ...read.details() };
  const reason: SafetyReason = {
    rule: 'learned', level: learned.level, subject: learned.subject, match: '', start: 0, end: 0, layer: 'learned',
    note: `learned screen ${Math.round(learned.confidence * 100)}% sure; at risk: ${learned.who}${learned.now ? ', now' : ''}`,
  };
  return {
    ...rules,
    level: raises ? learned.level : rules.level,
    atRisk: raises ? [learned.subject, ...rules.atRisk.filter((s) => s !== learned.subject)] : [...rules.atRisk, learned.subject],
    reasons: [...rules.reasons, reason],
  };
}

/** The same screen without the prefilter (every rule runs): for tests that prove the prefilter changes nothing. */
export function analyseMessageUnfiltered(text: string): Analysis {
  const screened = collapseRuns(text);
  return withLearned(screened, analyse(screened, false));
}

function analyse(text: string, prefilter: boolean): Analysis {
  const norm = normalise(text);
  const found: Scored[] = [];
  let ctx: MessageContext | undefined;
  const run = prefilter ? candidates(norm) : new Uint8Array(DATA.rules.length).fill(1);
  for (let r = 0; r < DATA.rules.length; r++) {
    if (!run[r]) continue;
    const rule = DATA.rules[r]!;
    const re = rule.re;
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(norm)) !== null) {
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      ctx ??= new MessageContext(norm, DATA.cues);
      const gaps: string[] = [];
      for (let g = 1; g < m.length; g++) if (m[g]) gaps.push(m[g]!);
      const scored = scoreMatch(ctx, rule, m.index, m.index + m[0].length, gaps);
      if (scored) found.push(scored);
    }
  }
  if (!ctx) {
    // No rule matched; injection framing still matters to the learned layer, which must not be steered by it.
    return { level: 'calm', atRisk: [], reasons: [], methodQuestion: false, aggression: false, injection: ctxTest(norm, 'injection') };
  }

  // Ideation together with a plan or means is imminent danger (C-SSRS): crisis.
  const ideation = found.filter((f) => f.live && f.rule.flagSet.has('ideation') && levelAtLeast(f.reason.level, 'high'));
  const means = found.filter((f) => f.live && f.rule.flagSet.has('means'));
  if (ideation.length && means.length) {
    for (const f of [...ideation, ...means]) {
      if (f.reason.level !== 'crisis') {
        f.reason.level = 'crisis';
        f.reason.note = f.reason.note ? `${f.reason.note}; with plan or means` : 'with plan or means';
      }
    }
    for (const f of means) if (f.reason.subject !== ideation[0]!.reason.subject && f.rule.sonSubject) f.reason.subject = ideation[0]!.reason.subject;
  }

  // A weapon to hand together with threats, violence or thoughts of suicide: crisis.
  const weapons = found.filter((f) => f.live && f.rule.flagSet.has('weapon'));
  const danger = found.filter((f) => f.live && levelAtLeast(f.reason.level, 'high')
    && (f.rule.flagSet.has('aggression') || f.rule.flagSet.has('ideation')));
  if (weapons.length && danger.length) {
    for (const f of [...weapons, ...danger]) {
      if (f.reason.level !== 'crisis') {
        f.reason.level = 'crisis';
        f.reason.note = f.reason.note ? `${f.reason.note}; with a weapon` : 'with a weapon';
      }
    }
  }

  // A method question from her (not words she reports from him) is never answered.
  const methodQuestion = found.some((f) => f.live && f.rule.flagSet.has('method') && !ctx!.inSonSpeech(f.reason.start));

  let level: SafetyLevel = 'calm';
  for (const f of found) level = maxLevel(level, f.reason.level);

  const reasons = found.map((f) => f.reason);
  const ranked = reasons
    .filter((r) => levelAtLeast(r.level, 'strained'))
    .sort((a, b) => ORDER[b.level] - ORDER[a.level] || SUBJECT_PRIORITY.indexOf(a.subject) - SUBJECT_PRIORITY.indexOf(b.subject));
  const atRisk: RiskSubject[] = [];
  for (const r of ranked) if (!atRisk.includes(r.subject)) atRisk.push(r.subject);

  return {
    level,
    atRisk,
    reasons,
    methodQuestion,
    aggression: found.some((f) => f.live && f.rule.flagSet.has('aggression')),
    injection: ctx.injection(),
  };
}

function ctxTest(text: string, cue: 'denial' | 'injection'): boolean {
  const re = DATA.cues[cue];
  re.lastIndex = 0;
  return re.test(text);
}

/** Did she take something back ("forget it, I was exaggerating")? Used by the tracker. */
export function isDenial(text: string): boolean {
  return ctxTest(normalise(text), 'denial');
}

export interface ScreenOptions {
  /** Where she is; decides the help lines. Unknown: OTHER (no country's numbers are guessed). */
  region?: Region;
  /** The rules alone, without the learned layer (the rules' own tables and labelled set test this). */
  rulesOnly?: boolean;
  /**
   * Words she means to say to him (a rehearsal line, a draft), not her account of what is
   * happening. The learned layer was trained on accounts, so here it may only raise to crisis.
   */
  spokenToHim?: boolean;
}

export function toVerdict(a: Pick<Analysis, 'level' | 'atRisk' | 'reasons' | 'methodQuestion'>, region: Region): ScreenVerdict {
  return {
    level: a.level,
    atRisk: a.atRisk,
    reasons: a.reasons,
    resources: resourcesFor(region, a.atRisk, a.level),
    methodQuestion: a.methodQuestion,
  };
}

/** Screen one message on its own. For a conversation, use SafetyTracker. */
export function screenMessage(text: string, opts: ScreenOptions = {}): ScreenVerdict {
  const a = opts.rulesOnly ? analyseRulesOnly(text) : analyseMessage(text, opts);
  return toVerdict(a, opts.region ?? 'OTHER');
}

/** The loaded rules, for tests and review tools. */
export function loadedRules(): readonly CompiledRule[] {
  return DATA.rules;
}
