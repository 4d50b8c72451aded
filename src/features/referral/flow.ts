import type { HelpResource, Region, RiskSubject, SafetyLevel } from '../../protocol/safety.js';
import { z } from 'zod';
import { answerToBriefOffer, topicsAskedFor, TOPIC_IDS, type TopicId } from './asks.js';
import { finderPurpose, kindName, kindWhy } from './kind-guide.js';
import { fittingKinds, KIND_IDS, type KindId } from './kinds.js';
import { regionGuide, type RegionGuide } from './regions.js';
import { withPurpose } from './resources.js';

/** Where the referral conversation has got to, kept in conversation state so it moves on. */
export const ReferralProgress = z.object({
  turns: z.number().int().nonnegative(),
  kinds: z.array(z.enum(KIND_IDS)),
  covered: z.array(z.enum(TOPIC_IDS)),
  brief: z.enum(['not-offered', 'offered', 'declined', 'drafted']),
});
export type ReferralProgress = z.infer<typeof ReferralProgress>;
export const NEW_PROGRESS: ReferralProgress = { turns: 0, kinds: [], covered: [], brief: 'not-offered' };

/**
 * What the reply does about the brief: offer it, say it has just been drafted, point to the
 * one already drafted, accept her "not now", or nothing.
 */
export type BriefStatus = 'offer' | 'drafted' | 'ready' | 'declined' | 'none';

export interface ReferralKind {
  id: KindId;
  name: string;
  why: string;
  quote?: string;
}

/** One referral reply, planned: the context both the guided writer and the LLM prompt work from. */
export interface ReferralTurn {
  turn: number;
  level: SafetyLevel;
  region: Region;
  guide: RegionGuide;
  /** Kinds to present in this reply (all on the first turn; later, only ones her new words add). */
  kinds: ReferralKind[];
  /** Every kind that fits the conversation, for the model's background and the wrap-up. */
  allKinds: ReferralKind[];
  /** Sections to cover, in order; empty with no kinds means the flow is done and the reply wraps up. */
  topics: TopicId[];
  /** Directories and services from the region's resources that help find the kinds above. */
  finders: HelpResource[];
  /** High and crisis: the specialised line that fits what she described. */
  line?: HelpResource;
  emergency?: HelpResource;
  brief: BriefStatus;
  /** A brief exists in this conversation (drafted now or earlier). */
  hasBrief: boolean;
  /** A safety concern about him or her: don't wait for him to agree to go. */
  safetyConcern: boolean;
}

const CORE_TOPICS: TopicId[] = ['first-call', 'inviting', 'refuses'];
const LATER_TOPICS: TopicId[] = ['bring', 'cost'];
const MAX_FINDERS = 3;

export interface ReferralInput {
  /** Her messages in the conversation, oldest first, the new one last. */
  herMessages: string[];
  userText: string;
  level: SafetyLevel;
  atRisk: RiskSubject[];
  region: Region;
  resources: HelpResource[];
  progress: ReferralProgress;
}

/**
 * Plans the next referral reply. The first turn names the kinds of help that fit, where to
 * find them and offers the brief; the second covers the first call, inviting him and what
 * if he refuses; after that, what she asks for, then what is left, then a short wrap-up.
 */
