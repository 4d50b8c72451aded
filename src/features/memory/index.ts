/**
 * What Mend remembers in a conversation: facts she told it (which she can read, correct and
 * make it forget) and the rolling summary of older turns. Used by the coach and referral
 * modes during a turn, and by the memory routes and the export outside one.
 */
export { ConversationMemory, RollingSummary } from './conversation-memory.js';
export { memoryOf } from './memory-service.js';
export { FACT_KEYS, FACT_MAX_CHARS, FACT_LABELS, type Fact, type FactKey, type FactValues } from './facts.js';
export { extractiveSummary, partition, summaryForTurn, type DialogueMessage } from './rolling-summary.js';
export { createGuidedSummaryWriter } from './summary-writer.js';
