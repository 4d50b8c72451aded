import type { ClosingSignal, OpeningSignal } from './analyser.js';
import type { KnowledgeRef } from './rehearsal-knowledge.js';

export const STEP_IDS = ['acknowledge', 'listen', 'calm', 'seek-help', 'positive', 'patience', 'love'] as const;
export type StepId = (typeof STEP_IDS)[number];

export interface Advice {
  step: StepId;
  /** The knowledge bullet the note quotes. */
  ref: KnowledgeRef;
  /** Why it does what it does to him, in one clause (fills "X … because …"). */
  effect: string;
}

/** What each closing habit does to a teenager, and which step and passage answer it. */
export const CLOSING_ADVICE: Record<ClosingSignal, Advice> = {
  blame: {
    step: 'calm', ref: { doc: 'i-statements', heading: 'How to do it', startsWith: 'Describe what he did' },
    effect: 'sounds like a charge he has to defend, so he argues with it instead of hearing you',
  },
  absolute: {
    step: 'calm', ref: { doc: 'calm', heading: 'Pitfalls', startsWith: 'Always', sentence: -1 },
    effect: 'hands him an exaggeration to argue with, and the real point gets lost',
  },
  sarcasm: {
    step: 'calm', ref: { doc: 'calm', heading: 'Pitfalls', startsWith: 'Sarcasm', sentence: -1 },
    effect: 'stings, and he answers the sting rather than the point',
  },
  threat: {
    step: 'calm', ref: { doc: 'setting-limits-calmly', heading: 'Pitfalls', startsWith: 'Consequences set in anger', sentence: -1 },
    effect: 'turns the talk into a fight about the punishment before he has said a word',
  },
  shouting: {
    step: 'calm', ref: { doc: 'calm', heading: 'Practices', startsWith: 'When his voice goes up' },
    effect: 'reads as shouting, so he hears the volume and not the words',
  },
  command: {
    step: 'calm', ref: { doc: 'i-statements', heading: 'How to do it', startsWith: 'Make your request small' },
    effect: 'gives him an order to resist, and resisting feels like winning',
  },
  lecture: {
    step: 'listen', ref: { doc: 'short-and-clear', heading: 'How to do it', startsWith: 'Say it in two or three sentences' },
    effect: 'runs long enough that he stops hearing words and waits for it to end',
  },
  why: {
    step: 'listen', ref: { doc: 'asking-open-questions', heading: 'How to do it', startsWith: 'Avoid "why"' },
    effect: 'sounds like an accusation, so the only answer he has is "I don\'t know"',
  },
  but: {
    step: 'listen', ref: { doc: 'validate-before-correcting', heading: 'Pitfalls', startsWith: 'The instant "but"', sentence: -1 },
    effect: 'cancels the kind first half, so he only hears what comes after it',
  },
};

/** What each opening habit does for him, and the step it belongs to. */
export const OPENING_ADVICE: Record<OpeningSignal, Advice> = {
  validation: {
    step: 'listen', ref: { doc: 'validate-before-correcting', heading: 'How to do it', startsWith: 'Name what he seems to feel' },
    effect: 'tells him you see it from where he stands, so he has nothing to defend',
  },
  apology: {
    step: 'acknowledge', ref: { doc: 'repair-after-losing-temper', heading: 'Pitfalls', startsWith: 'Waiting for him to go first', sentence: -1 },
    effect: 'owns your part first, which makes it safe for him to own his',
  },
  iStatement: {
    step: 'calm', ref: { doc: 'calm', heading: 'Practices', startsWith: 'Start with "I"' },
    effect: 'tells him how it is for you without labelling him',
  },
  curiosity: {
    step: 'listen', ref: { doc: 'listen', heading: 'Practices', startsWith: 'Ask one open question' },
    effect: 'hands him the floor instead of a verdict',
  },
  reassurance: {
    step: 'calm', ref: { doc: 'calm', heading: 'Practices', startsWith: 'When his voice goes up' },
    effect: 'takes the fight out of it before he has time to brace',
  },
  appreciation: {
    step: 'love', ref: { doc: 'love', heading: 'Practices', startsWith: 'Thank him for everyday' },
    effect: 'reminds him he is more to you than the problem',
  },
  fact: {
    step: 'calm', ref: { doc: 'i-statements', heading: 'How to do it', startsWith: 'Describe what he did' },
    effect: 'says plainly what happened, so he knows what this is about',
  },
  closedQuestion: {
    step: 'listen', ref: { doc: 'asking-open-questions', heading: 'How to do it', startsWith: 'Start with "what"' },
    effect: 'asks rather than tells, though it can be answered with one word',
  },
  brief: {
    step: 'listen', ref: { doc: 'short-and-clear', heading: 'How to do it', startsWith: 'Stop talking' },
    effect: 'means he hears all of it',
  },
};

/** A skill to add when nothing she said closed him up. */
export interface NextSkill {
  step: StepId;
  ref: KnowledgeRef;
  /** For a phrase to say (rather than a practice to do): what leads into the quoted phrase. */
  say?: string;
}

export const ASK_OPENLY: NextSkill = { step: 'listen', ref: { doc: 'listen', heading: 'Practices', startsWith: 'Ask one open question' } };
export const SAY_HOW_YOU_FEEL: NextSkill = { step: 'calm', ref: { doc: 'calm', heading: 'Practices', startsWith: 'Start with "I"' } };
export const PLAY_IT_BACK: NextSkill = { step: 'listen', ref: { doc: 'listen', heading: 'Practices', startsWith: 'Play back what you heard' } };
export const THANK_HIM: NextSkill = {
  step: 'listen', ref: { doc: 'listen', heading: 'Phrases you can use', startsWith: 'Thanks for telling me' },
  say: 'when he tells you something real, thank him and leave it there:',
};
