import type { ConversationStore } from '../store/conversation-store.js';
import type { SafetyGate } from './safety-gate.js';

/** Placeholder until the rule-based screen lands: everything is calm. */
export function createRuleSafetyGate(_store: ConversationStore): SafetyGate {
  return {
    screen: () => ({
      verdict: { level: 'calm', atRisk: [], reasons: [], resources: [] },
      response: { notice: '', banner: false, pauseRehearsal: false, suggestCounsellor: false },
      methodQuestion: false,
    }),
    checkOutput: () => ({ ok: true, reasons: [] }),
  };
}
