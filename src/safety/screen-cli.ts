/**
 * Core of `mend screen`: JSON Lines in ({ "text": "...", "region"?: "UK", any other fields }),
 * one JSON line out per input line: every input field except the text passed through (an `id`,
 * a label), then { "level", "layer", "atRisk", "reasons" }, where `layer` says which layer set
 * the level (rules or learned). A malformed line gets { "error": "...", "line": n } (with the
 * line's `id` when it has one) and processing carries on. Blank lines are skipped.
 */
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { screenMessage } from './screen.js';
import { Region } from '../protocol/safety.js';

const FLUSH_EVERY = 256;

type Parsed = { text: string; region?: Region; fields: Record<string, unknown> };

function parseLine(raw: string): Parsed | { error: string; fields?: Record<string, unknown> } {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    return { error: `invalid JSON: ${(err as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: 'expected a JSON object' };
  const { text, region, ...fields } = value as { text?: unknown; region?: unknown } & Record<string, unknown>;
  const id = 'id' in fields ? { id: fields.id } : {};
  if (typeof text !== 'string') return { error: 'missing "text" (a string)', fields: id };
  if (region === undefined || region === null) return { text, fields };
  const parsed = Region.safeParse(typeof region === 'string' ? region.toUpperCase() : region);
  if (!parsed.success) return { error: `unknown "region": expected one of ${Region.options.join(', ')}`, fields: id };
  return { text, region: parsed.data, fields: { ...fields, region: parsed.data } };
}

export async function runScreenCli(
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
): Promise<{ lines: number; errors: number }> {
  const rl = createInterface({ input, crlfDelay: Infinity });
  let lineNo = 0;
  let lines = 0;
  let errors = 0;
  let buffer: string[] = [];
  const flush = async () => {
    if (!buffer.length) return;
    const chunk = buffer.join('');
    buffer = [];
    if (!output.write(chunk)) await once(output, 'drain');
  };
  for await (const raw of rl) {
    lineNo++;
    if (raw.trim() === '') continue;
    lines++;
    const parsed = parseLine(raw);
    if ('error' in parsed) {
      errors++;
      buffer.push(`${JSON.stringify({ ...parsed.fields, error: parsed.error, line: lineNo })}\n`);
    } else {
      const v = screenMessage(parsed.text, parsed.region ? { region: parsed.region } : {});
      const layer = v.reasons.find((r) => r.level === v.level)?.layer ?? (v.level === 'calm' ? 'none' : 'rules');
      buffer.push(`${JSON.stringify({ ...parsed.fields, level: v.level, layer, atRisk: v.atRisk, reasons: v.reasons })}\n`);
    }
    if (buffer.length >= FLUSH_EVERY) await flush();
  }
  await flush();
  return { lines, errors };
}
