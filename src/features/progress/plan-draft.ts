import type { MessageRecord } from '../../protocol/records.js';
import { PLAN_PLACE_MAX, PLAN_SCRIPT_MAX } from './progress-data.js';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** A line Mend offered her to say: the coach writes it as a quote (> “…”). */
const QUOTED_LINE = /^>\s*[“"](.+?)[”"]\s*$/m;
const TRY_NEXT = /One thing to try next:\s*([^\n]+)/;

/** Places people often pick for a hard talk, in her words or the coach's. */
const PLACES: Array<[RegExp, string]> = [
  [/\bin the car\b|\bdriving\b/i, 'In the car'],
  [/\bon a walk\b|\bwalking the dog\b|\bgo for a walk\b/i, 'On a walk'],
  [/\b(?:at|over) (?:dinner|tea|supper)\b/i, 'Over dinner'],
  [/\b(?:at|over) breakfast\b/i, 'Over breakfast'],
  [/\bin the kitchen\b/i, 'In the kitchen'],
  [/\bin his room\b|\bhis bedroom door\b/i, 'At his room'],
  [/\bby text\b|\btext him\b|\ba note\b/i, 'In a message or a note'],
];

export interface PlanDraft {
  script: string;
  when: number;
  where: string;
}

/**
 * What she'll try, read from the conversation so saving it is one tap: the last line Mend
 * offered her to say (or its "one thing to try"), when (from "tonight", "tomorrow", "on
 * Saturday"… in her messages; tomorrow evening otherwise) and where, if she or Mend named a place.
 * Times are her local times: `utcOffsetMinutes` is what her browser's clock says.
 */
export function draftPlan(messages: MessageRecord[], now: number, utcOffsetMinutes: number): PlanDraft {
  const replies = messages.filter((m) => m.role === 'assistant' && m.status === 'complete');
  const hers = messages.filter((m) => m.role === 'user').map((m) => m.text);
  const script = lastMatch(replies.map((m) => m.text), QUOTED_LINE) ?? lastMatch(replies.map((m) => m.text), TRY_NEXT) ?? '';
  const all = [...hers, ...replies.map((m) => m.text)];
  const where = PLACES.find(([pattern]) => all.some((t) => pattern.test(t)))?.[1] ?? '';
  return { script: clip(script, PLAN_SCRIPT_MAX), when: whenFrom(hers.slice().reverse().join('\n'), now, utcOffsetMinutes), where: clip(where, PLAN_PLACE_MAX) };
}

function lastMatch(texts: string[], pattern: RegExp): string | undefined {
  for (const text of texts.slice().reverse()) {
    const found = pattern.exec(text)?.[1]?.trim();
    if (found) return found;
  }
  return undefined;
}

/** Her local clock: `new Date(local)` read with UTC getters shows her wall time. */
function whenFrom(text: string, now: number, offsetMinutes: number): number {
  const local = now - offsetMinutes * 60_000;
  const at = (dayOffset: number, hour: number) => {
    const d = new Date(local);
    d.setUTCDate(d.getUTCDate() + dayOffset);
    d.setUTCHours(hour, 0, 0, 0);
    return d.getTime() + offsetMinutes * 60_000;
  };
  const lower = text.toLowerCase();
  if (/\btonight\b|\bthis evening\b/.test(lower)) {
    const tonight = at(0, 19);
    return tonight > now ? tonight : now + 2 * HOUR;
  }
  if (/\btomorrow\b/.test(lower)) return at(1, 18);
  if (/\b(?:this |at the |over the )?weekend\b/.test(lower)) return at(daysUntil(local, 6), 11);
  const day = DAYS.findIndex((d) => new RegExp(`\\b(?:on |this |next )?${d}\\b`).test(lower));
  if (day >= 0) return at(daysUntil(local, day), 18);
  const fallback = at(1, 18);
  return fallback > now ? fallback : now + DAY;
}

/** Days from her local today to the next such weekday (7 when it is today: the coming one). */
function daysUntil(local: number, weekday: number): number {
  const today = new Date(local).getUTCDay();
  return ((weekday - today + 7) % 7) || 7;
}

function clip(text: string, max: number): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1).trimEnd()}…` : one;
}
