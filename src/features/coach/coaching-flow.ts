import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { KNOWLEDGE_DIR, KnowledgeFormatError, type KnowledgeDocument } from '../../knowledge/knowledge-base.js';
import { FACT_KEYS } from '../memory/facts.js';
import { STEP_IDS } from './coach-knowledge.js';
import type { CoachStage } from './coach-questions.js';
import { SIGNAL_NAMES, type Signals } from './coach-signals.js';
import { INTENTS } from './understanding/training-lines.js';

/**
 * knowledge/coaching/flow.json: how the guided coach moves through a conversation (what each
 * stage offers, which steps and skill pages fit what she wants and what her words show), as
 * data a counsellor can change. Every name in it is checked at start-up.
 */
const Weights = z.record(z.string(), z.number().min(-5).max(5));
const About = z.string().optional();
const Offer = z.enum(['script', 'practice', 'script-new-step', 'alternate']);
export type Offer = z.infer<typeof Offer>;

const Stage = z.object({ about: About, offer: Offer }).strict();
const Influence = z.object({ about: About, steps: Weights.default({}), pages: Weights.default({}), offer: Offer.optional() }).strict();

const FlowFile = z.object({
  description: z.string(),
  storyWeight: z.object({ about: About, value: z.number().min(0).max(1) }).strict(),
  stages: z.object({
    about: About,
    gather: Stage.extend({ untilTurn: z.number().int().min(0).max(20), needs: z.array(z.array(z.string()).min(1)) }).strict(),
    open: Stage, plan: Stage, 'follow-up': Stage, urgent: Stage, deepen: Stage,
  }).strict(),
  intents: z.record(z.string(), z.union([z.string(), Influence])),
  signals: z.record(z.string(), z.union([z.string(), Influence])),
  reportBack: z.object({ about: About, wentWell: Weights, wentBadly: Weights }).strict(),
  variety: z.object({ about: About, earlier: z.number(), last: z.number(), whenAsked: z.number().min(0).max(1) }).strict(),
  seekHelpLeadsOnlyWith: z.object({ about: About, signals: z.array(z.string()), intents: z.array(z.string()) }).strict(),
}).strict();

export type Influence = z.infer<typeof Influence>;

/** The flow as the planner reads it: the `about` notes dropped, names checked. */
export interface CoachingFlow {
  storyWeight: number;
  gather: { untilTurn: number; needs: string[][] };
  offers: Record<Exclude<CoachStage, 'welcome'>, Offer>;
  intents: ReadonlyMap<string, Influence>;
  signals: ReadonlyMap<keyof Signals, Influence>;
  reportBack: { wentWell: Record<string, number>; wentBadly: Record<string, number> };
  variety: { earlier: number; last: number; whenAsked: number };
  seekHelpLeadsOnlyWith: { signals: ReadonlyArray<keyof Signals>; intents: readonly string[] };
}

export const FLOW_PATH = join(KNOWLEDGE_DIR, 'coaching', 'flow.json');

/** Reads and checks the flow file; any unknown step, page, signal, intent or fact stops start-up, naming the file and the place. */
export function loadCoachingFlow(documents: readonly KnowledgeDocument[], path = FLOW_PATH): CoachingFlow {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new KnowledgeFormatError(`${path}: ${(error as Error).message}`);
  }
  const parsed = FlowFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new KnowledgeFormatError(`${path}: ${issue.path.join('.') || 'file'}: ${issue.message}`);
  }
  const file = parsed.data;
  const check = (where: string, known: readonly string[], name: string, what: string) => {
    if (!known.includes(name)) throw new KnowledgeFormatError(`${path}: ${where}: "${name}" is not ${what}`);
  };
  const influences = (section: 'intents' | 'signals', names: readonly string[]) => {
    const map = new Map<string, Influence>();
    for (const [name, value] of Object.entries(file[section])) {
      if (name === 'about' && typeof value === 'string') continue;
      check(`${section}.${name}`, names, name, `a known ${section === 'intents' ? 'intent' : 'signal'}`);
      if (typeof value === 'string') throw new KnowledgeFormatError(`${path}: ${section}.${name}: expected an object`);
      for (const step of Object.keys(value.steps)) check(`${section}.${name}.steps`, STEP_IDS, step, 'one of the seven steps');
      for (const page of Object.keys(value.pages)) check(`${section}.${name}.pages`, documents.map((d) => d.id), page, 'a page in knowledge/');
      map.set(name, value);
    }
    return map;
  };
  for (const group of file.stages.gather.needs) for (const fact of group) check('stages.gather.needs', FACT_KEYS, fact, 'a fact Mend keeps');
  for (const [where, weights] of [['reportBack.wentWell', file.reportBack.wentWell], ['reportBack.wentBadly', file.reportBack.wentBadly]] as const) {
    for (const step of Object.keys(weights)) check(where, STEP_IDS, step, 'one of the seven steps');
  }
  for (const s of file.seekHelpLeadsOnlyWith.signals) check('seekHelpLeadsOnlyWith.signals', SIGNAL_NAMES, s, 'a known signal');
  for (const i of file.seekHelpLeadsOnlyWith.intents) check('seekHelpLeadsOnlyWith.intents', INTENTS, i, 'a known intent');
  const { stages } = file;
  return {
    storyWeight: file.storyWeight.value,
    gather: { untilTurn: stages.gather.untilTurn, needs: stages.gather.needs },
    offers: { gather: stages.gather.offer, open: stages.open.offer, plan: stages.plan.offer, 'follow-up': stages['follow-up'].offer, urgent: stages.urgent.offer, deepen: stages.deepen.offer },
    intents: influences('intents', INTENTS),
    signals: influences('signals', SIGNAL_NAMES) as ReadonlyMap<keyof Signals, Influence>,
    reportBack: { wentWell: file.reportBack.wentWell, wentBadly: file.reportBack.wentBadly },
    variety: file.variety,
    seekHelpLeadsOnlyWith: { signals: file.seekHelpLeadsOnlyWith.signals as Array<keyof Signals>, intents: file.seekHelpLeadsOnlyWith.intents },
  };
}