export function planReferralTurn(input: ReferralInput): { turn: ReferralTurn; progress: ReferralProgress; draftBrief: boolean } {
  const { progress } = input;
  const guide = regionGuide(input.region);
  const allKinds = fittingKinds(input.herMessages, input.atRisk).map((k) => describeKind(k.id, k.quote, guide));
  const asked = topicsAskedFor(input.userText);
  const first = progress.turns === 0;
  const added = allKinds.filter((k) => !progress.kinds.includes(k.id));
  const kinds = first || asked.includes('kinds') ? allKinds : added;
  const answer = answerToBriefOffer(input.userText, progress.brief === 'offered');
  const draftBrief = answer === 'yes' && progress.brief !== 'drafted';
  const brief = briefStatus(progress, answer, draftBrief, input.level);
  const topics = topicsFor(progress, asked, first, kinds.length > 0);
  const turn: ReferralTurn = {
    turn: progress.turns + 1, level: input.level, region: input.region, guide, kinds, allKinds, topics,
    finders: findersFor(allKinds, input.resources), ...linesFor(input, allKinds), brief,
    hasBrief: draftBrief || progress.brief === 'drafted',
    safetyConcern: allKinds.some((k) => k.id === 'domestic-violence' || k.id === 'substance-use') || input.atRisk.some((r) => r !== 'relationship'),
  };
  const next: ReferralProgress = {
    turns: progress.turns + 1,
    kinds: [...new Set([...progress.kinds, ...kinds.map((k) => k.id)])],
    covered: [...new Set([...progress.covered, ...topics])],
    brief: draftBrief ? 'drafted' : answer === 'no' ? 'declined' : brief === 'offer' ? 'offered' : progress.brief,
  };
  return { turn, progress: next, draftBrief };
}

function describeKind(id: KindId, quote: string | undefined, guide: RegionGuide): ReferralKind {
  return { id, name: kindName(id, guide), why: kindWhy(id), ...(quote ? { quote } : {}) };
}

function topicsFor(progress: ReferralProgress, asked: TopicId[], first: boolean, newKinds: boolean): TopicId[] {
  const explicit = asked.filter((t) => t !== 'kinds');
  if (first) return ['finding', ...explicit.filter((t) => t !== 'finding')];
  if (explicit.length) return explicit;
  if (newKinds) return ['finding'];
  const core = CORE_TOPICS.filter((t) => !progress.covered.includes(t));
  if (core.length) return core;
  const later = LATER_TOPICS.find((t) => !progress.covered.includes(t));
  return later ? [later] : [];
}

/** The offer is made on the first turn and once more on the second; never during a crisis. */
function briefStatus(progress: ReferralProgress, answer: 'yes' | 'no' | 'none', draft: boolean, level: SafetyLevel): BriefStatus {
  if (draft) return 'drafted';
  if (answer === 'yes') return 'ready';
  if (answer === 'no') return 'declined';
  if (level === 'crisis') return 'none';
  if (progress.brief === 'not-offered') return 'offer';
  return progress.brief === 'offered' && progress.turns === 1 ? 'offer' : 'none';
}

/** Safety services' lines first, whatever order the kinds are presented in. */
function findersFor(kinds: ReferralKind[], resources: HelpResource[]): HelpResource[] {
  const byUrgency = KIND_IDS.filter((id) => kinds.some((k) => k.id === id));
  const purposes = [...new Set(byUrgency.map(finderPurpose).filter((p): p is string => Boolean(p)))];
  const found = purposes.flatMap((p) => withPurpose(resources, p));
  return [...new Map(found.map((r) => [r.id, r])).values()].slice(0, MAX_FINDERS);
}

/** The specialised line for what she described, most serious concern first. */
function linesFor(input: ReferralInput, kinds: ReferralKind[]): Pick<ReferralTurn, 'line' | 'emergency'> {
  const emergency = withPurpose(input.resources, 'emergency')[0];
  if (input.level !== 'high' && input.level !== 'crisis') return emergency ? { emergency } : {};
  const has = (subject: RiskSubject) => input.atRisk.includes(subject);
  const purpose = kinds.some((k) => k.id === 'domestic-violence') || has('mother-safety') ? 'dv'
    : has('son-self-harm') || has('mother-distress') ? 'suicide'
      : has('son-abused') ? 'child-abuse'
        : kinds.some((k) => k.id === 'substance-use') || has('substance') ? 'substance'
          : 'parenting';
  const line = withPurpose(input.resources, purpose)[0];
  return { ...(line ? { line } : {}), ...(emergency ? { emergency } : {}) };
}
