import type { Citation } from '../../protocol/frames.js';
import { closingFindings, isClosing, type Finding, type OpeningSignal, type ClosingSignal } from '../line-check/analyser.js';
import { CLOSING_ADVICE, OPENING_ADVICE, type StepId } from '../line-check/advice.js';
import { subjectOf } from '../line-check/quote.js';
import type { KnowledgeRef, RehearsalKnowledge } from '../line-check/rehearsal-knowledge.js';
import { rewriteLine } from '../line-check/rewrite.js';
import { moodWords, type Reaction, type RehearsalState, type RehearsalTurn } from './state.js';

/** A turn that moved his mood this much (either way) is a moment that turned the talk. */
const TURNING = 2;
const MAX_WENT_WELL = 3;
const MAX_TURNING = 3;
const MAX_STEPS = 2;

/** The one practice per step that rehearsal trains most directly. */
const PRACTICE: Partial<Record<StepId, KnowledgeRef>> = {
  calm: { doc: 'calm', heading: 'Practices', startsWith: 'Start with "I"' },
  listen: { doc: 'listen', heading: 'Practices', startsWith: 'Let him finish' },
  acknowledge: { doc: 'acknowledge', heading: 'Practices', startsWith: 'Find your own part' },
  love: { doc: 'love', heading: 'Practices', startsWith: 'After a consequence or a row' },
  positive: { doc: 'positive', heading: 'Practices', startsWith: 'Aim to notice one good thing' },
  patience: { doc: 'patience', heading: 'Practices', startsWith: 'Measure progress in small units' },
};

export interface DebriefPlan {
  scene: string;
  age: number;
  temperament: string;
  lines: number;
  startMood: string;
  endMood: string;
  wentWell: Array<{ line: string; point: string }>;
  turningPoints: Array<{ line: string; from: string; to: string; opened: boolean; why: string; his?: string }>;
  rewinds: Array<{ first: string; instead?: string; firstReaction: Reaction; insteadReaction?: Reaction }>;
  hardest?: { line: string; why: string[]; better: string; changed: boolean };
  practise: Array<{ step: StepId; label: string; practice: string }>;
  citations: Citation[];
}

/**
 * The debrief after "End rehearsal", from what each of her lines did: what went well, the
 * lines that moved him most, her hardest line said another way, and the steps to practise.
 * `replies` maps each line's sequence number to what he said back.
 */
export function planDebrief(state: RehearsalState, replies: Map<number, string>, kit: RehearsalKnowledge, startMood: number): DebriefPlan {
  const citations: Citation[] = [];
  const practise = stepsToPractise([...state.turns, ...state.rewound]).map((step) => {
    const ref = PRACTICE[step];
    const quote = ref ? kit.quote(ref) : undefined;
    if (quote) citations.push(quote.citation);
    return { step, label: kit.stepLabel(step), practice: quote?.text ?? kit.doc(step)?.summary ?? '' };
  });
  return {
    scene: state.scene, age: state.age, temperament: state.temperament, lines: state.turns.length,
    startMood: moodWords(startMood), endMood: moodWords(state.turns.at(-1)?.after ?? startMood),
    wentWell: wentWell(state.turns),
    turningPoints: turningPoints(state.turns, replies),
    rewinds: state.rewound.map((r) => {
      const instead = state.turns[r.position];
      return { first: r.line, firstReaction: r.reaction, ...(instead ? { instead: instead.line, insteadReaction: instead.reaction } : {}) };
    }),
    ...hardestOf(state),
    practise,
    citations: [...new Map(citations.map((c) => [c.id, c])).values()],
  };
}

export function writeDebrief(plan: DebriefPlan): string {
  const parts = [`**Rehearsal debrief** · "${plan.scene}" · ${plan.age}, ${plan.temperament}`];
  if (plan.lines === 0) {
    parts.push('You ended before saying anything to him, which is fine: even setting the scene is a start. When you are ready, try your first line; the notes will show what each line does.');
    return parts.concat(practiseSection(plan)).join('\n\n');
  }
  parts.push(`He started ${plan.startMood} and ended ${plan.endMood}, over ${plan.lines} ${plan.lines === 1 ? 'line' : 'lines'} of yours.${howItTurned(plan)}`);
  parts.push(section('What went well', plan.wentWell.length
    ? plan.wentWell.map((w) => `- ${w.point}`)
    : ['- You stayed in the conversation and tried it out loud, which is the hard part. No line of yours opened him up yet; the notes below show what would.']));
  if (plan.turningPoints.length) {
    parts.push(section('The moments that turned it', plan.turningPoints.map((t) =>
      `- "${t.line}": he went from ${t.from} to ${t.to}. ${t.why}${t.his ? ` He answered: "${t.his}"` : ''}`)));
  }
  if (plan.rewinds.length) parts.push(section('What you changed', plan.rewinds.map(rewindLine)));
  if (plan.hardest) parts.push(hardestSection(plan.hardest));
  return parts.concat(practiseSection(plan)).join('\n\n');
}

/** When one line closed him and another opened him, the lesson is that the subject stayed the same. */
function howItTurned(plan: DebriefPlan): string {
  const turned = plan.turningPoints.some((t) => t.opened) && plan.turningPoints.some((t) => !t.opened);
  const rewoundBetter = plan.rewinds.some((r) => r.insteadReaction && closes(r.firstReaction) && !closes(r.insteadReaction));
  return turned || rewoundBetter ? ' The subject never changed; what changed his answers was how you said it.' : '';
}

