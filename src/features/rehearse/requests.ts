/**
 * The four rehearsal requests. Each carries the rendered prompt (for an LLM) and the plan
 * it was rendered from (for the guided writers), so both providers say the same thing.
 */

import type { ModelRequest, PromptMessage } from '../../llm/chat-model.js';
import { renderPrompt } from '../../llm/prompt-library.js';
import { defineTask } from '../../llm/guided-task.js';
import type { DebriefPlan } from './debrief.js';
import { reactionWords } from './debrief.js';
import { movedLine, type NotePlan } from './notes.js';
import type { SonCue } from './son-lines.js';
import type { RehearsalState } from './state.js';

/** One line of the rehearsal as the son sees it: hers or his, never a coach note. */
export interface SpokenLine {
  speaker: 'her' | 'him';
  text: string;
}

const TEMPERAMENT_HOW: Record<RehearsalState['temperament'], string> = {
  withdrawn: 'You go quiet when you are pressed: shrugs, "fine", "whatever", one-word answers, eyes on your phone. You open up slowly, and only when you feel safe.',
  defensive: 'You argue the details and justify yourself the moment you feel accused. You open up when you don\'t feel judged.',
  explosive: 'You flare up fast: a raised voice, "this is so unfair!", storming off. You calm down quickly if she stays calm.',
  sarcastic: 'You deflect with sarcasm and jokes. Underneath, you care a lot about what she thinks.',
  willing: 'You are basically willing to talk, but you shut down if you feel lectured or blamed.',
};

const REACTION_HOW: Record<SonCue['reaction'], string> = {
  opening: 'you have just been called to talk',
  flare: 'it stung, and you blow up: loud and short, maybe threatening to walk out',
  push: 'it felt like an accusation, and you push back and defend yourself',
  jab: 'it stung, and you hit back with sarcasm',
  shut: 'you shut down: one word, a shrug or silence',
  guarded: 'you stay guarded: short and non-committal',
  soften: 'it reached you a little: you soften and admit something small, still a bit guarded',
  open: 'you feel safe enough to say what is really going on for you, in two or three sentences',
};
const CLOSED_UP = new Set<SonCue['reaction']>(['flare', 'push', 'jab', 'shut']);
export const SON_TASK = defineTask<SonCue>('son');
export const NOTE_TASK = defineTask<NotePlan>('rehearsal-note');
export const DEBRIEF_TASK = defineTask<DebriefPlan>('debrief');

const MAX_LINES = 24;
/** His first line has no line of hers to answer; this stage direction stands in for one. */
export const OPENING_CUE = '*She comes in and sits down to talk to you.*';

export async function sonRequest(state: RehearsalState, cue: SonCue, lines: SpokenLine[]): Promise<ModelRequest> {
  const system = await renderPrompt('son', {
    age: state.age, temperament: state.temperament, temperamentHow: TEMPERAMENT_HOW[state.temperament], scene: state.scene, mum: cue.mum,
    mood: cue.mood, opening: cue.reaction === 'opening', reaction: REACTION_HOW[cue.reaction],
    triggers: (CLOSED_UP.has(cue.reaction) ? cue.closing : cue.opening).map((f) => `"${f.match}"`).join(', '),
  });
  const spoken = lines.slice(-MAX_LINES).map((l): PromptMessage => ({ role: l.speaker === 'her' ? 'user' : 'assistant', content: l.text }));
  // His opening line answers the cue too: strict chat templates need her side first.
  const herFirst: PromptMessage[] = spoken[0]?.role === 'user' ? [] : [{ role: 'user', content: OPENING_CUE }];
  const messages: PromptMessage[] = [{ role: 'system', content: system }, ...herFirst, ...spoken];
  return SON_TASK.request(cue, messages, { maxTokens: 120 });
}

export async function noteRequest(line: string, plan: NotePlan): Promise<ModelRequest> {
  const system = await renderPrompt('rehearsal-note', {
    moved: movedLine(plan), stepLabel: plan.stepLabel,
    workedSubject: plan.worked?.subject ?? '', workedEffect: plan.worked?.effect ?? '',
    nextSubject: plan.next.subject ?? '', nextEffect: plan.next.effect ?? '', advice: plan.next.advice, example: plan.next.example ?? '',
  });
  return NOTE_TASK.request(plan, [{ role: 'system', content: system }, { role: 'user', content: line }], { maxTokens: 160 });
}

export async function debriefRequest(plan: DebriefPlan, lines: SpokenLine[]): Promise<ModelRequest> {
  const system = await renderPrompt('debrief', {
    ...plan,
    rewinds: plan.rewinds.map((r) => ({ text: `"${r.first}" (he ${reactionWords(r.firstReaction)})${r.instead ? `, then "${r.instead}" (he ${reactionWords(r.insteadReaction!)})` : ''}` })),
    hardest: plan.hardest ?? false,
  });
  const transcript = lines.map((l) => `${l.speaker === 'her' ? 'Her' : 'Him'}: ${l.text}`).join('\n') || '(She ended before saying anything.)';
  return DEBRIEF_TASK.request(plan, [{ role: 'system', content: system }, { role: 'user', content: transcript }], { maxTokens: 600 });
}
