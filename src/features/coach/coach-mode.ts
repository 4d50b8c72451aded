import { COACH_TASK } from './coach-task.js';
import type { KnowledgeRetriever, RetrievedChunk } from '../../knowledge/retriever.js';
import type { ModelRequest, PromptMessage } from '../../llm/chat-model.js';
import type { SafetyLevel } from '../../protocol/safety.js';
import type { MessageRecord } from '../../protocol/records.js';
import type { ChatModeHandler, ModeState, ReplyPlan, TurnContext } from '../../chat/mode.js';
import { clipForPrompt, renderPrompt } from '../../llm/prompt-library.js';
import { ConversationMemory } from '../memory/conversation-memory.js';
import type { Fact, FactKey } from '../memory/facts.js';
import { extractiveSummary, partition, summaryForTurn } from '../memory/rolling-summary.js';
import { CoachKnowledge } from './coach-knowledge.js';
import { FLOW_SLOT, NEW_FLOW, planCoachMove, type CoachMove, type TopicReader } from './coach-planner.js';
import { answerFor, quickRepliesFor } from './coach-answers.js';
import { reflectionFrom } from './coach-reflection.js';
import { deniesTopic } from './denied-topic.js';
import type { CoachUnderstanding, Understanding } from './understanding/coach-understanding.js';
import type { QuestionBank } from '../../knowledge/question-bank.js';
import { memoryState } from '../../store/state-slot.js';

/** Knowledge chunks retrieval adds each turn to the ones the guided plan quotes. */
const KNOWLEDGE_CHUNKS = 3;
const MAX_GROUNDING_CHUNKS = 6;

export interface CoachUnderstandingDeps {
  /** The trained classifiers; without them the coach reads topics by keyword, as before. */
  understanding?: CoachUnderstanding;
  bank?: QuestionBank;
}

/**
 * Everyday coaching. Each turn: read what her message says (the classifiers, when given),
 * remember it (facts), find the knowledge that fits, plan the guided move (step, script,
 * question, or an answer from the question bank), keep the rolling summary current, and
 * build one request that both providers can answer.
 */
export function createCoachMode(retriever: KnowledgeRetriever, deps: CoachUnderstandingDeps = {}): ChatModeHandler {
  const knowledge = new CoachKnowledge(retriever.documents);
  return {
    id: 'coach',
    async plan(ctx: TurnContext): Promise<ReplyPlan[]> {
      const understood = withoutDeniedTopic(deps.understanding?.read(ctx.userText, lastAsked(ctx.history)), ctx.userText, knowledge);
      const topicReader = understood ? understoodTopics(understood, knowledge) : undefined;
      const memory = new ConversationMemory(ctx.state);
      const before = memory.values();
      const newFacts = memory.learn(ctx.userText, topicReader ?? knowledge.topics);
      if (understood) newFacts.push(...noteUnderstood(memory, understood));
      const planned = await planTurn(ctx.history, ctx.userText, ctx.verdict.level, ctx.state, newFacts, {
        retriever, knowledge, memory, ...(understood ? { topicReader, greeting: understood.intent === 'greet', intent: understood.intent } : {}),
      });
      const earlierReplies = ctx.history.filter((m) => m.role === 'assistant').map((m) => m.text);
      const answer = understood && deps.bank ? answerFor(understood, deps.bank, ctx.verdict.level, earlierReplies) : undefined;
      const plannedTopics = planned.move.citations.map((c) => c.id.split('#')[0]!);
      const reflection = understood ? { reflection: reflectionFrom(understood, before, knowledge, plannedTopics, earlierReplies, planned.move.empathy) } : {};
      const move = { ...planned.move, ...reflection, ...(answer ? { answer } : {}) };
      const summary = await summaryForTurn(memory, ctx.history, ctx.model, ctx.signal);
      const request = await buildCoachRequest({
        history: ctx.history, userText: ctx.userText, level: ctx.verdict.level, facts: memory.facts(), summary, knowledge: planned.chunks, move,
      });
      const meta = metaFor(move, ctx.model.info.provider === 'guided' ? [] : planned.chunks);
      if (!understood) return [{ request, meta }];
      return [{ request, meta: { ...meta, quickReplies: quickRepliesFor(move, memory.values(), understood), understood: understoodMeta(understood, move) } }];
    },
  };
}

const FEELING_WORDS: Record<string, string> = {
  angry: 'angry', hurt: 'hurt', sad: 'sad', worried: 'worried', guilty: 'guilty', exhausted: 'worn out', confused: 'unsure what to do', hopeful: 'hopeful',
};
const ENDING_WORDS: Record<string, string> = {
  'walked-out': 'he walked out', 'slammed-door': 'a slammed door', shouting: 'shouting', silence: 'he went silent',
  'he-cried': 'he was in tears', 'she-cried': 'she was in tears', 'made-up': 'they made up', 'still-going': 'it is still going on',
};

