import { subjectOf } from '../line-check/quote.js';
import type { Citation } from '../../protocol/frames.js';
import { closingFindings, has, isClosing, type Finding, type LineAnalysis, type OpeningSignal, type ClosingSignal } from '../line-check/analyser.js';
import { ASK_OPENLY, CLOSING_ADVICE, OPENING_ADVICE, PLAY_IT_BACK, SAY_HOW_YOU_FEEL, THANK_HIM, type NextSkill, type StepId } from '../line-check/advice.js';
import type { RehearsalKnowledge } from '../line-check/rehearsal-knowledge.js';
import { rewriteLine } from '../line-check/rewrite.js';
import { moodWords, type Reaction } from './state.js';
import type { SonReaction } from './son.js';

/** A rewrite longer than this would turn a short note into a lecture of its own. */
const EXAMPLE_MAX_WORDS = 40;

/** Everything a coach note says, decided before either provider writes it. */
export interface NotePlan {
  step: StepId;
  stepLabel: string;
  before: string;
  after: string;
  reaction: Reaction;
  /** The kind thing that reached him, in her words. */
  worked?: { signal: OpeningSignal; subject: string; effect: string };
  /** One thing to change (a habit that closed him up) or to add (a skill she has not used yet). */
  next: {
    signal?: ClosingSignal;
    subject?: string;
    effect?: string;
    /** The knowledge passage behind the suggestion, quoted. */
    advice: string;
    /** Her line said another way, when it needed one and is short enough for a note. */
    example?: string;
  };
  citations: Citation[];
}

export function planNote(line: string, analysis: LineAnalysis, son: SonReaction, kit: RehearsalKnowledge, topic?: string): NotePlan {
  const worked = bestOpening(analysis.findings);
  const closing = closingFindings(analysis.findings)[0];
  const workedAdvice = worked ? OPENING_ADVICE[worked.signal as OpeningSignal] : undefined;
  const next = closing ? fixFor(closing, line, kit, topic) : addFor(analysis, son.reaction, kit);
  const citations = [next.citation, workedAdvice && kit.quote(workedAdvice.ref)?.citation].filter((c): c is Citation => Boolean(c));
  return {
    step: next.step, stepLabel: kit.stepLabel(next.step), before: moodWords(son.before), after: moodWords(son.after), reaction: son.reaction,
    ...(worked && workedAdvice ? { worked: { signal: worked.signal as OpeningSignal, subject: subjectOf(worked), effect: workedAdvice.effect } } : {}),
    next: next.next,
    citations: [...new Map(citations.map((c) => [c.id, c])).values()],
  };
}

/** The guided note: how he moved, what worked, one thing to try, and the step it belongs to. */
export function writeNote(plan: NotePlan): string {
  const moved = movedLine(plan);
  const worked = plan.worked
    ? `**Worked:** ${plan.worked.subject} ${plan.worked.effect}.`
    : '**Worked:** Nothing in that line opened him up, and that is exactly what a rehearsal is for.';
  const { next } = plan;
  const why = next.subject ? `${next.subject} ${next.effect}. ` : '';
  const example = next.example ? ` For example: "${next.example}"` : '';
  return [moved, worked, `**Try:** ${why}${sentenceCase(next.advice)}${example}`, `*${plan.stepLabel}*`].join('\n');
}

/** The note's first line: how her line moved him. */
export function movedLine(plan: Pick<NotePlan, 'before' | 'after'>): string {
  return plan.before === plan.after ? `*He stayed ${plan.after}.*` : `*He went from ${plan.before} to ${plan.after}.*`;
}

interface Next {
  step: StepId;
  next: NotePlan['next'];
  citation?: Citation;
}

function fixFor(finding: Finding, line: string, kit: RehearsalKnowledge, topic?: string): Next {
  const signal = finding.signal as ClosingSignal;
  const advice = CLOSING_ADVICE[signal];
  const quote = kit.quote(advice.ref);
  const rewrite = rewriteLine(line, topic).text;
  const example = rewrite.split(/\s+/).length <= EXAMPLE_MAX_WORDS ? rewrite : undefined;
  return {
    step: advice.step,
    next: { signal, subject: subjectOf(finding), effect: advice.effect, advice: quote ? gist(quote.text, Boolean(example)) : kit.stepLabel(advice.step), ...(example ? { example } : {}) },
    ...(quote ? { citation: quote.citation } : {}),
  };
}

function addFor(analysis: LineAnalysis, reaction: Reaction, kit: RehearsalKnowledge): Next {
  const skill = nextSkill(analysis, reaction);
  const quote = kit.quote(skill.ref);
  const advice = quote ? (skill.say ? `${skill.say} "${quote.text}"` : gist(quote.text, false)) : kit.stepLabel(skill.step);
  return { step: skill.step, next: { advice }, ...(quote ? { citation: quote.citation } : {}) };
}

/** The next skill to add, in order of what opens a teenager up most. */
function nextSkill(analysis: LineAnalysis, reaction: Reaction): NextSkill {
  if (!has(analysis, 'curiosity')) return ASK_OPENLY;
  if (!has(analysis, 'iStatement') && !has(analysis, 'validation') && reaction !== 'open') return SAY_HOW_YOU_FEEL;
  // Thanking him is the next skill only if she has not just done it.
  return reaction === 'open' && !has(analysis, 'appreciation') ? THANK_HIM : PLAY_IT_BACK;
}

function bestOpening(findings: Finding[]): Finding | undefined {
  return findings.find((f) => f.signal === 'validation')
    ?? findings.find((f) => f.signal === 'reassurance')
    ?? findings.find((f) => !isClosing(f.signal) && f.signal !== 'brief' && f.signal !== 'closedQuestion')
    ?? findings.find((f) => !isClosing(f.signal));
}

/**
 * A knowledge passage as a note quotes it: without its bracketed examples (they come from
 * other families' stories), and only its first sentence when her own example follows.
 */
function gist(text: string, short: boolean): string {
  const plain = text.replace(/\s*\([^)]*\)/g, '').trim();
  return short ? /^.+?[.!?](?=\s|$)/.exec(plain)?.[0] ?? plain : plain;
}

function sentenceCase(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
