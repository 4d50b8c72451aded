/**
 * Loads and validates the reviewable safety data in knowledge/safety at module load:
 * the shared lexicon, the modifier cue lists, the rule families (rules/*.json) and the
 * output-rail rules. Anything malformed throws here, at start, with the file named.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { RiskSubject, SafetyLevel } from '../protocol/safety.js';
import { compileAll, compileRule, type Lexicon } from './patterns.js';

export const SAFETY_DATA_DIR = fileURLToPath(new URL('../../knowledge/safety/', import.meta.url));

export class SafetyDataError extends Error {
  override name = 'SafetyDataError';
}

const Id = z.string().regex(/^[a-z0-9]+(?:[.-][a-z0-9]+)*$/, 'ids are lowercase words joined by "." or "-"');
const Patterns = z.array(z.string().min(1)).min(1);

export const RuleFlag = z.enum(['method', 'aggression', 'ideation', 'attempt', 'means', 'weapon']);
export type RuleFlag = z.infer<typeof RuleFlag>;

export const RuleSpec = z.object({
  id: Id,
  level: SafetyLevel,
  subject: RiskSubject,
  description: z.string().min(1),
  example: z.string().min(1),
  patterns: Patterns,
  /** Subject to use instead when the sentence is about her son (he, him, my son...). */
  sonSubject: RiskSubject.optional(),
  /** When the match sits inside his reported words ("he said 'I want to die'"). */
  sonSpeech: z.object({ subject: RiskSubject, level: SafetyLevel.optional() }).strict().optional(),
  /** Only counts inside his reported words (second-person threats and insults). */
  onlyInSonSpeech: z.boolean().optional(),
  /** A negation cue before the match cancels it (default true). */
  negatable: z.boolean().optional(),
  /** A negated match followed by "but" or a condition stays serious (suicide and self-harm). */
  contingent: z.boolean().optional(),
  /** Fiction and game framing in the same clause lowers it to calm (default true). */
  fiction: z.boolean().optional(),
  /** Idiom and hyperbole spans lower it (default true). */
  idiom: z.boolean().optional(),
  /** A distant, past event lowers the level by one (default true), never below this floor. */
  past: z.boolean().optional(),
  pastFloor: SafetyLevel.optional(),
  flags: z.array(RuleFlag).optional(),
}).strict();
export type RuleSpec = z.infer<typeof RuleSpec>;

export const RuleFile = z.object({
  family: Id,
  description: z.string().min(1),
  rules: z.array(RuleSpec).min(1),
}).strict();
export type RuleFile = z.infer<typeof RuleFile>;

export const LexiconFile = z.object({
  description: z.string().min(1),
  entries: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), z.array(z.string().min(1)).min(1)),
}).strict();

/** The modifier cue lists the matcher needs; every one must be present. */
export const MODIFIER_NAMES = [
  'negation', 'pseudoNegation', 'terminator', 'contingency', 'butClause', 'postNegation', 'intentDenial',
  'pastDistant', 'recurrence', 'idiom', 'idiomLift', 'intensifier', 'fiction', 'sonSpeech',
  'motherSpeech', 'sonMention', 'injection', 'denial',
] as const;
export type ModifierName = (typeof MODIFIER_NAMES)[number];

const Cue = z.object({ description: z.string().min(1), patterns: Patterns }).strict();
export const ModifierFile = z.object({
  description: z.string().min(1),
  cues: z.object(Object.fromEntries(MODIFIER_NAMES.map((n) => [n, Cue])) as Record<ModifierName, typeof Cue>).strict(),
}).strict();

export const OutputRule = z.object({
  id: Id,
  kind: z.enum(['method', 'encouragement', 'language', 'violence', 'self-harm-voice']),
  description: z.string().min(1),
  example: z.string().min(1),
  /** Model tasks the rule applies to (e.g. only the son's voice); every task when absent. */
  tasks: z.array(z.string().min(1)).min(1).optional(),
  patterns: Patterns,
}).strict();
/** Limits on how a reply looks, checked over the whole reply as it streams (src/chat/reply-shape.ts). */
export const OutputShape = z.object({
  description: z.string().min(1),
  /** This many words in a row copied from the request's system prompt is an echo of its instructions. */
  echoWords: z.number().int().min(8).max(200),
  /** Tasks whose replies have the coaching format (one step, one script, one question). */
  formatTasks: z.array(z.string().min(1)),
  maxListItems: z.number().int().min(1),
  maxQuestions: z.number().int().min(1),
}).strict();
export type OutputShape = z.infer<typeof OutputShape>;
export const OutputRailFile = z.object({ description: z.string().min(1), rules: z.array(OutputRule).min(1), shape: OutputShape }).strict();