/** How she feels and how it ended, when the classifiers understood it and she hasn't said it in words the facts caught. */
function noteUnderstood(memory: ConversationMemory, understood: Understanding): FactKey[] {
  const noted: FactKey[] = [];
  if (understood.feeling && memory.note('feeling', FEELING_WORDS[understood.feeling] ?? understood.feeling)) noted.push('feeling');
  if (understood.ending && memory.note('ending', ENDING_WORDS[understood.ending] ?? understood.ending)) noted.push('ending');
  return noted;
}

/** The kind of question Mend asked last, so the answer classifier knows what she may be answering. */
function lastAsked(history: MessageRecord[]): 'how-it-ended' | 'how-she-feels' | 'what-he-said' | 'what-happened' | undefined {
  const last = history.findLast((m) => m.role === 'assistant' && m.meta.voice !== 'son');
  const question = last?.text.trim().split(/\n\s*\n/).at(-1) ?? '';
  if (!question.endsWith('?')) return undefined;
  if (/\bend(?:ed)?\b/i.test(question)) return 'how-it-ended';
  if (/\bfeel/i.test(question)) return 'how-she-feels';
  if (/\bsaid|say\b/i.test(question)) return 'what-he-said';
  return 'what-happened';
}

/** A topic her own words deny ("he didn't lie to me") is not understood, whatever the classifier says. */
function withoutDeniedTopic(understood: Understanding | undefined, text: string, knowledge: CoachKnowledge): Understanding | undefined {
  const doc = understood?.topic ? knowledge.doc(understood.topic) : undefined;
  return understood && doc && deniesTopic(text, doc) ? { ...understood, topic: undefined } : understood;
}

/** The classifier's topic, as the planner reads topics: only its confident answer for this message counts. */
function understoodTopics(understood: Understanding, knowledge: CoachKnowledge): TopicReader {
  const doc = understood.topic ? knowledge.doc(understood.topic) : undefined;
  return { match: () => (doc ? [{ doc, score: 1 }] : []) };
}

function understoodMeta(u: Understanding, move: CoachMove): NonNullable<ReplyPlan['meta']['understood']> {
  const out: NonNullable<ReplyPlan['meta']['understood']> = {};
  if (u.topic) out.topic = u.topic;
  if (u.intent) out.intent = u.intent;
  if (u.feeling) out.feeling = u.feeling;
  if (u.ending) out.ending = u.ending;
  if (move.answer?.entry) out.answered = move.answer.entry.id;
  return out;
}

interface Engine {
  retriever: KnowledgeRetriever;
  knowledge: CoachKnowledge;
  memory: ConversationMemory;
  topicReader?: TopicReader;
  greeting?: boolean;
  intent?: string;
}

async function planTurn(
  history: MessageRecord[], userText: string, level: SafetyLevel, state: ModeState, newFacts: FactKey[], engine: Engine,
): Promise<{ move: CoachMove; chunks: RetrievedChunk[] }> {
  const facts = engine.memory.values();
  const [ranked, chunks] = await Promise.all([
    // Her recent messages too: a short follow-up ("how do I bring it up?") says little on its own.
    engine.retriever.rankDocuments([retrievalQuery(history, userText), facts.topics ?? ''].join('\n')),
    engine.retriever.retrieve(retrievalQuery(history, userText), KNOWLEDGE_CHUNKS),
  ]);
  const flow = state.read(FLOW_SLOT) ?? NEW_FLOW;
  const { move, flow: next } = planCoachMove({
    userText, herWords: herMessages(history).join('\n'), facts, newFacts, level, flow, ranked, knowledge: engine.knowledge,
    ...(engine.topicReader ? { topicReader: engine.topicReader } : {}), ...(engine.greeting !== undefined ? { greeting: engine.greeting } : {}),
    ...(engine.intent ? { intent: engine.intent } : {}),
  });
  state.write(FLOW_SLOT, next);
  return { move, chunks: groundingFor(move, chunks, engine.retriever) };
}

/** The sections the plan quotes first, then the best retrieved ones, up to a fixed number. */
function groundingFor(move: CoachMove, retrieved: RetrievedChunk[], retriever: KnowledgeRetriever): RetrievedChunk[] {
  const quoted = move.citations.map((c) => retriever.chunk(c.id)).filter((c): c is RetrievedChunk => Boolean(c));
  const all = [...quoted, ...retrieved.filter((r) => !quoted.some((q) => q.id === r.id))];
  return all.slice(0, MAX_GROUNDING_CHUNKS);
}

