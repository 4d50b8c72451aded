/**
 * Rehearsal: Mend plays her son, reacts to how she speaks, adds coach notes between his lines
 * and a debrief at the end.
 */
export { createRehearseMode, type RehearseModeDeps } from './rehearse-mode.js';
export { rehearsalGuidedWriters } from './guided-writers.js';
export { TEMPERAMENTS, type Temperament } from './state.js';
