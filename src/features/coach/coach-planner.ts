import { z } from 'zod';
import { stateSlot } from '../../store/state-slot.js';
import type { KnowledgeDocument } from '../../knowledge/knowledge-base.js';
import type { RankedDocument } from '../../knowledge/retriever.js';
import { termsOf } from '../../knowledge/terms.js';
import { levelAtLeast, type SafetyLevel } from '../../protocol/safety.js';
import type { Citation } from '../../protocol/frames.js';
import type { FactKey, FactValues } from '../memory/facts.js';
import type { CoachKnowledge } from './coach-knowledge.js';
import { chooseQuestion, type ChosenQuestion, type CoachStage } from './coach-questions.js';
import { adaptScript, framingOf, mentionsStrangers, phrasesOf, practiceFits, practicesOf, presumptionHolds, presumptionsOf, type KnowledgeLine, type Story } from './coach-script.js';
import { tellsSomething } from './coach-reflect.js';
import { readSignals, SIGNAL_VOCABULARY, type Signals } from './coach-signals.js';
import type { Influence } from './coaching-flow.js';
import { empathyLine, helpNote, reasonFor, scriptLead, stepFrame, urgentLead, welcomeFrame, type Keyed, type SituationLine } from './coach-words.js';

/** Where the guided coach is in a conversation, kept in the conversation state between turns. */
export const CoachFlow = z.object({
  turn: z.number().int().nonnegative(),
  /** The step each reply led with, in order. */
  primaries: z.array(z.string()),
  /** Keys of every question, script, practice and framing line already used: never offered twice. */
  used: z.array(z.string()),
  planned: z.boolean(),
  /** She has told something of what happened (before that, a "hello" gets a welcome, not coaching). */
  opened: z.boolean(),
});
export type CoachFlow = z.infer<typeof CoachFlow>;
export const FLOW_SLOT = stateSlot('coach.flow', 1, CoachFlow);
export const NEW_FLOW: CoachFlow = { turn: 0, primaries: [], used: [], planned: false, opened: false };

/** What the guided coach decided for one reply; the writer turns it into words, an LLM gets it as a suggestion. */
export interface CoachMove {
  stage: CoachStage;
  turn: number;
  step: { id: string; label: string; summary: string };
  stepIsNew: boolean;
  /** The sentence naming the step and why it fits (Mend's words, with her situation in it). */
  frame?: string;
  /** Why the step works with teenage boys, quoted from the step's page. */
  grounding?: string;
  empathy?: string;
  /** The step carries on from the last reply, and this is the first time that is said. */
  staying?: boolean;
  scriptLead?: string;
  script?: string;
  practice?: string;
  question: ChosenQuestion;
  helpNote?: string;
  urgent?: string;
  /** His name or age when she told it in this very message. */
  newName?: string;
  newAge?: string;
  name?: string;
  steps: string[];
  citations: Citation[];
  /**
   * With the classifiers: what the reply reflects back, built only from what they understood
   * (never her words reworded); '' when nothing new was understood. Without them: undefined.
   */
  reflection?: string;
  /** She asked a direct question: the bank entry that answers it, or none when nothing in the bank does. */
  answer?: { entry?: { id: string; question: string; answer: string; professional: string | null }; again?: boolean };
}

export interface PlanInput {
  userText: string;
  /** All her messages so far, to borrow her words when adapting a script. */
  herWords: string;
  facts: FactValues;
  newFacts: FactKey[];
  level: SafetyLevel;
  flow: CoachFlow;
  ranked: RankedDocument[];
  /**
   * What reads the topic of her new message: the trained topic classifier (only its confident
   * answer counts), or, without one, the keyword matcher.
   */
  topicReader?: TopicReader;
  /** The classifier read her message as a greeting, or as something else. */
  greeting?: boolean;
  /** What she wants now, when the intent classifier is sure (vent, repair, limit...). */
  intent?: string;
  knowledge: CoachKnowledge;
}

const ROW = /\b(?:rows?|fight\w*|argu\w*|shout\w*|yell\w*|scream\w*|blew up|kicked off|slamm?\w*|stormed|swore|swearing)\b/i;