export interface CompiledRule extends RuleSpec {
  family: string;
  re: RegExp;
  /** Prefilter: one of these words (trailing * = prefix) must be in the message; null = always run. */
  anchors: string[] | null;
  flagSet: ReadonlySet<RuleFlag>;
}

export interface CompiledOutputRule extends z.infer<typeof OutputRule> {
  re: RegExp;
}

export interface SafetyData {
  lexicon: Lexicon;
  rules: readonly CompiledRule[];
  cues: Readonly<Record<ModifierName, RegExp>>;
  output: readonly CompiledOutputRule[];
  outputShape: OutputShape;
}

function readJson(path: string, label: string): unknown {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (err) {
    throw new SafetyDataError(`Safety data file ${label} could not be read: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(raw);
  } catch (err) {
    throw new SafetyDataError(`Safety data file ${label} is not valid JSON: ${(err as Error).message}`);
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown, label: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  throw new SafetyDataError(`Safety data file ${label} is invalid: ${issues}`);
}

function compile(patterns: readonly string[], lexicon: Lexicon, where: string): RegExp {
  try {
    return compileAll(patterns, lexicon, where);
  } catch (err) {
    throw new SafetyDataError(`Safety data: ${(err as Error).message}`);
  }
}

/** Reads every safety data file under `dir`; throws SafetyDataError naming the file on any problem. */
export function loadSafetyData(dir: string = SAFETY_DATA_DIR): SafetyData {
  const lexFile = parse(LexiconFile, readJson(`${dir}/lexicon.json`, 'lexicon.json'), 'lexicon.json');
  const lexicon: Lexicon = new Map(Object.entries(lexFile.entries));

  const modFile = parse(ModifierFile, readJson(`${dir}/modifiers.json`, 'modifiers.json'), 'modifiers.json');
  const cues = Object.fromEntries(MODIFIER_NAMES.map((name) => [
    name, compile(modFile.cues[name].patterns, lexicon, `modifiers.json cue "${name}"`),
  ])) as Record<ModifierName, RegExp>;

  let names: string[];
  try {
    names = readdirSync(`${dir}/rules`).filter((n) => n.endsWith('.json')).sort();
  } catch (err) {
    throw new SafetyDataError(`Safety rules folder could not be read: ${(err as Error).message}`);
  }
  if (names.length === 0) throw new SafetyDataError('Safety rules folder has no rule files');
  const rules: CompiledRule[] = [];
  const seen = new Set<string>();
  for (const name of names) {
    const label = `rules/${name}`;
    const file = parse(RuleFile, readJson(`${dir}/rules/${name}`, label), label);
    for (const rule of file.rules) {
      if (seen.has(rule.id)) throw new SafetyDataError(`Safety data file ${label}: duplicate rule id "${rule.id}"`);
      seen.add(rule.id);
      let compiled: { re: RegExp; anchors: string[] | null };
      try {
        compiled = compileRule(rule.patterns, lexicon, `${label} rule "${rule.id}"`);
      } catch (err) {
        throw new SafetyDataError(`Safety data: ${(err as Error).message}`);
      }
      rules.push({
        ...rule,
        family: file.family,
        re: compiled.re,
        anchors: compiled.anchors,
        flagSet: new Set(rule.flags ?? []),
      });
    }
  }

  const outFile = parse(OutputRailFile, readJson(`${dir}/output-rail.json`, 'output-rail.json'), 'output-rail.json');
  const output = outFile.rules.map((r) => ({ ...r, re: compile(r.patterns, lexicon, `output-rail.json rule "${r.id}"`) }));

  return { lexicon, rules, cues, output, outputShape: outFile.shape };
}