/** Her new message carries the turn; the two before it keep the thread (short replies like "yes"). */
function retrievalQuery(history: MessageRecord[], userText: string): string {
  const earlier = herMessages(history).slice(-3, -1);
  return [...earlier, userText].join('\n');
}

function herMessages(history: MessageRecord[]): string[] {
  return history.filter((m) => m.role === 'user').map((m) => m.text);
}

export interface CoachPromptParts {
  /** Every message so far, her new one last. */
  history: MessageRecord[];
  userText: string;
  level: SafetyLevel;
  facts: Fact[];
  /** The rolling summary of turns older than the recent window ('' when there is none). */
  summary: string;
  knowledge: RetrievedChunk[];
  move?: CoachMove;
}

/**
 * The coach request: system prompt, then what Mend knows (summary, facts, the suggested
 * step, knowledge), then the last few turns and her new message. Its size does not grow
 * with the length of the conversation, only with the (capped) summary.
 */
/** Mend's side after the memory note: strict chat templates need user and assistant to alternate. */
const MEMORY_ACK: PromptMessage = { role: 'assistant', content: 'Thank you, I have that in mind.' };

export async function buildCoachRequest(parts: CoachPromptParts): Promise<ModelRequest> {
  const system = await renderPrompt('coach', {
    level: parts.level, strained: parts.level === 'strained', high: parts.level === 'high' || parts.level === 'crisis',
  });
  const context = await renderPrompt('coach-context', { move: parts.move ?? false, knowledge: parts.knowledge });
  const remembered = parts.summary || parts.facts.length > 0;
  const memory = remembered ? await renderPrompt('coach-memory', { summary: parts.summary, hasFacts: parts.facts.length > 0, facts: parts.facts }) : '';
  const { recent } = partition(parts.history, Number.MAX_SAFE_INTEGER);
  const messages: PromptMessage[] = [
    { role: 'system', content: system },
    { role: 'system', content: context },
    // Built from her words, so it speaks as her, never as the system; acknowledged, so turns keep alternating.
    ...(remembered ? [{ role: 'user' as const, content: memory.trim() }, ...(recent[0]?.role === 'assistant' ? [] : [MEMORY_ACK])] : []),
    ...recent.map((m) => ({ role: m.role, content: clipForPrompt(m.text, m.role) })),
    { role: 'user', content: parts.userText },
  ];
  const son = parts.facts.find((f) => f.key === 'son_name')?.value;
  return COACH_TASK.request(
    { userText: parts.userText, level: parts.level, move: parts.move, facts: parts.facts, chunks: parts.knowledge },
    messages, { maxTokens: 450, ...(son ? { knownNames: [{ name: son, role: 'SON' }] } : {}) },
  );
}

function metaFor(move: CoachMove, extra: RetrievedChunk[]): ReplyPlan['meta'] {
  const citations = [...move.citations];
  for (const c of extra) {
    if (!citations.some((x) => x.id === c.id)) citations.push({ id: c.id, title: c.title, ...(c.stepId ? { stepId: c.stepId } : {}) });
  }
  return { citations, steps: move.steps, voice: 'coach' };
}

export function citationsOf(chunks: RetrievedChunk[]): ReplyPlan['meta'] {
  const steps = [...new Set(chunks.map((c) => c.stepId).filter((s): s is string => Boolean(s)))];
  return { citations: chunks.map((c) => ({ id: c.id, stepId: c.stepId, title: c.title })), steps };
}

/**
 * The coach request for a stored history without running a turn (benchmarks, budget tests):
 * facts are read from her messages, older turns summarised extractively, and the plan is the
 * one the guided coach would make now.
 */
export async function coachRequestForHistory(
  history: MessageRecord[], options: { retriever: KnowledgeRetriever; level?: SafetyLevel },
): Promise<ModelRequest> {
  const state = memoryState();
  const memory = new ConversationMemory(state);
  const knowledge = new CoachKnowledge(options.retriever.documents);
  const hers = herMessages(history);
  hers.slice(0, -1).forEach((text) => memory.learn(text, knowledge.topics));
  const userText = hers.at(-1) ?? '';
  const newFacts = memory.learn(userText, knowledge.topics);
  const primaries = history.filter((m) => m.role === 'assistant').map((m) => m.meta.steps[0] ?? 'listen');
  state.write(FLOW_SLOT, { ...NEW_FLOW, turn: Math.max(0, hers.length - 1), primaries, opened: hers.length > 1 });
  const level = options.level ?? 'calm';
  const { move, chunks } = await planTurn(history, userText, level, state, newFacts, { retriever: options.retriever, knowledge, memory });
  const { unfolded } = partition(history, 0);
  const summary = unfolded.length ? extractiveSummary('', unfolded) : '';
  return buildCoachRequest({ history, userText, level, facts: memory.facts(), summary, knowledge: chunks, move });
}