/** What every part of one turn's plan needs to know. */
interface Turn {
  input: PlanInput;
  signals: Signals;
  /** Signals read from all her messages: what her story holds so far. */
  story: Signals;
  /** Her story has a row in it: raised voices, a slammed door, someone walking out. */
  heated: boolean;
  stage: CoachStage;
  topics: KnowledgeDocument[];
  step: KnowledgeDocument;
  stepIsNew: boolean;
  /** Her words plus the vocabulary of what her message signals, for matching advice. */
  hers: Set<string>;
  /** The same for everything she has said so far. */
  hersAll: Set<string>;
  /** Keys already used in this conversation; each part adds the ones it uses. */
  used: Set<string>;
}

/**
 * Decides one guided reply: the stage of the conversation, the step that fits (from
 * retrieval, the topics she has described and what her message signals), a script and a
 * practice from the knowledge files that were not offered before, and one new question.
 */
export function planCoachMove(input: PlanInput): { move: CoachMove; flow: CoachFlow } {
  const turnNumber = input.flow.turn + 1;
  if (isWelcome(input)) return welcomeMove(input, turnNumber);
  const signals = readSignals(input.userText, input.flow.primaries.length > 0);
  const story = readSignals(input.herWords || input.userText, false);
  const topics = topicsOf(input, signals, story);
  const stage = stageOf(input, signals);
  const stepId = chooseStep(input, signals, story, topics, stage);
  const heated = story.sheLostTemper || story.heExploded || Boolean(input.facts.ending) || ROW.test(input.herWords || input.userText);
  const turn: Turn = {
    input, signals, story, heated, stage, topics, step: input.knowledge.step(stepId)!, stepIsNew: input.flow.primaries.at(-1) !== stepId,
    hers: herTerms(input.userText, signals), hersAll: herTerms(input.herWords || input.userText, story), used: new Set(input.flow.used),
  };
  const framing = frameStep(turn);
  const offer = offerFor(turn, turnNumber);
  const question = chooseQuestion(stage, {
    facts: input.facts, him: input.facts.son_name ?? 'him', he: input.facts.son_name ?? 'he',
    topicIds: topics.map((t) => t.id), step: turn.step, asked: turn.used,
    told: tellsSomething(input.herWords || input.userText), notRaised: story.notRaised && !input.facts.he_said,
    heated,
  });
  turn.used.add(question.id);
  const help = input.level === 'strained' ? use(turn, helpNote(turn.used)) : undefined;
  const lead = stage === 'urgent' ? urgentLead(turn.used) : undefined;
  const urgent = lead ? use(turn, lead) : undefined;
  const needsHelp = Boolean(help || urgent);
  const move: CoachMove = {
    stage, turn: turnNumber,
    step: { id: stepId, label: input.knowledge.stepLabel(stepId), summary: turn.step.summary },
    stepIsNew: turn.stepIsNew, ...framing.text, ...offer.text, question, helpNote: help?.text, urgent: urgent?.text,
    name: input.facts.son_name,
    newName: input.newFacts.includes('son_name') ? input.facts.son_name : undefined,
    // Thanks for his age only when she adds it later; in a first message it is part of the story.
    newAge: input.newFacts.includes('son_age') && stage !== 'open' && input.flow.opened ? input.facts.son_age : undefined,
    steps: [...new Set([stepId, ...(needsHelp ? ['seek-help'] : [])])],
    citations: citationsFor(input.knowledge, stepId, [...framing.chunks, ...offer.chunks, needsHelp ? 'seek-help#what-this-step-is' : undefined]),
  };
  const flow: CoachFlow = {
    turn: turnNumber, primaries: [...input.flow.primaries, stepId], used: [...turn.used],
    planned: input.flow.planned || stage === 'plan', opened: true,
  };
  return { move, flow };
}

function use<T extends Keyed | undefined>(turn: Turn, keyed: T): T {
  if (keyed) turn.used.add(keyed.key);
  return keyed;
}

