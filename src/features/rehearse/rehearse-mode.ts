import type { KnowledgeDocument } from '../../knowledge/knowledge-base.js';
import { levelAtLeast, maxLevel, type Region } from '../../protocol/safety.js';
import { ModeInputError, type ChatModeHandler, type ModeAction, type ReplyPlan, type TurnContext } from '../../chat/mode.js';
import { analyseLine } from '../line-check/analyser.js';
import { planDebrief } from './debrief.js';
import { planNote } from './notes.js';
import { RehearsalKnowledge } from '../line-check/rehearsal-knowledge.js';
import { debriefRequest, noteRequest, sonRequest } from './requests.js';
import { react, startingMood } from './son.js';
import type { SonCue } from './son-lines.js';
import {
  moodWords, newRehearsal, NotesOption, REHEARSAL_SLOT, RehearsalOptions, type RehearsalState, type RehearsalTurn,
} from './state.js';
import { hisLines, repliesBySeq, spokenLines } from './transcript.js';

export interface RehearseModeDeps {
  documents: KnowledgeDocument[];
}

const PAUSED = [
  'I\'ve paused the rehearsal. What you just wrote sounds serious, and practising lines isn\'t the right thing for it right now: your safety and his come first.',
  'If anyone is in danger, call your local emergency number now. If not, please talk to someone who can help in person this week, such as your family doctor, his school or a helpline.',
  'The rehearsal will keep. When you\'re ready, write your next line to him and we\'ll carry on where you left off.',
].join('\n\n');
const QUOTE_MAX_CHARS = 120;

/**
 * Rehearsal: Mend plays her son (scripted in guided mode, a separate prompt with an LLM) and
 * adds a short coach note after each of her lines. His mood carries across turns; she can
 * turn the notes off, rewind her last line, and end for a debrief.
 */
export function createRehearseMode(deps: RehearseModeDeps): ChatModeHandler {
  const kit = new RehearsalKnowledge(deps.documents);
  return {
    id: 'rehearse',
    async plan(ctx) {
      const hers = ctx.history.findLast((m) => m.role === 'user');
      const seq = hers?.seq ?? 0;
      const level = hers && hers.text === ctx.userText ? maxLevel(ctx.verdict.level, hers.safetyLevel) : ctx.verdict.level;
      const stored = undoIfRegenerating(ctx.state.read(REHEARSAL_SLOT), seq);
      if (levelAtLeast(level, 'high')) return [pause(ctx, stored)];
      if (!stored || stored.ended) return start(ctx, kit, seq, stored);
      if (stored.sceneOnly && stored.startSeq === seq) return opening(ctx, kit, stored);
      return line(ctx, kit, withNotesOption(stored, ctx.options), seq);
    },
    checkOptions(options, state) {
      const stored = state.read(REHEARSAL_SLOT);
      if (!stored || stored.ended) parseOptions(options, stored);
      else withNotesOption(stored, options);
    },
    async action(ctx, action: ModeAction) {
      const state = ctx.state.read(REHEARSAL_SLOT);
      if (!state) throw new ModeInputError('There is no rehearsal here yet. Set the scene to start one.');
      return action === 'rehearsal.end' ? end(ctx, kit, state) : rewind(ctx, state);
    },
  };
}

/** A regenerated reply answers the same line again: put his mood back to before that line. */
function undoIfRegenerating(state: RehearsalState | undefined, seq: number): RehearsalState | undefined {
  const last = state?.turns.at(-1);
  if (!state || !last || last.seq !== seq) return state;
  return { ...state, turns: state.turns.slice(0, -1), mood: last.before, ended: false };
}

function start(ctx: TurnContext, kit: RehearsalKnowledge, seq: number, previous: RehearsalState | undefined): Promise<ReplyPlan[]> {
  const options = parseOptions(ctx.options, previous);
  const sceneOnly = sameWords(ctx.userText, options.scene);
  const topic = kit.topicOf(options.scene)?.id;
  const state = newRehearsal(options, { mood: startingMood(options.temperament), seq, sceneOnly, ...(topic ? { topic } : {}) });
  return sceneOnly ? opening(ctx, kit, state) : line(ctx, kit, state, seq);
}

