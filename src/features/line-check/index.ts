/**
 * How a line of hers lands: the analyser (what closes him down, what opens him up), the
 * advice tied to each signal, the calmer rewrite, and the knowledge both draw on. Shared by
 * the rehearsal and the draft check; it imports neither.
 */
export * from './analyser.js';
export * from './advice.js';
export { rewriteLine } from './rewrite.js';
export { RehearsalKnowledge, type KnowledgeRef } from './rehearsal-knowledge.js';
export { subjectOf } from './quote.js';