/** The empathy line, and when the step is new, the sentence naming it with its reason and a quote on why it works. */
function frameStep(turn: Turn): { text: Pick<CoachMove, 'empathy' | 'frame' | 'grounding' | 'staying'>; chunks: string[] } {
  const { input, signals, stage, step } = turn;
  const empathy = signals.brief && !feelingNow(input) && !signals.wentWell ? undefined
    : use(turn, empathyLine(feelingNow(input), topicsNow(input, turn.topics), input.userText, situationOf(stage, signals), turn.used));
  if (!turn.stepIsNew && stage !== 'open') {
    // "Staying with step 3: …" is said once; after that the step stays in the reply's label only.
    const staying = use(turn, turn.used.has(`stay:${step.id}`) ? undefined : { key: `stay:${step.id}`, text: 'staying' });
    return { text: { empathy: empathy?.text, staying: Boolean(staying) }, chunks: [] };
  }
  const longSilence = turn.story.withdrawn || (turn.topics.some((t) => t.id === 'silent-treatment') && /\b(?:days|weeks?|months?|since)\b/i.test(input.herWords || input.userText));
  const reason = use(turn, reasonFor(step.id, { signals, heated: turn.heated, longSilence, ending: input.facts.ending, topicIds: turn.topics.map((t) => t.id), stage }, turn.used));
  const frame = use(turn, stepFrame(`**${input.knowledge.stepLabel(step.id)}**`, reason.text, turn.used));
  const grounding = use(turn, groundingOf(step, turn.hers, turn.used));
  return {
    text: { empathy: empathy?.text, frame: frame.text, grounding: grounding?.text },
    chunks: grounding ? [`${step.id}#why-it-works-with-teenage-boys`] : [],
  };
}

/** Words to say, a thing to do, or both, each a knowledge line not offered before, made hers. */
function offerFor(turn: Turn, turnNumber: number): { text: Pick<CoachMove, 'script' | 'scriptLead' | 'practice'>; chunks: string[] } {
  const { input, step } = turn;
  const wants = wantsOf(turn, turnNumber);
  const scriptLine = wants.script ? chooseLine(scriptCandidates(input, step, turn.topics, turn), turn, true) : undefined;
  // One concrete thing: a practice when she asked what to do, or when no line to say fits her story.
  const practiceLine = wants.practice || (wants.script && !scriptLine) ? chooseLine(practiceCandidates(input, step, turn.topics, turn), turn, false) : undefined;
  for (const line of [scriptLine, practiceLine]) if (line) turn.used.add(line.key);
  const lead = scriptLine ? use(turn, scriptLead(leadStep(turn, scriptLine), turn.used, framingOf(scriptLine.text, storyOf(turn)))) : undefined;
  const name = input.facts.son_name;
  return {
    text: {
      script: scriptLine && adaptScript(scriptLine.text, { name, herWords: input.herWords }),
      scriptLead: lead?.text,
      practice: practiceLine && adaptPractice(practiceLine.text, name),
    },
    chunks: [scriptLine?.chunkId, practiceLine?.chunkId].filter((c): c is string => Boolean(c)),
  };
}

export interface TopicReader {
  match(text: string): Array<{ doc: KnowledgeDocument; score: number }>;
}

function readTopics(input: PlanInput): Array<{ doc: KnowledgeDocument; score: number }> {
  return (input.topicReader ?? input.knowledge.topics).match(input.userText);
}

/** A first message that says nothing yet about him ("hi", "can you help?"). */
function isWelcome(input: PlanInput): boolean {
  // Welcomed once already: whatever she says next is her story, however short.
  if (input.flow.opened || input.flow.turn > 0) return false;
  // "he's impossible." is her story, not a hello: with the classifier, only a greeting is welcomed.
  if (input.greeting !== undefined) return input.greeting && !levelAtLeast(input.level, 'strained');
  if (levelAtLeast(input.level, 'strained')) return false;
  const said = input.newFacts.some((k) => k !== 'son_name' && k !== 'son_age');
  return !said && !tellsSomething(input.userText) && readTopics(input).length === 0 && termsOf(input.userText).length <= 6;
}

