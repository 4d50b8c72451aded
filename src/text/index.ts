/**
 * Plain-text helpers for her words that several features share. Low in the layering: it
 * imports nothing of Mend's.
 */
export { sentencesOf } from './sentences.js';
export { WORN_OUT, phrasesSource } from './feelings.js';
export { clausesOf, clauseWords, negatedAt, negatesWhatFollows } from './negation.js';
export { BoundedMemo } from './bounded-memo.js';
