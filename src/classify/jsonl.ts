import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';

export class TrainingDataError extends Error {
  override name = 'TrainingDataError';
}

/** Every line of a JSON Lines file, validated; a bad line is an error naming the file and line. */
export function readJsonLines<S extends z.ZodType>(path: string, schema: S): Array<z.infer<S>> {
  const out: Array<z.infer<S>> = [];
  readFileSync(path, 'utf8').split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new TrainingDataError(`${path}:${i + 1}: not valid JSON`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new TrainingDataError(`${path}:${i + 1}: ${issue.path.join('.')} ${issue.message}`);
    }
    out.push(parsed.data);
  });
  return out;
}

/** The .jsonl files in a folder whose names start with `prefix`, in name order. */
export function jsonlFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.jsonl') && f.startsWith(prefix)).sort().map((f) => join(dir, f));
}