/** The first send's options; after "End rehearsal", a send without new options goes again with the same ones. */
function parseOptions(options: Record<string, unknown> | undefined, previous: RehearsalState | undefined): RehearsalOptions {
  const given = options && 'scene' in options ? options : previous ? { ...previous, ...options } : options;
  const parsed = RehearsalOptions.safeParse(given ?? {});
  if (!parsed.success) throw new ModeInputError(parsed.error.issues[0]?.message ?? 'Set the scene, his age and his temperament to start a rehearsal.');
  return parsed.data;
}

function withNotesOption(state: RehearsalState, options: Record<string, unknown> | undefined): RehearsalState {
  const parsed = NotesOption.safeParse(options ?? {});
  if (!parsed.success) throw new ModeInputError('options.notes must be true or false.');
  return { ...state, paused: false, ...(parsed.data.notes === undefined ? {} : { notes: parsed.data.notes }) };
}

/** The scene is set: a short coach line (when notes are on), then he speaks first. */
async function opening(ctx: TurnContext, kit: RehearsalKnowledge, state: RehearsalState): Promise<ReplyPlan[]> {
  ctx.state.write(REHEARSAL_SLOT, state);
  const cue = cueFor(ctx, state, { reaction: 'opening', mood: moodWords(state.mood), closing: [], opening: [] });
  const son: ReplyPlan = { request: await sonRequest(state, cue, []), meta: { voice: 'son', rehearsal: { mood: state.mood } } };
  if (!state.notes) return [son];
  return [{ fixedText: sceneNote(state, kit), meta: { voice: 'coach-note', steps: [], rehearsal: { scene: state.scene, age: state.age, temperament: state.temperament } } }, son];
}

/** One line of hers: his answer, then (unless she turned them off) a coach note on it. */
async function line(ctx: TurnContext, kit: RehearsalKnowledge, state: RehearsalState, seq: number): Promise<ReplyPlan[]> {
  const analysis = analyseLine(ctx.userText);
  const son = react(state.temperament, state.mood, analysis);
  const note = planNote(ctx.userText, analysis, son, kit, state.topic);
  const turn: RehearsalTurn = {
    seq, line: ctx.userText, findings: analysis.findings, heat: analysis.heat, warmth: analysis.warmth,
    before: son.before, after: son.after, reaction: son.reaction, step: note.step,
  };
  const next = { ...state, mood: son.after, turns: [...state.turns, turn] };
  ctx.state.write(REHEARSAL_SLOT, next);
  const cue = cueFor(ctx, next, { reaction: son.reaction, mood: moodWords(son.after), closing: son.closing, opening: son.opening });
  const rehearsal = { mood: son.after, moodWords: moodWords(son.after), reaction: son.reaction };
  const plans: ReplyPlan[] = [{ request: await sonRequest(next, cue, spokenLines(ctx.history, next)), meta: { voice: 'son', rehearsal } }];
  if (next.notes) {
    const steps = [...new Set([note.step, ...note.citations.map((c) => c.stepId).filter((s): s is string => Boolean(s))])];
    plans.push({ request: await noteRequest(ctx.userText, note), meta: { voice: 'coach-note', steps, citations: note.citations, rehearsal } });
  }
  return plans;
}

function cueFor(ctx: TurnContext, state: RehearsalState, how: Pick<SonCue, 'reaction' | 'mood' | 'closing' | 'opening'>): SonCue {
  return {
    temperament: state.temperament, age: state.age, mum: mumFor(ctx.region), ...(state.topic ? { topic: state.topic } : {}), ...how,
    said: hisLines(ctx.history, state).map((m) => m.text), turn: state.turns.length,
  };
}

