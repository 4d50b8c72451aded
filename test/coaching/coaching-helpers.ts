import type { SafetyGate } from '../../src/chat/safety-gate.js';
import { markerSafetyGate } from '../helpers/marker-safety.js';
import type { ServerFrame } from '../../src/protocol/frames.js';
import type { SafetyLevel } from '../../src/protocol/safety.js';
import { ChatClient, type Harness } from '../helpers/harness.js';

export type ReplyEnd = Extract<ServerFrame, { type: 'reply.end' }>;

/** Says each message in turn in one conversation; returns every reply's end frame. */
export async function converse(h: Harness, messages: string[], client?: ChatClient): Promise<ReplyEnd[]> {
  const c = client ?? await ChatClient.open(h);
  const ends: ReplyEnd[] = [];
  for (const text of messages) {
    const conversationId = ends.at(-1)?.conversationId;
    ends.push(await c.say(text, conversationId ? { conversationId } : {}));
  }
  if (!client) c.close();
  return ends;
}

/** The reply's last paragraph: the question the coach asks. */
export function questionOf(text: string): string {
  return text.trim().split(/\n\s*\n/).at(-1)!.trim();
}

/** The quoted script the reply offers, if any. */
export function scriptOf(text: string): string | undefined {
  return /^> “(.+)”$/m.exec(text)?.[1];
}

/**
 * A stand-in for the rule-based screen: messages containing a marker get that level, so a
 * test can hold a conversation at "strained" or "high" without depending on the real rules.
 */
export function fakeSafety(levels: Record<string, SafetyLevel>): SafetyGate {
  return markerSafetyGate(Object.fromEntries(Object.entries(levels).map(([m, level]) => [m, { level }])), { atRisk: ['relationship'] });
}

/**
 * A new browser's identity: a table of cases that are each a different mother opens each
 * with its own, so one case's safety level never carries into the next case's conversations.
 */
export async function freshIdentity(h: Harness): Promise<string> {
  const health = await h.app.inject({ method: 'GET', url: '/api/health' });
  return String(health.headers['set-cookie']).split(';')[0]!;
}
