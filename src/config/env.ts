import { z } from 'zod';
import { Region } from '../protocol/safety.js';

/** Empty strings count as unset, so `KEY=` in a .env file means "not configured". */
const optionalString = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());
const integer = (fallback: number, min: number, max: number) => {
  const error = `expected a whole number from ${min} to ${max}`;
  return z.preprocess(
    (v) => (v === '' || v === undefined ? fallback : v),
    z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error }),
  );
};
const decimal = (fallback: number, min: number, max: number) => {
  const error = `expected a number from ${min} to ${max}`;
  return z.preprocess(
    (v) => (v === '' || v === undefined ? fallback : v),
    z.coerce.number({ error }).min(min, { error }).max(max, { error }),
  );
};
const flag = (fallback: boolean) =>
  z.preprocess(
    (v) => (v === '' || v === undefined ? String(fallback) : v),
    z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1'),
  );

/**
 * Fastify's trustProxy: false (the default: her own machine, no proxy), true (trust every
 * proxy: only when nothing can reach Mend except through yours), a number of proxy hops, or
 * a comma-separated list of proxy addresses or CIDR ranges.
 */
const trustProxy = z.preprocess(
  (v) => (v === '' || v === undefined ? 'false' : v),
  z.string().regex(/^(true|false|\d{1,2}|[0-9A-Fa-f.:/]+(\s*,\s*[0-9A-Fa-f.:/]+)*)$/, {
    error: 'expected true, false, a number of proxy hops, or proxy addresses / CIDR ranges separated by commas',
  }).transform((v): boolean | number | string[] => {
    if (v === 'true' || v === 'false') return v === 'true';
    if (/^\d+$/.test(v)) return Number(v);
    return v.split(',').map((a) => a.trim());
  }),
);

export const ConfigSchema = z.object({
  HOST: z.preprocess((v) => v || '127.0.0.1', z.string()),
  PORT: integer(3000, 0, 65535),
  LOG_LEVEL: z.preprocess((v) => v || 'info', z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])),
  DATABASE_PATH: z.preprocess((v) => v || './data/mend.db', z.string()),
  MEND_PROVIDER: z.preprocess((v) => v || 'auto', z.enum(['auto', 'openai', 'guided'])),
  MEND_MODEL: z.preprocess((v) => v || 'gpt-4o-mini', z.string()),
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: z.preprocess((v) => (v === '' ? undefined : v), z.url({ error: 'expected a URL such as http://localhost:11434/v1' }).optional()),
  MEND_MODEL_TIMEOUT_MS: integer(30_000, 1_000, 600_000),
  MEND_MODEL_RETRIES: integer(1, 0, 5),
  /** An OpenAI reasoning model (o1, o3, o4-mini, gpt-5): auto decides from MEND_MODEL. */
  MEND_MODEL_REASONING: z.preprocess((v) => v || 'auto', z.enum(['auto', 'true', 'false'])),
  /** Extra budget a reasoning model may spend thinking before it answers. */
  MEND_REASONING_TOKENS: integer(4_000, 0, 100_000),
  /** Sampling temperature for coaching replies (coach, rehearsal notes, debrief, draft check, finding help). */
  MEND_TEMPERATURE_COACH: decimal(0.6, 0, 2),
  /** Sampling temperature for the son in a rehearsal. */
  MEND_TEMPERATURE_SON: decimal(0.9, 0, 2),
  /** Sampling temperature for the rolling summary and the counsellor brief. */
  MEND_TEMPERATURE_WRITING: decimal(0.2, 0, 2),
  /** Token budgets (the longest answer) per task. */
  MEND_MAX_TOKENS_COACH: integer(450, 50, 8_000),
  MEND_MAX_TOKENS_SON: integer(120, 20, 2_000),
  MEND_MAX_TOKENS_SUMMARY: integer(300, 50, 4_000),
  MEND_MAX_TOKENS_BRIEF: integer(900, 200, 8_000),
  /** An embeddings model on the same endpoint (its /embeddings); set, knowledge retrieval ranks by meaning too. */
  MEND_EMBEDDINGS_MODEL: optionalString,
  /** npm run eval: the judge model on the same endpoint (a stronger one is better); the model under test when unset. */
  MEND_EVAL_JUDGE_MODEL: optionalString,
  MEND_REGION: z.preprocess((v) => (typeof v === 'string' && v ? v.toUpperCase() : 'US'), Region),
  /** Pause between guided-mode chunks, so guided replies stream like a model's do. */
  MEND_GUIDED_DELAY_MS: integer(12, 0, 1_000),
  /** Replace the names she mentions with placeholders before text goes to the model endpoint. */
  MEND_PSEUDONYMISE: flag(true),
  /** Delete conversations untouched for this many days; 0 keeps them until she deletes them. */
  MEND_RETENTION_DAYS: integer(0, 0, 36_500),
  /**
   * With a model: how long her reply waits for the model's safety second opinion on her message
   * (it can only raise the level); 0 turns the second opinion off.
   */
  MEND_SAFETY_OPINION_MS: integer(2_000, 0, 30_000),
  /**
   * Mend's own cap on one model reply, in characters: a reply that runs past it is ended with a
   * note and stored as cut, so a runaway or hostile model cannot hold the server or the disk.
   */
  MEND_MAX_REPLY_CHARS: integer(40_000, 1_000, 20_000_000),
  /** Put the whole app behind this password (for people who host Mend for others). */
  MEND_PASSWORD: optionalString,
  /** Behind a reverse proxy: which proxies to believe about her address (X-Forwarded-For). */
  MEND_TRUST_PROXY: trustProxy,
  /** HTTP requests a minute for one browser (her identity cookie; a browser without one, by address). */
  MEND_RATE_LIMIT: integer(300, 10, 100_000),
  /** With MEND_PASSWORD: days a sign-in lasts before she is asked again. */
  MEND_SESSION_DAYS: integer(30, 1, 400),
  /**
   * Mend is reached over https (a TLS proxy in front): cookies are Secure, the identity cookie
   * is `__Host-mend_id` (no other origin of the host can set it), HSTS is sent.
   */
  MEND_HTTPS: flag(false),
});
export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment; the first bad variable becomes a one-line error naming it. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const name = String(issue.path[0] ?? 'environment');
  throw new ConfigError(`Invalid ${name}=${JSON.stringify(env[name] ?? '')}: ${describeIssue(issue)}`);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_value') return `expected one of ${issue.values.map(String).join(', ')}`;
  return issue.message;
}

/** Which provider actually runs: `auto` picks openai only when something points at a model. */
export function resolveProvider(config: Config): 'openai' | 'guided' {
  if (config.MEND_PROVIDER !== 'auto') return config.MEND_PROVIDER;
  return config.OPENAI_API_KEY || config.OPENAI_BASE_URL ? 'openai' : 'guided';
}
