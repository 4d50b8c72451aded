/**
 * Find help (step 4): which professional fits, how to find one in her region, the first call,
 * and her counsellor brief. Its mode claims coaching messages that ask for help.
 */
export { createReferralMode, type ReferralModeDeps } from './referral-mode.js';
export { referralGuidedWriters } from './guided-writers.js';
export { BriefService, savedBrief } from './brief-service.js';
export { BRIEF_MAX_CHARS, CounsellorBrief } from './brief.js';
export { createReferralGuide, type ReferralGuide } from './referral-guide.js';
