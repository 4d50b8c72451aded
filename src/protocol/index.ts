/**
 * The shapes every layer shares: WebSocket frames, stored records, safety levels and regions.
 * The lowest module in src: it imports nothing of Mend's, and everything else (store, llm,
 * safety, chat, http and the page, type-only) imports from here, so tsc fails when they drift.
 */
export * from './frames.js';
export * from './records.js';
export * from './safety.js';
export * from './errors.js';
