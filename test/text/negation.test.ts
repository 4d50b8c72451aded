import { describe, expect, it } from 'vitest';
import { negatesWhatFollows } from '../../src/text/index.js';

describe('negatesWhatFollows: a "not" reaches a few words forward within its clause', () => {
  it.each([
    ['he didn’t ', true],
    ["he didn't really ", true],
    ['he never once ', true],
    ['it is not about the ', true],
    ['he did not, he ', false],
    ['not a chance but he ', false],
    ['I do not think that he really ', false],
    ['he ', false],
  ])('%j → %s', (before, negated) => {
    expect(negatesWhatFollows(before)).toBe(negated);
  });
});
