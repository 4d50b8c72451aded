/**
 * Prompt size at turn 10 and turn 100 of a long conversation, beside the naive prompt that
 * would send the whole history. Tokens are counted as characters / 4 (a fair estimate for
 * English with OpenAI tokenisers; no tokeniser is installed).
 */
import type { ChatModel, ModelRequest } from '../src/llm/chat-model.js';
import type { ModeState, TurnContext } from '../src/chat/mode.js';
import type { MessageRecord } from '../src/protocol/records.js';
import { loadKnowledgeDocuments } from '../src/knowledge/knowledge-base.js';
import { KnowledgeRetriever } from '../src/knowledge/retriever.js';
import { herMessage, historyAtTurn } from './conversation.js';
import { round } from './stats.js';
import { memoryState } from '../src/store/state-slot.js';

export const EARLY_TURN = 10;
export const LATE_TURN = 100;

export interface PromptSizes {
  /** How the request was built, so a reader knows which code the figures come from. */
  method: string;
  early: number;
  late: number;
  ratio: number;
  naiveEarly: number;
  naiveLate: number;
  naiveRatio: number;
}

const tokens = (text: string) => Math.ceil(text.length / 4);
const requestTokens = (request: ModelRequest) => request.messages.reduce((n, m) => n + tokens(m.content), 0);

/** The system prompt plus every message so far, word for word. */
function naiveTokens(request: ModelRequest, history: MessageRecord[]): number {
  const system = request.messages.find((m) => m.role === 'system')?.content ?? '';
  return tokens(system) + history.reduce((n, m) => n + tokens(m.text), 0);
}

type CoachModule = Record<string, unknown>;
type ForHistory = (history: MessageRecord[], options: { retriever: KnowledgeRetriever }) => Promise<ModelRequest>;

/**
 * Uses the coach's own export for "the request for this history" when it exists, and otherwise
 * drives the coach mode turn by turn as the chat service would.
 */
export async function measurePromptGrowth(): Promise<PromptSizes[]> {
  const coach = (await import('../src/features/coach/coach-mode.js')) as CoachModule;
  const retriever = await KnowledgeRetriever.fromDocuments(loadKnowledgeDocuments());
  const results: PromptSizes[] = [];
  if (typeof coach.coachRequestForHistory === 'function') {
    const build = coach.coachRequestForHistory as ForHistory;
    const early = historyAtTurn(EARLY_TURN);
    const late = historyAtTurn(LATE_TURN);
    results.push(sizes('coachRequestForHistory(history) from src/chat/modes/coach.ts',
      await build(early, { retriever }), early, await build(late, { retriever }), late));
  }
  results.push(await liveTurns(coach, retriever));
  return results;
}

function sizes(method: string, early: ModelRequest, earlyHistory: MessageRecord[], late: ModelRequest, lateHistory: MessageRecord[]): PromptSizes {
  const e = requestTokens(early);
  const l = requestTokens(late);
  const ne = naiveTokens(early, earlyHistory);
  const nl = naiveTokens(late, lateHistory);
  return { method, early: e, late: l, ratio: round(l / e), naiveEarly: ne, naiveLate: nl, naiveRatio: round(nl / ne) };
}

/** A model that records what it is asked and answers like the bench stub (used for summary folds too). */
function recordingModel(requests: ModelRequest[]): ChatModel {
  return {
    info: { provider: 'guided', model: 'bench-recorder' },
    async *stream(request) {
      requests.push(request);
      yield 'That sounds really hard. What happened just before it started?';
    },
  };
}

/** Every turn through `createCoachMode(retriever).plan(ctx)` with state kept between turns, as in a live chat. */
async function liveTurns(coach: CoachModule, retriever: KnowledgeRetriever): Promise<PromptSizes> {
  const createCoachMode = coach.createCoachMode as (r: KnowledgeRetriever) => { plan: (ctx: TurnContext) => Promise<Array<{ request?: ModelRequest }>> };
  const mode = createCoachMode(retriever);
  const state: ModeState = memoryState();
  const asked: ModelRequest[] = [];
  const model = recordingModel(asked);
  const byTurn = new Map<number, { request: ModelRequest; history: MessageRecord[] }>();
  for (let turn = 1; turn <= LATE_TURN; turn++) {
    const history = historyAtTurn(turn);
    const ctx: TurnContext = {
      conversation: { id: 'bench', title: 'bench', mode: 'coach', safetyLevel: 'calm', banner: false, private: false, createdAt: 0, updatedAt: 0 }, ownerId: 'bench',
      history, userText: herMessage(turn), verdict: { level: 'calm', atRisk: [], reasons: [], resources: [] },
      region: 'US', options: undefined, state, model, signal: new AbortController().signal,
    };
    const [plan] = await mode.plan(ctx);
    if (plan?.request && (turn === EARLY_TURN || turn === LATE_TURN)) byTurn.set(turn, { request: plan.request, history });
  }
  const early = byTurn.get(EARLY_TURN)!;
  const late = byTurn.get(LATE_TURN)!;
  return sizes('createCoachMode(retriever).plan(ctx), turn by turn with state kept', early.request, early.history, late.request, late.history);
}
