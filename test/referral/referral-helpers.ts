import { markerSafetyGate } from '../helpers/marker-safety.js';
import type { SafetyGate } from '../../src/chat/safety-gate.js';
import type { ServerFrame } from '../../src/protocol/frames.js';
import type { RiskSubject, SafetyLevel } from '../../src/protocol/safety.js';
import { ChatClient, type Harness } from '../helpers/harness.js';

export type ReplyEnd = Extract<ServerFrame, { type: 'reply.end' }>;

/**
 * A stand-in for the safety screen: a message containing a marker gets that level and
 * those subjects, so a test can hold a conversation at "high" without the real rules.
 */
export function levelGate(levels: Record<string, { level: SafetyLevel; atRisk?: RiskSubject[] }>): SafetyGate {
  return markerSafetyGate(levels);
}

/** Says each message in referral mode in one conversation; returns the end frame of each reply. */
export async function referralChat(h: Harness, messages: string[], extra: Record<string, unknown> = {}): Promise<ReplyEnd[]> {
  const client = await ChatClient.open(h);
  const ends: ReplyEnd[] = [];
  for (const text of messages) {
    const conversationId = ends.at(-1)?.conversationId;
    ends.push(await client.say(text, { mode: 'referral', ...extra, ...(conversationId ? { conversationId } : {}) }));
  }
  client.close();
  return ends;
}

export const THREE_WEEKS = 'we haven\'t spoken in three weeks and every time I try he walks out. should we get help?';
