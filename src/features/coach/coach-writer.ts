import { COACH_TASK } from './coach-task.js';
import type { KnowledgeDocument } from '../../knowledge/knowledge-base.js';
import type { GuidedWriter } from '../../llm/guided-model.js';
import type { CoachMove } from './coach-planner.js';
import { reflectionOf, type Reflection } from './coach-reflect.js';

/** When her message was short ("ok", "yes"), a word to carry on with, varied so no two replies open alike. */
const BRIDGES = ['Okay.', 'Alright, let’s keep going.', 'Good. One more idea, then.', 'Let’s take the next piece.'];
/** After a "no" or "not really": nothing to cheer, and nothing she got wrong. */
const EASY_BRIDGES = ['That’s alright.', 'That’s okay, we can work with that.', 'Fair enough.'];
const NOT_REALLY = /^\s*(?:no|nope|nah|not really|not sure|not yet|not much|nothing|no idea|i don[’']?t know|dunno|idk|never|don[’']?t know)\b/i;

/** When she asks what to say or do, the reply answers it rather than repeating it. */
const ASKS_FOR_WORDS = /\b(?:say|tell|word|phrase|bring|raise|start|apologi[sz]e|sorry)\b/i;

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
  return COACH_TASK.writer(({ userText, move }) => {
    if (!move) return fallbackReply(userText);
    if (move.answer) return answerReply(move);
    return [
      move.urgent,
      opening(userText, move),
      stepParagraph(move),
      actionParagraph(move),
      move.helpNote,
      move.question.text,
    ].filter((p): p is string => Boolean(p && p.trim())).join('\n\n');
  });
}

function opening(userText: string, move: CoachMove): string {
  const mirrored = move.reflection ?? reflected(reflectionOf(userText, move.name), move.turn);
  const lines = [thanksForName(move), mirrored, move.empathy].filter(Boolean);
  if (lines.length) return lines.join(' ');
  if (/\b(thanks|thank you)\b/i.test(userText)) return 'I’m glad that helps.';
  if (move.stage === 'welcome') return 'Hello, and welcome.';
  if (NOT_REALLY.test(userText)) return EASY_BRIDGES[move.turn % EASY_BRIDGES.length]!;
  // Her first message: nothing to "keep going" with yet.
  if (move.turn <= 1 && move.reflection !== undefined) return 'Thank you for telling me.';
  return BRIDGES[move.turn % BRIDGES.length]!;
}

function reflected(r: Reflection, turn: number): string {
  const parts: string[] = [];
  if (r.event) parts.push(REFLECT_FORMS[(turn - 1) % REFLECT_FORMS.length]!(r.event));
  if (r.feeling) parts.push(r.event ? `And ${r.feeling}.` : `${capitalise(r.feeling)}.`);
  if (r.want) parts.push(`What you want is clear: ${r.want}.`);
  if (r.intention) parts.push(`${r.intention.charAt(0).toUpperCase()}${r.intention.slice(1)}: that’s a good, concrete plan.`);
  if (r.question && !parts.length) parts.push(answerTo(r.question));
  return parts.join(' ');
}

/** Her question is answered, not parroted: "how do I bring it up?" gets words to use. */
function answerTo(question: string): string {
  if (ASKS_FOR_WORDS.test(question)) return 'Let’s find you some words.';
  if (/\b(?:what|how)\b.*\b(?:do|handle|deal|stop|get|make)\b/i.test(question)) return 'Here’s where I’d start.';
  if (/^what if\b/i.test(question)) return `It’s a fair worry: ${lowerFirst(question)}`;
  if (/^(?:so )?(?:what|where)(?: do (?:I|we) go)? (?:next|now|from here)\b/i.test(question)) return 'Here’s a next step.';
  return `Good question: ${lowerFirst(question)}`;
}

function thanksForName(move: CoachMove): string {
  if (move.newName) return `Thank you for telling me about ${move.newName}. I’ll keep him in mind.`;
  return move.newAge ? `Thank you: I’ll remember that ${move.name ?? 'he'} is ${move.newAge}.` : '';
}

function stepParagraph(move: CoachMove): string {
  if (move.frame) return [move.frame, move.grounding].filter(Boolean).join(' ');
  if (!move.practice || move.script || move.staying === false) return '';
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

const CANNOT_ANSWER = [
  'I can’t answer that one well in guided mode. I only know what is in my coaching notes, and I’d rather tell you so than guess.',
  'If it is about the law, his health or a diagnosis, his GP, a family lawyer or a counsellor can answer it properly.',
].join(' ');

const CANNOT_ANSWER_AGAIN = 'That’s another one I don’t have a reliable answer for, so I won’t guess.';

/**
 * Her direct question answered first, from the reviewed bank entry (or an honest "I can't"),
 * then one question that carries the coaching on. No step lecture: she asked something.
 */
function answerReply(move: CoachMove): string {
  const entry = move.answer?.entry;
  // The reviewed answer usually names who can help already; say it only where it doesn't.
  const named = entry?.professional && entry.answer.toLowerCase().includes(entry.professional.toLowerCase());
  const professional = entry?.professional && !named ? `For this, the right person is ${entry.professional}.` : '';
  const lead = entry ? [entry.answer, professional] : [move.answer?.again ? CANNOT_ANSWER_AGAIN : CANNOT_ANSWER];
  const next = entry || move.answer?.again ? move.question.text : 'What I can do is help with what is going on between you and him. What happened most recently?';
  return [...lead, next].filter(Boolean).join('\n\n');
}