function closes(reaction: Reaction): boolean {
  return reaction === 'flare' || reaction === 'push' || reaction === 'jab' || reaction === 'shut';
}

function wentWell(turns: RehearsalTurn[]): DebriefPlan['wentWell'] {
  const points: DebriefPlan['wentWell'] = [];
  for (const turn of [...turns].sort((a, b) => (b.warmth - b.heat) - (a.warmth - a.heat))) {
    if (turn.warmth <= turn.heat) break;
    for (const f of turn.findings.filter((x) => !isClosing(x.signal) && x.signal !== 'brief' && x.signal !== 'closedQuestion')) {
      const point = `${subjectOf(f)} ${OPENING_ADVICE[f.signal as OpeningSignal].effect}.`;
      if (points.length < MAX_WENT_WELL && !points.some((p) => p.point === point)) points.push({ line: turn.line, point });
    }
  }
  return points;
}

/** The lines that moved him most; when none moved him far, the one that moved him at all. */
function turningPoints(turns: RehearsalTurn[], replies: Map<number, string>): DebriefPlan['turningPoints'] {
  const moved = turns.filter((t) => moodWords(t.after) !== moodWords(t.before));
  const far = moved.filter((t) => Math.abs(t.after - t.before) >= TURNING);
  return (far.length ? far : moved)
    .sort((a, b) => Math.abs(b.after - b.before) - Math.abs(a.after - a.before) || a.seq - b.seq)
    .slice(0, far.length ? MAX_TURNING : 1)
    .sort((a, b) => a.seq - b.seq)
    .map((t) => {
      const opened = t.after > t.before;
      const his = replies.get(t.seq);
      return { line: t.line, from: moodWords(t.before), to: moodWords(t.after), opened, why: reasonFor(t.findings, opened), ...(his ? { his } : {}) };
    });
}

/** Why a line moved him: the (at most two) habits in it that point the way he moved. */
function reasonFor(findings: Finding[], opened: boolean): string {
  const reasons = opened
    ? openingFindings(findings).map((f) => `${subjectOf(f)} ${OPENING_ADVICE[f.signal as OpeningSignal].effect}.`)
    : closingFindings(findings).map((f) => `${subjectOf(f)} ${CLOSING_ADVICE[f.signal as ClosingSignal].effect}.`);
  return reasons.slice(0, 2).join(' ');
}

/** Kind habits, the ones that did most first; brevity and yes/no questions only when nothing else. */
function openingFindings(findings: Finding[]): Finding[] {
  const order = ['validation', 'reassurance', 'apology', 'curiosity', 'iStatement', 'appreciation', 'fact'];
  const strong = findings.filter((f) => order.includes(f.signal)).sort((a, b) => order.indexOf(a.signal) - order.indexOf(b.signal));
  const distinct = strong.filter((f, i) => strong.findIndex((g) => g.signal === f.signal) === i);
  return distinct.length ? distinct : findings.filter((f) => !isClosing(f.signal));
}

function hardestOf(state: RehearsalState): Pick<DebriefPlan, 'hardest'> {
  const candidates = [...state.turns, ...state.rewound];
  const hardest = candidates.sort((a, b) => (a.warmth - a.heat) - (b.warmth - b.heat))[0];
  if (!hardest) return {};
  const why = closingFindings(hardest.findings).slice(0, 2).map((f) => `${subjectOf(f)} ${CLOSING_ADVICE[f.signal as ClosingSignal].effect}.`);
  const rewrite = rewriteLine(hardest.line, state.topic);
  return { hardest: { line: hardest.line, why, better: rewrite.text, changed: rewrite.changed } };
}

/** The steps behind the notes, most needed first: the ones tied to lines that closed him up. */
function stepsToPractise(turns: Array<Pick<RehearsalTurn, 'step' | 'heat'>>): StepId[] {
  const weight = new Map<StepId, number>();
  for (const t of turns) weight.set(t.step, (weight.get(t.step) ?? 0) + 1 + t.heat);
  const ranked = [...weight].sort((a, b) => b[1] - a[1]).map(([step]) => step);
  return (ranked.length ? ranked : ['listen' as StepId]).slice(0, MAX_STEPS);
}

function rewindLine(r: DebriefPlan['rewinds'][number]): string {
  const first = `- You took back "${r.first}" (he ${reactionWords(r.firstReaction)})`;
  return r.instead ? `${first} and said "${r.instead}" instead (he ${reactionWords(r.insteadReaction!)}).` : `${first}.`;
}

function hardestSection(h: NonNullable<DebriefPlan['hardest']>): string {
  const lead = h.changed ? `You said: "${h.line}"${h.why.length ? `\n${h.why.map((w) => `- ${w}`).join('\n')}` : ''}` : `Even your hardest line, "${h.line}", was fair. One way to open it further:`;
  return section('Your hardest line, said another way', [lead, `> ${h.better}`]);
}

function practiseSection(plan: DebriefPlan): string[] {
  if (!plan.practise.length) return [];
  return [section('Steps to practise', plan.practise.map((p) => `- **${p.label}**: ${p.practice}`))];
}

function section(title: string, lines: string[]): string {
  return [`**${title}**`, ...lines].join('\n');
}

export function reactionWords(reaction: Reaction): string {
  const words: Record<Reaction, string> = {
    flare: 'blew up', push: 'pushed back', jab: 'hit back with sarcasm', shut: 'shut down',
    guarded: 'stayed guarded', soften: 'softened', open: 'opened up',
  };
  return words[reaction];
}