/** At high (or crisis) the rehearsal stops and a plain, fixed reply says why; he does not speak. */
function pause(ctx: TurnContext, state: RehearsalState | undefined): ReplyPlan {
  if (state) ctx.state.write(REHEARSAL_SLOT, { ...state, paused: true });
  return { fixedText: PAUSED, meta: { voice: 'coach', steps: ['seek-help'], rehearsal: { paused: true } } };
}

async function end(ctx: TurnContext, kit: RehearsalKnowledge, state: RehearsalState): Promise<ReplyPlan[]> {
  const plan = planDebrief(state, repliesBySeq(ctx.history, state), kit, state.turns[0]?.before ?? state.mood);
  ctx.state.write(REHEARSAL_SLOT, { ...state, ended: true });
  const request = await debriefRequest(plan, spokenLines(ctx.history, state));
  return [{ request, meta: { voice: 'debrief', steps: plan.practise.map((p) => p.step), citations: plan.citations } }];
}

/** Takes back her last line: it and every reply after it are deleted, and his mood is restored. */
function rewind(ctx: TurnContext, state: RehearsalState): ReplyPlan[] {
  const turn = state.turns.at(-1);
  if (!turn) throw new ModeInputError('There is no line of yours to rewind yet. Say your first line to him.');
  const after = ctx.history.filter((m) => m.seq >= turn.seq);
  if (after.some((m) => (m.role === 'safety' && levelAtLeast(m.safetyLevel, 'high')) || (m.role === 'user' && m.seq !== turn.seq))) {
    throw new ModeInputError('The rehearsal paused for safety after that line, so it can\'t be rewound. You can carry on or end the rehearsal.');
  }
  if (!ctx.forget) throw new Error('rewind needs TurnContext.forget');
  ctx.forget(after.map((m) => m.id));
  const turns = state.turns.slice(0, -1);
  const rewound = { line: turn.line, findings: turn.findings, heat: turn.heat, warmth: turn.warmth, reaction: turn.reaction, step: turn.step, position: turns.length };
  const next: RehearsalState = { ...state, turns, mood: turn.before, rewound: [...state.rewound, rewound], ended: false };
  ctx.state.write(REHEARSAL_SLOT, next);
  const last = hisLines(ctx.history, next).at(-1)?.text;
  const said = last ? `, and the last thing he said was "${clip(last)}"` : '';
  const text = `Rewound: he never heard "${clip(turn.line)}". He is back to ${moodWords(turn.before)}${said}${/[.!?]"$/.test(said) ? '' : '.'} Try it another way whenever you're ready.`;
  return [{ fixedText: text, meta: { voice: 'coach-note', rehearsal: { rewound: after.map((m) => m.id), mood: turn.before } } }];
}

function sceneNote(state: RehearsalState, kit: RehearsalKnowledge): string {
  const topic = state.topic ? kit.doc(state.topic)?.title : undefined;
  return [
    `Setting the scene: "${clip(state.scene)}". He is ${state.age} and ${TEMPERAMENT_WORDS[state.temperament]}.${topic ? ` (Mend's notes on this: *${topic}*.)` : ''}`,
    'He speaks first. Answer him as you would at home. After each of your lines I\'ll add a short note like this one; you can turn the notes off, rewind a line to try it another way, or end the rehearsal for a debrief.',
  ].join('\n\n');
}

const TEMPERAMENT_WORDS: Record<RehearsalState['temperament'], string> = {
  withdrawn: 'tends to go quiet and shut you out',
  defensive: 'gets defensive quickly',
  explosive: 'tends to blow up fast',
  sarcastic: 'hides behind sarcasm',
  willing: 'is mostly willing to talk',
};

function mumFor(region: Region): string {
  return region === 'US' || region === 'CA' ? 'Mom' : 'Mum';
}

function sameWords(a: string, b: string): boolean {
  const words = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
  return words(a) === words(b);
}

function clip(text: string): string {
  return text.length > QUOTE_MAX_CHARS ? `${text.slice(0, QUOTE_MAX_CHARS - 1).trimEnd()}…` : text;
}
