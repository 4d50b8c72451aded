/**
 * A model's rolling summary, checked before it is stored, shown in the memory panel and sent
 * in every later prompt. The summary prompt asks for plain third-person sentences; a model
 * may still wrap them in a code fence or JSON (repaired), or answer with markup, headings, a
 * list of tips, advice to her or a refusal (rejected, so the extractive summary stands in).
 */
const FENCE = /^```[\w-]*\s*\n([\s\S]*?)\n?```$/;
const LABEL = /^(?:\*\*)?(?:updated\s+)?(?:summary|notes)(?:\*\*)?\s*:\s*/i;
const MARKUP = /<\/?[a-z][\w-]*(?:\s[^>]*)?>|^#{1,6}\s/im;
const LIST_ITEM = /^\s*(?:[-*•]|\d{1,2}[.)])\s+/gm;
/** More list lines than this is a list, not notes. */
const MAX_LIST_ITEMS = 3;
/** Words that mark advice to her or a reply to her rather than notes about her. */
const NOT_NOTES = /\b(?:here are (?:some|a few|\d+) (?:tips|ideas|suggestions)|you should|you could try|tips?:|I(?:'m| am) sorry,? but|I can(?:'|no)t help|as an AI)\b/i;

export function cleanSummary(written: string): string | undefined {
  let text = written.trim();
  const fenced = FENCE.exec(text);
  if (fenced) text = fenced[1]!.trim();
  if (text.startsWith('{')) text = fromJson(text) ?? '';
  text = text.replace(LABEL, '').trim();
  if (!text || MARKUP.test(text) || NOT_NOTES.test(text)) return undefined;
  if ((text.match(LIST_ITEM) ?? []).length > MAX_LIST_ITEMS) return undefined;
  return text;
}

/** `{"summary": "…"}` and the like: the one string field that holds the notes. */
function fromJson(text: string): string | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (!value || typeof value !== 'object') return undefined;
    const record = value as Record<string, unknown>;
    const field = ['summary', 'updated_summary', 'notes', 'text'].find((k) => typeof record[k] === 'string');
    return field ? (record[field] as string).trim() : undefined;
  } catch {
    return undefined;
  }
}
