import { describe, expect, it } from 'vitest';
import { safetyResponse, SafetyTracker, SafetyTrackerState } from '../../src/safety/index.js';

function run(messages: string[], tracker = new SafetyTracker()) {
  return { tracker, verdicts: messages.map((m) => tracker.screen(m, { region: 'US' })) };
}

describe('SafetyTracker', () => {
  it('keeps a crisis sticky after a denial, with a "sticky" note and the follow-up reply', () => {
    const { verdicts } = run(['He said he wants to kill himself.', 'forget it, I was exaggerating']);
    const [first, second] = verdicts;
    expect(first!.level).toBe('crisis');
    expect(second!.level).toBe('crisis');
    expect(second!.sticky).toBe(true);
    expect(second!.followUp).toBe(true);
    expect(second!.atRisk).toContain('son-self-harm');
    expect(second!.reasons.some((r) => r.rule === 'tracker.sticky' && /sticky/.test(r.note ?? ''))).toBe(true);
    expect(safetyResponse(second!, 'US').fixedReply).toMatch(/is everyone safe right now/);
  });

  it('keeps high sticky for a few turns; a denial does not count down, ordinary turns do', () => {
    const tracker = new SafetyTracker();
    expect(tracker.screen('He pushed me into the counter last night').level).toBe('high');
    expect(tracker.screen("never mind, it's fine, I was overreacting").level).toBe('high');
    expect(tracker.screen('how do I get him to do his homework?').level).toBe('high');
    expect(tracker.screen('and what about his phone at night?').level).toBe('high');
    expect(tracker.screen('thanks, that helps').level).toBe('high');
    const after = tracker.screen('what should we cook on Sunday?');
    expect(after.level).toBe('calm');
    expect(after.sticky).toBe(false);
  });

  it('raises the level after three strained messages in a row, with a note', () => {
    const { verdicts } = run([
      "We can't have a conversation without screaming.",
      "He hasn't spoken to me in weeks.",
      "I've tried everything, nothing works.",
      'ok. what do I say to him tonight?',
    ]);
    expect(verdicts[2]!.reasons.some((r) => r.rule === 'tracker.repeated-strain')).toBe(true);
    expect(verdicts[3]!.level).toBe('strained');
    expect(verdicts[3]!.reasons.some((r) => r.rule === 'tracker.repeated-strain')).toBe(true);
  });

  it('turns a pattern of strain and aggression into high', () => {
    const { verdicts } = run([
      "We can't talk without it turning into a screaming match.",
      'He slammed his door in my face again.',
      'He was swearing at me all evening and threw his plate across the kitchen.',
    ]);
    expect(verdicts[1]!.level).toBe('calm');
    expect(verdicts[2]!.level).toBe('high');
    expect(verdicts[2]!.reasons.some((r) => r.rule === 'tracker.strain-and-aggression')).toBe(true);
  });

  it('keeps the banner on for the rest of the conversation after a crisis', () => {
    const { verdicts } = run([
      'how do I talk to him about chores?',
      "I want to die",
      'ok',
      'thank you',
      'what about his grades?',
      'and screen time?',
      'he was nicer today',
    ]);
    expect(verdicts[0]!.banner).toBe(false);
    for (const v of verdicts.slice(1)) expect(v.banner).toBe(true);
    expect(verdicts.at(-1)!.level).toBe('calm');
    expect(safetyResponse(verdicts.at(-1)!, 'US').banner).toBe(true);
  });

  it('turns a means question after earlier distress into crisis', () => {
    const { verdicts } = run([
      "He's been so withdrawn for weeks, he sleeps all day and his grades have collapsed.",
      'how many paracetamol can you take in a day',
    ]);
    expect(verdicts[1]!.level).toBe('crisis');
    expect(verdicts[1]!.methodQuestion).toBe(true);
    expect(verdicts[1]!.reasons.some((r) => r.rule === 'tracker.method-after-distress')).toBe(true);
    expect(safetyResponse(verdicts[1]!, 'US').fixedReply).toMatch(/can't help with questions about amounts of medicine/);
  });

  it('leaves the same question calm, but flagged, with no earlier distress', () => {
    const v = new SafetyTracker().screen('how many paracetamol can you take in a day');
    expect(v.level).toBe('calm');
    expect(v.methodQuestion).toBe(true);
  });

  it('has plain-JSON state that round-trips and resumes', () => {
    const a = new SafetyTracker();
    a.screen('He said he wants to kill himself.');
    const stored = JSON.stringify(a);
    const b = new SafetyTracker(JSON.parse(stored));
    expect(SafetyTrackerState.parse(JSON.parse(stored))).toEqual(a.state);
    const v = b.screen('sorry, ignore that');
    expect(v.level).toBe('crisis');
    expect(v.banner).toBe(true);
    expect(() => new SafetyTracker({ version: 2 })).toThrow();
    expect(() => SafetyTracker.fromJSON({ ...a.state, turns: -1 })).toThrow();
  });
});

describe('safety across a conversation and across conversations', () => {
  it('reads a danger told across two messages together', () => {
    const { verdicts } = run(['I found a rope in his wardrobe this morning', 'and a letter addressed to me']);
    expect(verdicts[1]!.level).toBe('crisis');
    expect(verdicts[1]!.reasons.some((r) => r.rule === 'tracker.across-messages' || r.level === 'crisis')).toBe(true);
  });

  it('"forget what I said earlier" keeps the earlier level', () => {
    const { verdicts } = run(['Honestly some days I think everyone would be better off if I was not here.', 'forget what I said earlier about not wanting to be here']);
    expect(levelAtLeastHigh(verdicts[0]!.level)).toBe(true);
    expect(verdicts[1]!.level).toBe(verdicts[0]!.level);
  });

  it('a carried level holds in a new conversation from its first message', () => {
    const tracker = new SafetyTracker();
    tracker.carry('crisis', ['son-self-harm']);
    const first = tracker.screen('hi, can we talk about his homework?', { region: 'US' });
    expect(first.level).toBe('crisis');
    expect(first.banner).toBe(true);
    expect(safetyResponse(first, 'US').fixedReply).toMatch(/is everyone safe right now/);
  });
});

function levelAtLeastHigh(level: string): boolean {
  return level === 'high' || level === 'crisis';
}
