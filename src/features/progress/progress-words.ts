import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { KNOWLEDGE_DIR } from '../../knowledge/knowledge-base.js';
import { PROMPTS_DIR } from '../../llm/prompt-library.js';
import { screenModelOutput } from '../../safety/output-rail.js';
import { OUTCOMES, Outcome } from './progress-data.js';

const Line = z.string().trim().min(1).max(400);
const Reply = z.object({ outcome: Outcome, label: z.string().trim().min(1).max(60), text: z.string().trim().min(1).max(200) }).strict();

/** knowledge/progress/progress-words.json: every word a counsellor might change around plans, check-ins and wins. */
export const ProgressWords = z.object({
  description: z.string().optional(),
  checkIn: z.object({
    question: z.string().trim().min(1).max(80),
    lead: Line,
    replies: z.array(Reply).length(OUTCOMES.length)
      .refine((r) => OUTCOMES.every((o) => r.some((x) => x.outcome === o)), `needs one reply for each of ${OUTCOMES.join(', ')}`),
  }).strict(),
  guided: z.object(Object.fromEntries(OUTCOMES.map((o) => [o, z.object({ reply: Line, ask: Line }).strict()])) as Record<Outcome, z.ZodObject<{ reply: typeof Line; ask: typeof Line }>>).strict(),
  kept: Line,
  practiseAgain: z.string().trim().min(1).max(60),
  wins: z.object({ lead: Line, close: Line }).strict(),
  discouraged: z.array(z.string().trim().toLowerCase().min(3).max(60)).min(1),
}).strict();
export type ProgressWords = z.infer<typeof ProgressWords>;

export class ProgressWordsError extends Error {
  override name = 'ProgressWordsError';
}

export const PROGRESS_WORDS_FILE = `${KNOWLEDGE_DIR}progress/progress-words.json`;
/** Each prompt of this feature and the variables it must use, checked at start-up like the words. */
const PROMPTS: Record<string, string[]> = { 'progress-checkin': ['outcome', 'ask', 'kept'], 'progress-wins': [] };

/** Reads and checks the words and prompts once, at start-up: a bad file stops Mend with one line naming it. */
export function loadProgressWords(file = PROGRESS_WORDS_FILE): ProgressWords {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ProgressWordsError(`knowledge/progress/progress-words.json cannot be read: ${(error as Error).message}`);
  }
  const parsed = ProgressWords.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ProgressWordsError(`knowledge/progress/progress-words.json: "${issue.path.join('.')}" ${issue.message}`);
  }
  for (const [name, variables] of Object.entries(PROMPTS)) checkPrompt(name, variables);
  checkAgainstRail(parsed.data);
  return parsed.data;
}

/** Every reply passes the output rail; wording it would withhold would fail every check-in, so it fails here instead. */
function checkAgainstRail(words: ProgressWords): void {
  const lines: Array<[string, string]> = [
    ...Object.entries(words.guided).flatMap(([o, g]) => [[`guided.${o}.reply`, g.reply], [`guided.${o}.ask`, g.ask]] as Array<[string, string]>),
    ['kept', words.kept], ['wins.lead', words.wins.lead], ['wins.close', words.wins.close],
  ];
  for (const [where, text] of lines) {
    const check = screenModelOutput(text);
    if (!check.ok) throw new ProgressWordsError(`knowledge/progress/progress-words.json: "${where}" would be withheld by the output rail (${check.reasons[0]})`);
  }
}

function checkPrompt(name: string, variables: string[]): void {
  const path = `${PROMPTS_DIR}${name}.md`;
  if (!existsSync(path)) throw new ProgressWordsError(`prompts/${name}.md is missing`);
  const text = readFileSync(path, 'utf8').replace(/^<!--[\s\S]*?-->\s*/, '');
  const missing = variables.filter((v) => !text.includes(`{{${v}}}`) && !text.includes(`{{#${v}}}`));
  if (missing.length) throw new ProgressWordsError(`prompts/${name}.md no longer uses ${missing.map((v) => `{{${v}}}`).join(', ')}`);
}

/** Her message sounds discouraged: one of the counsellor's phrases is in it. */
export function soundsDiscouraged(words: ProgressWords, text: string): boolean {
  const lower = text.toLowerCase();
  return words.discouraged.some((phrase) => lower.includes(phrase));
}
