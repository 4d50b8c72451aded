/**
 * Output rail for model replies: flags method or means details (doses, lethality, how-to),
 * text that encourages harm, and wording safe-messaging guidance asks us to avoid. The rules
 * are in knowledge/safety/output-rail.json. A reply that is not ok must not reach her.
 */
import { normalise } from './normalise.js';
import { loadSafetyData } from './rules.js';

const RULES = loadSafetyData().output;

export interface OutputCheck {
  ok: boolean;
  /** "rule-id (kind): matched words" for each problem found. */
  reasons: string[];
}

export function screenModelOutput(text: string): OutputCheck {
  const norm = normalise(text);
  const reasons: string[] = [];
  for (const rule of RULES) {
    rule.re.lastIndex = 0;
    const m = rule.re.exec(norm);
    if (m) reasons.push(`${rule.id} (${rule.kind}): "${m[0]}"`);
  }
  return { ok: reasons.length === 0, reasons };
}
