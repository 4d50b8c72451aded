import { markerSafetyGate } from '../helpers/marker-safety.js';
import type { ServerFrame } from '../../src/protocol/frames.js';
import type { SafetyGate } from '../../src/chat/safety-gate.js';
import type { SafetyLevel } from '../../src/protocol/safety.js';
import { ChatClient, type Harness } from '../helpers/harness.js';

export type ReplyEnd = Extract<ServerFrame, { type: 'reply.end' }>;
export type ErrorFrame = Extract<ServerFrame, { type: 'error' }>;

export const VAPE_SCENE = { scene: 'I want to talk about the vape I found', age: 16, temperament: 'explosive' } as const;

/**
 * One rehearsal in one conversation, driven the way the page drives it. Every call waits
 * for the whole turn (his line and the coach note are two replies) and returns its replies.
 */
export class Rehearsal {
  conversationId?: string;

  private constructor(private readonly h: Harness, readonly client: ChatClient) {}

  static async open(h: Harness): Promise<Rehearsal> {
    return new Rehearsal(h, await ChatClient.open(h));
  }

  /** Sets the scene: the scene is the text, the settings go in options. */
  start(options: Record<string, unknown>, mode = 'rehearse'): Promise<ReplyEnd[]> {
    return this.say(String(options.scene ?? 'a talk'), options, mode);
  }

  say(text: string, options?: Record<string, unknown>, mode = 'rehearse'): Promise<ReplyEnd[]> {
    const clientId = `c${Math.random().toString(36).slice(2, 12)}`;
    return this.turn({ type: 'send', clientId, text, mode, ...(options ? { options } : {}), ...this.ids() });
  }

  act(action: 'rehearsal.end' | 'rehearsal.rewind'): Promise<ReplyEnd[]> {
    return this.turn({ type: 'action', clientId: `a${Date.now().toString(36)}`, action, ...this.ids() });
  }

  /** Sends a frame that must fail; resolves with the error frame. */
  async fails(frame: Record<string, unknown>): Promise<ErrorFrame> {
    const from = this.client.frames.length;
    this.client.send({ clientId: `e${Date.now().toString(36)}`, ...this.ids(), ...frame });
    return this.client.waitFor('error', () => true, from);
  }

  close(): void {
    this.client.close();
  }

  private ids(): Record<string, string> {
    return this.conversationId ? { conversationId: this.conversationId } : {};
  }

  private async turn(frame: Record<string, unknown>): Promise<ReplyEnd[]> {
    const from = this.client.frames.length;
    this.client.send(frame);
    if (frame.type === 'send') {
      const ack = await this.client.waitFor('ack', (f) => f.clientId === frame.clientId, from);
      this.conversationId = ack.conversationId;
    }
    await this.client.waitFor('reply.end', () => true, from);
    await until(() => this.h.app.chat.isActive(this.conversationId!) === null);
    return this.client.frames.slice(from).filter((f): f is ReplyEnd => f.type === 'reply.end');
  }
}

async function until(done: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('the turn did not finish in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export const voiceOf = (reply: ReplyEnd) => reply.meta.voice;
export const sonOf = (replies: ReplyEnd[]) => replies.find((r) => r.meta.voice === 'son')?.text ?? '';
/** How the son took her line (flare, push, jab, shut, guarded, soften, open), from his reply's meta. */
export const reactionOf = (replies: ReplyEnd[]) => (replies.find((r) => r.meta.voice === 'son')?.meta.rehearsal as { reaction?: string } | undefined)?.reaction;
export const noteOf = (replies: ReplyEnd[]) => replies.find((r) => r.meta.voice === 'coach-note')?.text ?? '';

/** A stand-in for the safety screen: a message containing a marker gets that level. */
export function markerSafety(levels: Record<string, SafetyLevel>): SafetyGate {
  const marked = Object.fromEntries(Object.entries(levels).map(([m, level]) => [m, { level }]));
  return markerSafetyGate(marked, { atRisk: ['mother-safety'], notice: 'Your safety matters.' });
}

/** The rehearsal as she would read it on the page. */
export function transcript(steps: Array<{ her?: string; action?: string; replies: ReplyEnd[] }>): string {
  const label: Record<string, string> = { son: 'HIM', 'coach-note': 'COACH NOTE', debrief: 'DEBRIEF', coach: 'MEND' };
  return steps.map((s) => [
    s.her ? `HER: ${s.her}` : `[${s.action}]`,
    ...s.replies.map((r) => `${label[r.meta.voice ?? 'coach']}: ${r.text.replace(/\n/g, '\n    ')}`),
  ].join('\n')).join('\n\n');
}