function welcomeMove(input: PlanInput, turn: number): { move: CoachMove; flow: CoachFlow } {
  const step = input.knowledge.step('acknowledge')!;
  const move: CoachMove = {
    stage: 'welcome', turn,
    step: { id: step.id, label: input.knowledge.stepLabel(step.id), summary: step.summary },
    stepIsNew: true,
    frame: welcomeFrame(`**${input.knowledge.stepLabel(step.id)}**`, input.facts.son_name),
    question: { id: 'tell-me', text: 'Tell me about the last argument: what was it about, and how did it end?' },
    name: input.facts.son_name, newName: input.newFacts.includes('son_name') ? input.facts.son_name : undefined,
    steps: [step.id],
    citations: citationsFor(input.knowledge, step.id, [`${step.id}#what-this-step-is`]),
  };
  return { move, flow: { ...input.flow, turn, used: [...input.flow.used, 'tell-me'] } };
}

/** What the empathy line should speak to, when something matters more than the topic. */
function situationOf(stage: CoachStage, signals: Signals): SituationLine | undefined {
  if (stage === 'urgent') return 'urgent';
  if (stage === 'follow-up') return signals.wentWell ? 'progress' : 'setback';
  return signals.sheLostTemper ? 'her-temper' : undefined;
}

/** Topics of her message now, as the plan reads them (her own anger is not his temper). */
function topicsNow(input: PlanInput, topics: KnowledgeDocument[]): string[] {
  const kept = new Set(topics.map((t) => t.id));
  return readTopics(input).map((m) => m.doc.id).filter((id) => kept.has(id));
}

/**
 * Her own raised voice is not his anger: it calls for repair, not for the page on his temper.
 * Nor is her own anger ("I'm scared and angry"): the page on his temper needs his.
 */
function topicsOf(input: PlanInput, signals: Signals, story: Signals): KnowledgeDocument[] {
  const hisAnger = story.heExploded || HIS_ANGER.test(input.herWords || input.userText);
  const notHis = (d: KnowledgeDocument) => d.id === 'anger-and-slammed-doors' && !hisAnger && !(signals.heExploded && !signals.sheLostTemper);
  const matched = readTopics(input).map((m) => m.doc);
  // Rudeness to her face is the respect page's business even in words it doesn't list ("told me to f off").
  const rude = signals.heRude ? [input.knowledge.doc('respect-and-rudeness')].filter((d): d is KnowledgeDocument => Boolean(d)) : [];
  const now = [...matched, ...rude].filter((d) => !notHis(d));
  const remembered = input.knowledge.topicDocs(input.facts.topics).filter((d) => !notHis(d));
  return [...new Set([...now, ...remembered])].slice(0, 3);
}

