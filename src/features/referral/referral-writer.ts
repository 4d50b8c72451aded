import type { KnowledgeDocument } from '../../knowledge/knowledge-base.js';
import type { GuidedWriter } from '../../llm/guided-model.js';
import type { HelpResource } from '../../protocol/safety.js';
import type { TopicId } from './asks.js';
import type { ReferralKind, ReferralTurn } from './flow.js';
import { firstSentences, REFERRAL_DOCS, ReferralKnowledge } from './referral-knowledge.js';
import { describeLine } from '../../safety/index.js';

export const BRIEF_OFFER = 'Would you like me to draft a one-page summary you can bring?';
const STEP = '**Step 4 · Seek help**';

/**
 * Guided (no-model) referral reply, written from the planned turn: the level's lead (the
 * emergency line first in a crisis, "call this week" when high, a warm word otherwise), the
 * kinds of help with why, the topics for this turn from knowledge/referral, and the brief.
 */
export function createGuidedReferralWriter(documents: KnowledgeDocument[]): (turn: ReferralTurn) => string {
  const knowledge = new ReferralKnowledge(documents);
  return (turn) => {
    const parts = [
      lead(turn),
      turn.brief === 'drafted' ? BRIEF_DRAFTED : '',
      turn.brief === 'ready' ? BRIEF_READY : '',
      kindsPart(turn, knowledge),
      ...turn.topics.map((t) => topicPart(t, turn, knowledge)),
      !turn.kinds.length && !turn.topics.length ? wrapUp(turn) : '',
      briefClose(turn),
    ];
    return parts.filter((p) => p.trim()).join('\n\n');
  };
}

const BRIEF_DRAFTED = 'I’ve drafted your counsellor brief from your own words. Open it to read it through and change anything, then download or print it. Where we haven’t talked about something yet, I’ve left a gap for you to fill in rather than guess.';
const BRIEF_READY = 'Your counsellor brief is already drafted: open it to read, change, download or print it.';

function wrapUp(turn: ReferralTurn): string {
  const brief = turn.hasBrief && turn.brief === 'none' ? ' Your counsellor brief is there whenever you want to change, download or print it.' : '';
  return `You have what you need for the next step. When you’ve made the call, or if he says no, come back and tell me how it went, and we’ll work out what comes next together.${brief}`;
}

function lead(turn: ReferralTurn): string {
  if (turn.level === 'crisis') return crisisLead(turn);
  if (turn.level === 'high') return highLead(turn);
  if (turn.turn > 1) return turn.topics.includes('first-call') && turn.brief !== 'drafted' ? 'Here’s how to take the next step.' : '';
  if (turn.level === 'strained') {
    return `That sounds really hard, and asking is a strong step, not a sign you’ve failed. This is ${STEP}: some things are more than two people can untangle on their own, however much love there is, and a calm outsider can help you both.`;
  }
  return `That’s a good question, and asking early is a strength. This is ${STEP}: someone neither of you has to win against can make talking easier.`;
}

/** Emergency services before anything else, then the line that fits, every turn. */
function crisisLead(turn: ReferralTurn): string {
  const call = turn.emergency?.phone ?? 'your local emergency number';
  const line = turn.line ? ` ${describeLine(turn.line)}.` : '';
  return `**If you or anyone else is in danger right now, call ${call}.**${line} Please don’t wait for an appointment for this. The rest can follow once everyone is safe.`;
}

/** A clear recommendation with the specialised line; without one, her doctor this week. */
function highLead(turn: ReferralTurn): string {
  const opening = turn.turn === 1 ? '**I’d recommend calling someone this week**, rather than waiting to see whether it settles.' : '**Please do make that call this week.**';
  const line = turn.line ? `The line that fits what you’ve described: ${describeLine(turn.line)}.` : `Start with ${turn.guide.doctor}: ask for an appointment this week.`;
  return `${opening} ${line} If anyone is in danger right now, call ${emergencyCall(turn.emergency)}.`;
}

function emergencyCall(emergency: HelpResource | undefined): string {
  return emergency?.phone ? `**${emergency.phone}**` : 'your local emergency number';
}

function kindsPart(turn: ReferralTurn, knowledge: ReferralKnowledge): string {
  if (!turn.kinds.length) return '';
  const title = turn.turn === 1 || turn.kinds.length === turn.allKinds.length ? '**Who could help**' : '**Someone else who could help**';
  const quoted = new Set<string>();
  return [title, ...turn.kinds.map((k) => kindParagraph(k, knowledge, quoted))].join('\n\n');
}

/** Her words are quoted once, under the first kind they point to. */
function kindParagraph(kind: ReferralKind, knowledge: ReferralKnowledge, quoted: Set<string>): string {
  const said = kind.quote && !quoted.has(kind.quote) ? `You said “${kind.quote}”. ` : '';
  if (kind.quote) quoted.add(kind.quote);
  const section = knowledge.kind(kind.id);
  const about = section ? `${firstSentences(section.text, 1)} ` : '';
  return `**${kind.name}.** ${said}${about}${kind.why}`;
}

function topicPart(topic: TopicId, turn: ReferralTurn, knowledge: ReferralKnowledge): string {
  switch (topic) {
    case 'finding': return findingPart(turn, knowledge);
    case 'first-call': return firstCallPart(knowledge);
    case 'inviting': return invitingPart(knowledge);
    case 'refuses': return refusesPart(turn, knowledge);
    case 'bring': return bringPart(turn, knowledge);
    case 'cost': return costPart(knowledge);
    case 'urgent': return urgentPart(turn, knowledge);
    default: return '';
  }
}

