/** "Before you say it": checks one message she means to send him and offers a calmer version. */
export { createDraftMode, type DraftModeDeps } from './draft-mode.js';
export { draftGuidedWriters } from './guided-writers.js';