/** His anger in her words: "he's so angry", "his temper", "he flies off the handle". */
const HIS_ANGER = /\b(?:he(?:[’']s| is| was| gets| got)(?: \w+)? (?:angry|furious|livid|raging|aggressive)|his (?:temper|anger|rage)|flies off the handle|kicks off|kicked off)\b/i;

function stageOf(input: PlanInput, signals: Signals): CoachStage {
  if (levelAtLeast(input.level, 'high')) return 'urgent';
  if (signals.reportBack) return 'follow-up';
  if (!input.flow.opened) return 'open';
  const turn = input.flow.primaries.length + 1;
  const { gather } = input.knowledge.flow;
  const facts = input.facts as Record<string, string | undefined>;
  const missing = gather.needs.filter((group) => !group.some((fact) => facts[fact])).length;
  if (turn <= gather.untilTurn && missing > 0 && !signals.asksWhatToSay && !signals.asksWhatToDo) return 'gather';
  if (!input.flow.planned || signals.asksWhatToSay || signals.asksWhatToDo) return 'plan';
  return 'deepen';
}

/** Scores the seven steps for this turn; the best one leads the reply. */
function chooseStep(input: PlanInput, signals: Signals, story: Signals, topics: KnowledgeDocument[], stage: CoachStage): string {
  if (stage === 'urgent') return 'seek-help';
  const score = new Map(input.knowledge.steps.map((s) => [s.id, 0]));
  const add = (id: string | undefined, n: number) => { if (id && score.has(id)) score.set(id, score.get(id)! + n); };
  const top = input.ranked[0]?.score ?? 1;
  for (const r of input.ranked.slice(0, 8)) {
    const w = r.score / top;
    if (r.doc.kind === 'step') add(r.doc.id, 1.2 * w);
    else { add(r.doc.steps[0], 0.8 * w); add(r.doc.steps[1], 0.4 * w); }
  }
  topics.forEach((t, i) => { const w = i === 0 ? 1 : 0.6; add(t.steps[0], 1.2 * w); add(t.steps[1], 0.6 * w); });
  const flow = input.knowledge.flow;
  for (const [signal, influence] of flow.signals) {
    const weight = signals[signal] ? 1 : story[signal] ? flow.storyWeight : 0;
    if (weight) for (const [id, n] of Object.entries(influence.steps)) add(id, n * weight);
  }
  for (const [id, n] of Object.entries(intentOf(input)?.steps ?? {})) add(id, n);
  if (signals.reportBack && signals.wentWell) for (const [id, n] of Object.entries(flow.reportBack.wentWell)) add(id, n);
  if (signals.reportBack && signals.wentBadly) for (const [id, n] of Object.entries(flow.reportBack.wentBadly)) add(id, n);
  const { variety } = flow;
  const scale = signals.asksWhatToSay || signals.asksWhatToDo ? variety.whenAsked : 1;
  input.flow.primaries.forEach((p, i) => add(p, -scale * (i === input.flow.primaries.length - 1 ? variety.last : variety.earlier)));
  const helpLeads = flow.seekHelpLeadsOnlyWith.signals.some((s) => signals[s]) || (input.intent !== undefined && flow.seekHelpLeadsOnlyWith.intents.includes(input.intent));
  if (!helpLeads) score.set('seek-help', -Infinity);
  return [...score].sort((a, b) => b[1] - a[1] || stepOrder(input, a[0]) - stepOrder(input, b[0]))[0]![0];
}

/** How the flow file says what she wants now should weigh, when the classifier is sure of it. */
function intentOf(input: PlanInput): Influence | undefined {
  return input.intent ? input.knowledge.flow.intents.get(input.intent) : undefined;
}

function stepOrder(input: PlanInput, id: string): number {
  return input.knowledge.step(id)?.step ?? 99;
}

/** What this reply offers: words to say or a thing to do, as the flow file says for the stage or for what she wants. */
function wantsOf(turn: Turn, turnNumber: number): { script: boolean; practice: boolean } {
  const { signals, stage } = turn;
  if (signals.asksWhatToSay) return { script: true, practice: false };
  if (signals.asksWhatToDo) return { script: false, practice: true };
  const offer = (stage !== 'urgent' && intentOf(turn.input)?.offer) || turn.input.knowledge.flow.offers[stage as Exclude<CoachStage, 'welcome'>];
  switch (offer) {
    case 'practice': return { script: false, practice: true };
    case 'script-new-step': return turn.stepIsNew ? { script: true, practice: false } : { script: false, practice: true };
    case 'alternate': return turnNumber % 2 === 0 ? { script: false, practice: true } : { script: true, practice: false };
    default: return { script: true, practice: false };
  }
}

function scriptCandidates(input: PlanInput, step: KnowledgeDocument, topics: KnowledgeDocument[], turn: Turn): Array<[KnowledgeLine, number]> {
  // Getting help comes first: only lines about getting help, never a topic's everyday phrase.
  if (step.id === 'seek-help') return [step, input.knowledge.doc('inviting-your-son')].flatMap((d) => (d ? phrasesOf(d).map((l): [KnowledgeLine, number] => [l, 1]) : []));
  return sourcesFor(input, step, topics, turn).flatMap(([doc, base]) => phrasesOf(doc).map((l): [KnowledgeLine, number] => [l, base]));
}

function practiceCandidates(input: PlanInput, step: KnowledgeDocument, topics: KnowledgeDocument[], turn: Turn): Array<[KnowledgeLine, number]> {
  return sourcesFor(input, step, topics, turn).flatMap(([doc, base]) => practicesOf(doc).map((l): [KnowledgeLine, number] => [l, base]));
}

/**
 * Pages to take a line from, each with a base weight: the step's own page; the topics of
 * the conversation (the one it is mostly about first); and skill pages that serve the step.
 * Pages that match her message right now weigh more than ones remembered from earlier.
 */
function sourcesFor(input: PlanInput, step: KnowledgeDocument, topics: KnowledgeDocument[], turn: Turn): Array<[KnowledgeDocument, number]> {
  const top = input.ranked[0]?.score ?? 1;
  const now = new Map(input.ranked.map((r) => [r.doc.id, r.score / top]));
  const skills = input.ranked.slice(0, 10).filter((r) => r.doc.kind === 'skill' && r.doc.steps.includes(step.id)).slice(0, 2).map((r) => r.doc);
  // The skill her situation calls for, even when her words don't name it ("I screamed at him" → repair).
  const called = [...input.knowledge.flow.signals].flatMap(([signal, influence]): Array<[KnowledgeDocument, number]> => {
    const weight = turn.signals[signal] ? 1 : turn.story[signal] ? 0.7 : 0;
    return weight ? pagesOf(input, influence.pages, weight) : [];
  });
  const wanted = pagesOf(input, intentOf(input)?.pages ?? {}, 1);
  const sources: Array<[KnowledgeDocument, number]> = [
    [step, 1],
    ...topics.map((t, i): [KnowledgeDocument, number] => [t, (i === 0 ? 0.7 : 0.4) + (t.steps.includes(step.id) ? 0.3 : 0) + 0.6 * (now.get(t.id) ?? 0)]),
    ...skills.map((d): [KnowledgeDocument, number] => [d, 0.3 + 0.9 * (now.get(d.id) ?? 0)]),
    ...called,
    ...wanted,
  ];
  // A page reached two ways keeps its best weight, once.
  const best = new Map<KnowledgeDocument, number>();
  for (const [doc, base] of sources) best.set(doc, Math.max(best.get(doc) ?? -Infinity, base));
  return [...best];
}

function pagesOf(input: PlanInput, pages: Record<string, number>, weight: number): Array<[KnowledgeDocument, number]> {
  return Object.entries(pages).flatMap(([id, base]): Array<[KnowledgeDocument, number]> => {
    const doc = input.knowledge.doc(id);
    return doc ? [[doc, base * weight]] : [];
  });
}

/** Pages written for one situation, and whether her story is in it. */
const SITUATION_PAGES: Record<string, (turn: Turn) => boolean> = {
  'repair-after-losing-temper': (turn) => turn.input.intent === 'repair' || turn.story.sheLostTemper || turn.story.wantsRepair || turn.story.herMistake
    || /\b(?:guilty|regret\w*|my fault|shouldn[’']?t have|ashamed|overreacted)\b/i.test(turn.input.herWords || turn.input.userText),
};

function situationHolds(docId: string, turn: Turn): boolean {
  return SITUATION_PAGES[docId]?.(turn) ?? true;
}

/** The apology itself, as against what she'll do next time. */
const APOLOGY = /\bsorry\b|\bshouldn[’']t have\b|\bwasn[’']t okay\b|\bthat[’']s on me\b/i;

/**
 * The unused line that best fits: where it comes from, whether it carries the chosen step
 * (by its words), and how many of her words it shares.
 */
function chooseLine(candidates: Array<[KnowledgeLine, number]>, turn: Turn, saidToHim: boolean): KnowledgeLine | undefined {
  const { input, hers, hersAll, used } = turn;
  const stepId = turn.step.id;
  const story = storyOf(turn);
  let best: [KnowledgeLine, number] | undefined;
  for (const [line, base] of candidates) {
    if (used.has(line.key)) continue;
    // A line that takes for granted something her story does not hold is never offered.
    if (saidToHim && !presumptionsOf(line.text).every((p) => presumptionHolds(p, line.text, story))) continue;
    if (!saidToHim && !practiceFits(line.text, story.herWords)) continue;
    // A page for a situation (putting right what she said) is for mothers in it.
    if (!situationHolds(line.docId, turn)) continue;
    // Asked what to say, she needs words to open with, not a thank-you or a reply kept for later.
    if (saidToHim && turn.signals.asksWhatToSay && framingOf(line.text, story)) continue;
    const lineTerms = new Set(termsOf(line.text).filter((t) => !input.knowledge.isCommon(t)));
    // Her words now count most; what she said earlier still counts.
    const overlap = [...lineTerms].filter((t) => hers.has(t)).length;
    const earlier = [...lineTerms].filter((t) => !hers.has(t) && hersAll.has(t)).length;
    // A step's own lines always fit it; a topic's line that carries the step is more specific still.
    const rank = input.knowledge.stepAffinity(line.text).indexOf(stepId);
    // Word affinity is a rough guide, so it nudges rather than decides.
    const carries = line.docId === stepId ? 0.3 : rank === 0 ? 0.5 : rank === 1 ? 0.25 : 0;
    const offTopic = saidToHim ? input.knowledge.unsaidKeywords(adaptScript(line.text, { herWords: input.herWords }), hersAll, turn.topics.map((t) => t.id)) : 0;
    // An apology names what she did; "I called you lazy" is wrong if she never said she did.
    if (offTopic > 0 && presumptionsOf(line.text).includes('apology')) continue;
    // When she wants to put right what she said, the words that do it come first.
    const apology = saidToHim && presumptionsOf(line.text).includes('apology') ? (APOLOGY.test(line.text) ? 1 : 0.5) : 0;
    const repair = apology * (turn.signals.wantsRepair ? 1.5 : turn.signals.sheLostTemper || turn.signals.herMistake ? 1
      : turn.story.wantsRepair || turn.story.sheLostTemper || turn.story.herMistake ? 0.5 : 0);
    const score = base + carries + repair + 0.45 * Math.min(overlap, 3) + 0.25 * Math.min(earlier, 2) - 1.2 * Math.min(offTopic, 2)
      - (saidToHim && mentionsStrangers(line.text, input.herWords) ? 2 : 0);
    if (!best || score > best[1]) best = [line, score];
  }
  return best?.[0];
}

/**
 * Whose lead a line gets: the step's own ("Keep your voice low and steady") when the line
 * carries that step, a plain one otherwise, so a limit is never introduced as "light and curious".
 */
function leadStep(turn: Turn, line: KnowledgeLine): string {
  return line.docId === turn.step.id || turn.input.knowledge.doc(line.docId)?.steps[0] === turn.step.id ? turn.step.id : 'plain';
}

function storyOf(turn: Turn): Story {
  return {
    story: turn.story, herWords: turn.input.herWords || turn.input.userText, facts: turn.input.facts,
    stepId: turn.step.id, topicIds: turn.topics.map((t) => t.id),
  };
}

/** Her words plus the vocabulary of the situations her message signals. */
function herTerms(userText: string, signals: Signals): Set<string> {
  const extra = Object.entries(SIGNAL_VOCABULARY).filter(([k]) => signals[k as keyof Signals]).map(([, words]) => words);
  return new Set(termsOf([userText, ...extra].join(' ')));
}

/** The opening of the step's "why it works" paragraph closest to her situation, not quoted before. */
function groundingOf(step: KnowledgeDocument, hers: ReadonlySet<string>, used: ReadonlySet<string>): Keyed | undefined {
  const body = step.sections.get('Why it works with teenage boys') ?? '';
  const paragraphs = body.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
  const fresh = paragraphs
    .map((p, i) => ({ i, p, overlap: termsOf(p).filter((t) => hers.has(t)).length }))
    .filter(({ i }) => !used.has(`why:${step.id}:${i}`))
    .sort((a, b) => b.overlap - a.overlap || a.i - b.i)[0];
  if (!fresh) return undefined;
  // One sentence: the reason is already given, this only grounds it. Two if the first is very short.
  const sentences = fresh.p.split(/(?<=[.!?])\s+/);
  const text = sentences[0]!.length < 60 && sentences[1] ? sentences.slice(0, 2).join(' ') : sentences[0]!;
  return { key: `why:${step.id}:${fresh.i}`, text };
}

function feelingNow(input: PlanInput): string | undefined {
  return input.newFacts.includes('feeling') ? input.facts.feeling : undefined;
}

function adaptPractice(text: string, name?: string): string {
  return name ? text.replace(/\byour son\b/g, name) : text;
}

function citationsFor(knowledge: CoachKnowledge, stepId: string, chunkIds: Array<string | undefined>): Citation[] {
  const ids = [...new Set(chunkIds.filter((id): id is string => Boolean(id)))];
  return ids.map((id) => {
    const doc = knowledge.doc(id.split('#')[0]!)!;
    const supports = doc.kind === 'step' ? doc.id : doc.steps.includes(stepId) ? stepId : doc.steps[0];
    return { id, title: doc.title, ...(supports ? { stepId: supports } : {}) };
  });
}
