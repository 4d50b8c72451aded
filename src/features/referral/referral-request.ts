import { defineTask } from '../../llm/guided-task.js';
import type { ModelRequest, PromptMessage } from '../../llm/chat-model.js';
import type { MessageRecord } from '../../protocol/records.js';
import type { Citation } from '../../protocol/frames.js';
import { clipForPrompt, renderPrompt } from '../../llm/prompt-library.js';
import type { TopicId } from './asks.js';
import type { ReferralTurn } from './flow.js';
import { REFERRAL_DOCS, ReferralKnowledge, firstSentences, type KnowledgeSection } from './referral-knowledge.js';
import { BRIEF_OFFER } from './referral-writer.js';
import { describeLine } from '../../safety/index.js';

const RECENT_MESSAGES = 8;

/** The knowledge sections behind each topic: what the model reads and what the reply cites. */
const TOPIC_SECTIONS: Record<Exclude<TopicId, 'kinds'>, Array<[string, string]>> = {
  finding: [[REFERRAL_DOCS.finding, 'Places to start']],
  'first-call': [[REFERRAL_DOCS.firstCall, 'What to say first'], [REFERRAL_DOCS.firstCall, 'Questions worth asking']],
  inviting: [[REFERRAL_DOCS.inviting, 'How to ask'], [REFERRAL_DOCS.inviting, 'Phrases you can use'], [REFERRAL_DOCS.inviting, 'What to avoid']],
  refuses: [[REFERRAL_DOCS.refuses, 'Go on your own first'], [REFERRAL_DOCS.refuses, 'Don'], [REFERRAL_DOCS.refuses, 'Phrases you can use']],
  bring: [[REFERRAL_DOCS.bring, 'A short timeline'], [REFERRAL_DOCS.bring, 'What you'], [REFERRAL_DOCS.bring, 'Your worries'], [REFERRAL_DOCS.bring, 'Your hopes']],
  cost: [[REFERRAL_DOCS.finding, 'Keeping the cost down']],
  urgent: [[REFERRAL_DOCS.urgent, 'Call emergency services now'], [REFERRAL_DOCS.urgent, 'Get help today']],
};

const TOPIC_TITLES: Record<TopicId, string> = {
  kinds: 'Kinds of help', finding: 'Where to start', 'first-call': 'The first call', inviting: 'Inviting him',
  refuses: 'If he says no', bring: 'What to bring to the first appointment', cost: 'Keeping the cost down', urgent: 'When it can’t wait',
};

export const REFERRAL_TASK = defineTask<ReferralTurn>('referral');

/**
 * The referral request: one system message (instructions, then what to cover, from the
 * same planned turn the guided writer uses), then the last few messages, hers last.
 */
export async function buildReferralRequest(
  turn: ReferralTurn, history: MessageRecord[], userText: string, knowledge: ReferralKnowledge,
): Promise<ModelRequest> {
  const system = await renderPrompt('referral', promptVariables(turn, knowledge));
  return REFERRAL_TASK.request(turn, [{ role: 'system', content: system }, ...recentMessages(history, userText)], { maxTokens: 650 });
}

function promptVariables(turn: ReferralTurn, knowledge: ReferralKnowledge): Record<string, unknown> {
  const shown = new Set(turn.kinds.map((k) => k.id));
  const topics = turn.topics.filter((t) => t !== 'finding' && t !== 'kinds').map((t) => ({
    title: TOPIC_TITLES[t], text: sectionsFor(t, knowledge).map((s) => s.text).join('\n\n'),
  }));
  return {
    calm: turn.level === 'calm', strained: turn.level === 'strained', high: turn.level === 'high', crisis: turn.level === 'crisis',
    turn: turn.turn, where: turn.guide.where, doctor: turn.guide.doctor, healthRoute: turn.guide.healthRoute,
    hasKinds: turn.kinds.length > 0,
    kinds: turn.kinds.map((k) => ({ ...k, quote: k.quote ?? false, about: firstSentences(knowledge.kind(k.id)?.text ?? '', 3) })),
    others: turn.allKinds.filter((k) => !shown.has(k.id)).map((k) => k.name).join(', '),
    finding: turn.topics.includes('finding'),
    finders: turn.finders.map((r) => ({ line: describeLine(r) })),
    line: turn.line ? describeLine(turn.line) : '',
    emergency: turn.emergency?.phone ? `${turn.emergency.phone} (${turn.emergency.name})` : 'the local emergency number',
    hasTopics: topics.length > 0, topics,
    briefOffer: turn.brief === 'offer', briefDrafted: turn.brief === 'drafted', briefReady: turn.brief === 'ready',
    briefDeclined: turn.brief === 'declined', wrapUp: !turn.kinds.length && !turn.topics.length,
    offerQuestion: BRIEF_OFFER,
  };
}

function sectionsFor(topic: TopicId, knowledge: ReferralKnowledge): KnowledgeSection[] {
  if (topic === 'kinds') return [];
  return TOPIC_SECTIONS[topic].map(([doc, heading]) => knowledge.section(doc, heading)).filter((s): s is KnowledgeSection => Boolean(s));
}

/** What the reply cites: the kinds it presents and the sections behind its topics. */
export function referralCitations(turn: ReferralTurn, knowledge: ReferralKnowledge): Citation[] {
  const sections = [
    ...turn.kinds.map((k) => knowledge.kind(k.id)),
    ...turn.topics.flatMap((t) => sectionsFor(t, knowledge)),
  ].filter((s): s is KnowledgeSection => Boolean(s));
  return [...new Map(sections.map((s) => [s.citation.id, s.citation])).values()];
}

function recentMessages(history: MessageRecord[], userText: string): PromptMessage[] {
  const recent = history.filter((m) => m.role !== 'safety').slice(-RECENT_MESSAGES).map((m) => {
    const role = m.role as 'user' | 'assistant';
    return { role, content: clipForPrompt(m.text, role) };
  });
  const last = recent.at(-1);
  const hers = clipForPrompt(userText, 'user');
  if (userText && !(last?.role === 'user' && last.content === hers)) recent.push({ role: 'user', content: hers });
  return recent;
}