function findingPart(turn: ReferralTurn, knowledge: ReferralKnowledge): string {
  const places = knowledge.bullets(REFERRAL_DOCS.finding, 'Places to start');
  const school = afterLabel(places.find((b) => /school/i.test(b.slice(0, 30))));
  const doctor = afterLabel(places.find((b) => /doctor/i.test(b.slice(0, 30))));
  const items = [
    ...turn.finders.map(describeLine),
    turn.guide.healthRoute,
    school && `**His school:** ${school}`,
    doctor && `**${capitalise(turn.guide.doctor)}:** ${doctor}`,
  ].filter(Boolean);
  return [`**Where to start ${turn.guide.where}**`, items.map((i) => `- ${i}`).join('\n')].join('\n\n');
}

function firstCallPart(knowledge: ReferralKnowledge): string {
  const questions = pick(knowledge.bullets(REFERRAL_DOCS.firstCall, 'Questions worth asking'), [/experience/i, /who comes/i, /practical/i], 3);
  const lines = [
    '**The first call**',
    'You’re finding out whether they suit you both as much as they’re assessing you. You don’t need the whole story: his age, what’s been happening, how long, and what you hope for is plenty.',
  ];
  if (questions.length) lines.push(`Questions worth asking:\n${questions.map((q) => `- ${q}`).join('\n')}`);
  return lines.join('\n\n');
}

function invitingPart(knowledge: ReferralKnowledge): string {
  const phrases = knowledge.phrases(REFERRAL_DOCS.inviting, [/not because you['’]re in trouble|for both of us/i, /two sessions|give it/i]);
  return [
    '**Inviting him**',
    'Pick a calm moment, not straight after a row, and make it about the two of you rather than about fixing him. Give him a say where you can (who, when, online or in person), and ask him to try it once or twice rather than sign up forever.',
    ...quoted(phrases),
  ].join('\n\n');
}

function refusesPart(turn: ReferralTurn, knowledge: ReferralKnowledge): string {
  const phrases = knowledge.phrases(REFERRAL_DOCS.refuses, [/on my own/i, /offer['’]s always open|don['’]t have to decide/i]);
  const safety = turn.safetyConcern ? ` One exception: if you’re worried about anyone’s safety, don’t wait for him to agree. Talk to ${turn.guide.doctor}, or call one of the lines above, now.` : '';
  return [
    '**If he says no**',
    `That’s common at first, and it doesn’t close the door. You can start on your own: many family therapists will see a parent alone, and when one person changes how they respond, things at home often shift. Don’t force it; leave the offer open.${safety}`,
    ...quoted(phrases),
  ].join('\n\n');
}

function bringPart(turn: ReferralTurn, knowledge: ReferralKnowledge): string {
  const headings = knowledge.headings(REFERRAL_DOCS.bring).filter((h) => !/phrases|practical|if your son/i.test(h)).map((h) => h.toLowerCase());
  const think = headings.length ? ` It helps to jot down ${joinList(headings)}.` : '';
  const brief = turn.hasBrief ? ' Your counsellor brief already covers most of this.' : '';
  return `**What to bring to the first appointment**\n\nFirst sessions go by fast, and a page of notes keeps you from forgetting the thing that matters most.${think}${brief}`;
}

function costPart(knowledge: ReferralKnowledge): string {
  const ways = knowledge.bullets(REFERRAL_DOCS.finding, 'Keeping the cost down').slice(0, 3);
  return ['**Keeping the cost down**', ways.map((w) => `- ${w}`).join('\n')].filter(Boolean).join('\n\n');
}

function urgentPart(turn: ReferralTurn, knowledge: ReferralKnowledge): string {
  const signs = knowledge.bullets(REFERRAL_DOCS.urgent, 'Call emergency services now').slice(0, 4);
  const list = signs.length ? `\n\n${signs.map((s) => `- ${s}`).join('\n')}` : '';
  return `**When it can’t wait**\n\nCall ${emergencyCall(turn.emergency)} straight away if:${list}`;
}

function briefClose(turn: ReferralTurn): string {
  if (turn.brief === 'declined') return 'That’s fine. If you’d like the summary later, just ask.';
  if (turn.brief !== 'offer') return '';
  return `${BRIEF_OFFER} I’d build it only from your own words (what has been happening, how long, what you’ve tried, what worries you most and what you hope for), and you can change anything before you download or print it. It stays here unless you save it.`;
}

/** "**His school.** The school counsellor…" → "The school counsellor…" */
function afterLabel(bullet: string | undefined): string {
  return bullet ? bullet.replace(/^\*\*[^*]+\*\*[.:]?\s*/, '') : '';
}

function pick(items: string[], prefer: RegExp[], count: number): string[] {
  const preferred = prefer.flatMap((p) => items.filter((i) => p.test(i)).slice(0, 1));
  return [...new Set([...preferred, ...items])].slice(0, count);
}

function quoted(phrases: string[]): string[] {
  return phrases.length ? ['You could say:', ...phrases.map((p) => `> “${p}”`)] : [];
}

function joinList(items: string[]): string {
  return items.length > 1 ? `${items.slice(0, -1).join(', ')} and ${items.at(-1)}` : items[0] ?? '';
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
