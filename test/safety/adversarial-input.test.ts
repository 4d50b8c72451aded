import { describe, expect, it } from 'vitest';
import { screenMessage } from '../../src/safety/index.js';
import { collapseRuns, MAX_RUN } from '../../src/safety/normalise.js';

/** Pathological messages (the bench times them): the verdict is the one their short form gets. */
const CASES: Array<{ name: string; text: string; level: string }> = [
  { name: 'a long run of one word, then a crisis line', text: `${'sorry '.repeat(1300)}I want to die.`, level: 'crisis' },
  { name: 'a crisis line, then the last word repeated', text: `I want to ${'die '.repeat(1900)}`, level: 'crisis' },
  { name: 'a wall of punctuation before a crisis line', text: `${'!?.'.repeat(2600)} I want to die.`, level: 'crisis' },
  { name: 'thousands of apostrophes around a crisis line', text: `${"'".repeat(4000)}I want to die${"'".repeat(3900)}`, level: 'crisis' },
  { name: 'a long run of a calm word', text: 'sorry '.repeat(1300), level: 'calm' },
  { name: 'one 8,000-character word', text: 'a'.repeat(8000), level: 'calm' },
];

describe('the screen on pathological input', () => {
  it.each(CASES)('$name: $level', ({ text, level }) => {
    expect(screenMessage(text).level).toBe(level);
  });

  it('keeps a run of one word up to MAX_RUN long, and everything around it', () => {
    expect(collapseRuns(`He said ${'never '.repeat(50)}again, and I said ${'fine. '.repeat(30)}`))
      .toBe(`He said ${'never '.repeat(MAX_RUN)}again, and I said ${'fine. '.repeat(MAX_RUN)}`);
    const ordinary = 'He slammed the door and I stood there, really really really upset about it all evening long.';
    expect(collapseRuns(ordinary)).toBe(ordinary);
  });
});
