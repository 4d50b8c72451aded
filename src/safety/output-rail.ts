/**
 * Output rail for model replies: flags method or means details (doses, lethality, how-to),
 * text that encourages harm, and wording safe-messaging guidance asks us to avoid. The rules
 * are in knowledge/safety/output-rail.json. A reply that is not ok must not reach her.
 */
import { normalise } from './normalise.js';
import { loadSafetyData } from './rules.js';

const DATA = loadSafetyData();
const RULES = DATA.output;
/** The reply-shape limits from output-rail.json (echo, tips, questions), for the rail at the model boundary. */
export const OUTPUT_SHAPE = DATA.outputShape;

export interface OutputCheck {
  ok: boolean;
  /** "rule-id (kind): matched words" for each problem found. */
  reasons: string[];
}

/** `task` is the model task that wrote the text; rules scoped to other tasks are skipped. */
export function screenModelOutput(text: string, task?: string): OutputCheck {
  const norm = normalise(text);
  const reasons: string[] = [];
  for (const rule of RULES) {
    if (rule.tasks && !(task && rule.tasks.includes(task))) continue;
    rule.re.lastIndex = 0;
    const m = rule.re.exec(norm);
    if (m) reasons.push(`${rule.id} (${rule.kind}): "${m[0]}"`);
  }
  return { ok: reasons.length === 0, reasons };
}
