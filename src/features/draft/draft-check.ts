import type { Citation } from '../../protocol/frames.js';
import { analyseLine, isClosing, type ClosingSignal, type OpeningSignal } from '../line-check/analyser.js';
import { ASK_OPENLY, CLOSING_ADVICE, OPENING_ADVICE, type StepId } from '../line-check/advice.js';
import { subjectOf } from '../line-check/quote.js';
import type { RehearsalKnowledge } from '../line-check/rehearsal-knowledge.js';
import { rewriteLine } from '../line-check/rewrite.js';

/** "Before you say it": what may land badly and why, what already works, a rewrite, one step. */
export interface DraftPlan {
  message: string;
  risks: string[];
  strengths: string[];
  rewrite: string;
  changed: boolean;
  step: StepId;
  stepLabel: string;
  /** The knowledge passage to lean on, quoted. */
  lean: string;
  citations: Citation[];
}

const MAX_POINTS = 3;

export function planDraft(message: string, kit: RehearsalKnowledge): DraftPlan {
  const analysis = analyseLine(message);
  const closing = analysis.findings.filter((f) => isClosing(f.signal));
  const opening = analysis.findings.filter((f) => !isClosing(f.signal) && f.signal !== 'closedQuestion');
  const risks = unique(closing.map((f) => `${subjectOf(f)} ${CLOSING_ADVICE[f.signal as ClosingSignal].effect}.`));
  const strengths = unique(opening.map((f) => `${subjectOf(f)} ${OPENING_ADVICE[f.signal as OpeningSignal].effect}.`));
  const advice = closing[0] ? CLOSING_ADVICE[closing[0].signal as ClosingSignal] : ASK_OPENLY;
  const quote = kit.quote(advice.ref);
  const rewrite = rewriteLine(message, kit.topicOf(message)?.id);
  return {
    message, risks, strengths, rewrite: rewrite.text, changed: rewrite.changed || rewrite.text !== message.trim(),
    step: advice.step, stepLabel: kit.stepLabel(advice.step), lean: quote?.text ?? kit.doc(advice.step)?.summary ?? '',
    citations: quote ? [quote.citation] : [],
  };
}

export function writeDraftCheck(plan: DraftPlan): string {
  const risks = plan.risks.length
    ? plan.risks.map((r) => `- ${r}`)
    : ['- Nothing here is likely to put him on the defensive. It is calm and it is yours.'];
  const parts = [section('What may land badly', risks)];
  if (plan.strengths.length) parts.push(section('What already works', plan.strengths.map((s) => `- ${s}`)));
  parts.push(section('Said another way', [plan.changed ? `> ${plan.rewrite}` : 'I would send it as it is.']));
  parts.push(`**Step to lean on: ${plan.stepLabel}.** ${plan.lean}`);
  return parts.join('\n\n');
}

function unique(points: string[]): string[] {
  return [...new Set(points)].slice(0, MAX_POINTS);
}

function section(title: string, lines: string[]): string {
  return [`**${title}**`, ...lines].join('\n');
}
