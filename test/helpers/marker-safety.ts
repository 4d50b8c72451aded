import type { PendingScreen, SafetyGate, ScreenResult } from '../../src/chat/safety-gate.js';
import type { RiskSubject, SafetyLevel } from '../../src/protocol/safety.js';

export interface MarkedLevel {
  level: SafetyLevel;
  atRisk?: RiskSubject[];
  notice?: string;
}

/**
 * A stand-in for the rule-based screen: a message containing a marker gets that level, so a
 * test can hold a conversation at "strained" or "high" without depending on the real rules.
 */
export function markerSafetyGate(levels: Record<string, MarkedLevel>, defaults: Omit<MarkedLevel, 'level'> = {}): SafetyGate {
  const last = new Map<string, ScreenResult>();
  const resultFor = (marked: MarkedLevel | undefined): ScreenResult => {
    const level = marked?.level ?? 'calm';
    const serious = level === 'high' || level === 'crisis';
    return {
      verdict: { level, atRisk: level === 'calm' ? [] : marked?.atRisk ?? defaults.atRisk ?? [], reasons: [], resources: [] },
      response: { notice: level === 'calm' ? '' : marked?.notice ?? defaults.notice ?? '', banner: false, pauseRehearsal: serious, suggestCounsellor: level !== 'calm' },
      methodQuestion: false,
    };
  };
  const pending = (conversationId: string, result: ScreenResult): PendingScreen => ({
    ...result,
    save: () => void last.set(conversationId, result),
    raise: (raised) => pending(conversationId, resultFor({ level: raised.level, atRisk: [raised.subject] })),
  });
  return {
    screen: (conversationId, text) => pending(conversationId, resultFor(Object.entries(levels).find(([marker]) => text.includes(marker))?.[1])),
    current: (conversationId) => last.get(conversationId) ?? resultFor(undefined),
    checkOutput: () => ({ ok: true, reasons: [] }),
  };
}
