import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProgressWords, ProgressWordsError } from '../../src/features/progress/index.js';
import { PROGRESS_WORDS_FILE } from '../../src/features/progress/progress-words.js';

const shipped = JSON.parse(readFileSync(PROGRESS_WORDS_FILE, 'utf8')) as Record<string, unknown> & { checkIn: { replies: unknown[] }; guided: Record<string, { reply: string }> };

function withEdit(edit: (words: typeof shipped) => void): string {
  const copy = structuredClone(shipped);
  edit(copy);
  const file = join(mkdtempSync(join(tmpdir(), 'mend-words-')), 'progress-words.json');
  writeFileSync(file, JSON.stringify(copy));
  return file;
}

describe('the check-in words a counsellor edits are checked at start-up', () => {
  it('the shipped file loads', () => {
    expect(loadProgressWords().checkIn.replies).toHaveLength(4);
  });

  it.each<[string, (w: typeof shipped) => void, string]>([
    ['a missing quick reply', (w) => { w.checkIn.replies.pop(); }, 'checkIn.replies'],
    ['a label too long for a button', (w) => { (w.checkIn.replies[0] as { label: string }).label = 'x'.repeat(61); }, 'checkIn.replies.0.label'],
    ['a missing guided reply', (w) => { delete (w.guided as Record<string, unknown>)['badly']; }, 'guided.badly'],
    ['an empty list of discouraged phrases', (w) => { w['discouraged'] = []; }, 'discouraged'],
    ['an unknown field (a typo)', (w) => { w['kepts'] = 'x'; }, 'Unrecognized key'],
    ['wording the output rail would withhold', (w) => { w.guided['better']!.reply = 'You went through with it.'; }, 'output rail'],
  ])('%s stops Mend with a line naming it', (_name, edit, named) => {
    const file = withEdit(edit);
    expect(() => loadProgressWords(file)).toThrow(ProgressWordsError);
    expect(() => loadProgressWords(file)).toThrow(named);
  });

  it('a file that is not JSON is named', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mend-words-')), 'progress-words.json');
    writeFileSync(file, '{ not json');
    expect(() => loadProgressWords(file)).toThrow(/progress-words\.json cannot be read/);
  });
});
