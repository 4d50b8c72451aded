import type { KnowledgeDocument } from '../../knowledge/knowledge-base.js';
import type { GuidedWriter } from '../../llm/guided-model.js';
import type { CoachMove } from './coach-planner.js';
import { reflectionOf, type Reflection } from './coach-reflect.js';

/** When her message was short ("ok", "yes"), a word to carry on with, varied so no two replies open alike. */
const BRIDGES = ['Okay.', 'Alright, let’s keep going.', 'Good. One more idea, then.', 'Let’s take the next piece.'];

const REFLECT_FORMS: Array<(e: string) => string> = [
  (e) => `So ${e}.`,
  (e) => `You’re telling me ${e}.`,
  (e) => `I hear that ${e}.`,
  (e) => `So ${e}: that’s an important part of it.`,
];

/**
 * Guided (no-model) coaching reply, written from the move the coach mode planned: her
 * words reflected back, the step that fits and why, one thing to say or do from the
 * knowledge files, step 4 when the safety level calls for it, and one question.
 */
export function createGuidedCoachWriter(_documents?: KnowledgeDocument[]): GuidedWriter {
  return (context) => {
    const userText = String(context.userText ?? '');
    const move = context.move as CoachMove | undefined;
    if (!move) return fallbackReply(userText);
    return [
      move.urgent,
      opening(userText, move),
      stepParagraph(move),
      actionParagraph(move),
      move.helpNote,
      move.question.text,
    ].filter((p): p is string => Boolean(p && p.trim())).join('\n\n');
  };
}

function opening(userText: string, move: CoachMove): string {
  const r = reflectionOf(userText, move.name);
  const lines = [thanksForName(move), reflected(r, move.turn), move.empathy].filter(Boolean);
  if (lines.length) return lines.join(' ');
  if (/\b(thanks|thank you)\b/i.test(userText)) return 'I’m glad that helps.';
  return move.stage === 'welcome' ? 'Hello, and welcome.' : BRIDGES[move.turn % BRIDGES.length]!;
}

function reflected(r: Reflection, turn: number): string {
  const parts: string[] = [];
  if (r.event) parts.push(REFLECT_FORMS[(turn - 1) % REFLECT_FORMS.length]!(r.event));
  if (r.feeling) parts.push(r.event ? `And ${r.feeling}.` : `${capitalise(r.feeling)}.`);
  if (r.want) parts.push(`What you want is clear: ${r.want}.`);
  if (r.intention) parts.push(`${r.intention.charAt(0).toUpperCase()}${r.intention.slice(1)}: that’s a good, concrete plan.`);
  if (r.question && !parts.length) parts.push(`Good question: ${lowerFirst(r.question)}`);
  return parts.join(' ');
}

function thanksForName(move: CoachMove): string {
  if (move.newName) return `Thank you for telling me about ${move.newName}. I’ll keep him in mind.`;
  return move.newAge ? `Thank you: I’ll remember that ${move.name ?? 'he'} is ${move.newAge}.` : '';
}

function stepParagraph(move: CoachMove): string {
  if (move.frame) return [move.frame, move.grounding].filter(Boolean).join(' ');
  if (!move.practice || move.script) return '';
  const summary = move.step.summary.charAt(0).toLowerCase() + move.step.summary.slice(1);
  return `Staying with **${move.step.label}**: ${summary}`;
}

function actionParagraph(move: CoachMove): string {
  const script = move.script ? `${move.scriptLead ?? 'You could say:'}\n\n> “${move.script}”` : '';
  if (move.practice && script) return `One thing to try next: ${move.practice}\n\n${script}`;
  if (move.practice) return `Something that helps here: ${move.practice}`;
  return script;
}

/** For a coach request built without a plan: reflect, and ask to hear more. */
function fallbackReply(userText: string): string {
  const r = reflectionOf(userText);
  return [reflected(r, 1), 'Tell me a little more: what happened just before things got heated?'].filter(Boolean).join('\n\n');
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
