/**
 * Core of `mend screen`: JSON Lines in ({ "text": "...", "region"?: "UK" }), one JSON line out
 * per input line ({ "level", "atRisk", "reasons" }). A malformed line gets
 * { "error": "...", "line": n } and processing carries on. Blank lines are skipped.
 */
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { screenMessage } from './screen.js';
import { Region } from '../protocol/safety.js';

const FLUSH_EVERY = 256;

function parseLine(raw: string): { text: string; region?: Region } | string {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    return `invalid JSON: ${(err as Error).message}`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'expected a JSON object';
  const { text, region } = value as { text?: unknown; region?: unknown };
  if (typeof text !== 'string') return 'missing "text" (a string)';
  if (region === undefined || region === null) return { text };
  const parsed = Region.safeParse(typeof region === 'string' ? region.toUpperCase() : region);
  if (!parsed.success) return `unknown "region": expected one of ${Region.options.join(', ')}`;
  return { text, region: parsed.data };
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
    if (typeof parsed === 'string') {
      errors++;
      buffer.push(`${JSON.stringify({ error: parsed, line: lineNo })}\n`);
    } else {
      const v = screenMessage(parsed.text, parsed.region ? { region: parsed.region } : {});
      buffer.push(`${JSON.stringify({ level: v.level, atRisk: v.atRisk, reasons: v.reasons })}\n`);
    }
    if (buffer.length >= FLUSH_EVERY) await flush();
  }
  await flush();
  return { lines, errors };
}
