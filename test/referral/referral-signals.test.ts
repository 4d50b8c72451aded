import { describe, expect, it } from 'vitest';
import { asksForReferral, answerToBriefOffer, topicsAskedFor } from '../../src/features/referral/asks.js';
import { fittingKinds } from '../../src/features/referral/kinds.js';
import { handsToReferral } from '../../src/features/referral/handover.js';
import type { MessageRecord } from '../../src/protocol/records.js';

describe('asksForReferral: when coach mode hands her turn to Find help', () => {
  it.each([
    'should we see someone?',
    'Do we need a therapist?',
    'is it time for family therapy',
    'I think we need some help. Where do I find a counsellor?',
    'would a counselor help him?',
    'Should I get professional help for us?',
    'we haven\'t spoken in three weeks and every time I try he walks out. should we get help?',
  ])('yes: %s', (text) => expect(asksForReferral(text)).toBe(true));

  it.each([
    'He slammed the door when I asked about his homework.',
    'His counsellor said he is doing better at school.',
    'I need help with what to say about his phone.',
    'The therapist told us to keep a diary.',
    'He walked out again tonight.',
  ])('no: %s', (text) => expect(asksForReferral(text)).toBe(false));
});

describe('which kind of professional fits what she has said', () => {
  const ids = (messages: string[], atRisk: Parameters<typeof fittingKinds>[1] = []) => fittingKinds(messages, atRisk).map((k) => k.id);

  it('silence and walking out: a family therapist, with her words as the reason', () => {
    expect(fittingKinds(['He hasn\'t spoken to me since Sunday.', 'Every time I try he walks out.'])).toEqual([
      { id: 'family-therapist', quote: 'Every time I try he walks out' },
    ]);
  });

  it('low mood, withdrawn, sleeping all day: a psychologist and the family doctor', () => {
    expect(ids(['He sleeps all day and barely comes out of his room.'])).toEqual(['adolescent-psychologist', 'family-doctor']);
    expect(ids(['He seems really low lately.'])).toEqual(['adolescent-psychologist', 'family-doctor']);
  });

  it('her own low mood is not a reason to send him to a psychologist', () => {
    expect(ids(['I feel so low and I can\'t cope.'])).toEqual(['family-doctor']);
  });

  it('drugs or drinking: substance-use services', () => {
    expect(ids(['I found weed in his bag.'])).toEqual(['substance-use']);
  });

  it('being hit or threatened: domestic-violence services first, even when the screen alone saw it', () => {
    expect(ids(['He pushed me into the wall and we argue all the time.'])).toEqual(['domestic-violence', 'family-therapist']);
    expect(ids(['He skipped school again.', 'He sleeps all day and seems low.'], ['mother-safety'])[0]).toBe('domestic-violence');
  });

  it('trouble at school: the school counsellor; a passing mention of school is not trouble', () => {
    expect(ids(['He got suspended last week.'])).toEqual(['school-counsellor']);
    expect(ids(['He came home from school and went straight to bed.'])).toEqual(['family-therapist', 'family-doctor']);
  });

  it('no particular sign: a family therapist and the family doctor as the easiest door', () => {
    expect(ids(['should we see someone?'])).toEqual(['family-therapist', 'family-doctor']);
  });

  it('never more than three', () => {
    expect(ids(['He hit me.', 'He is drinking.', 'He seems so low.', 'He got expelled.', 'He won\'t talk to me.'])).toHaveLength(3);
  });
});

describe('her answers inside the flow', () => {
  it('reads yes and no to the brief offer only after it was made, and a request for the summary any time', () => {
    expect(answerToBriefOffer('yes please', true)).toBe('yes');
    expect(answerToBriefOffer('ok', true)).toBe('yes');
    expect(answerToBriefOffer('ok, what next?', true)).toBe('none');
    expect(answerToBriefOffer('not now', true)).toBe('no');
    expect(answerToBriefOffer('yes please', false)).toBe('none');
    expect(answerToBriefOffer('can you write up a summary for the therapist?', false)).toBe('yes');
    expect(answerToBriefOffer('I don\'t want a summary', true)).toBe('no');
  });

  it('recognises the topics she asks about', () => {
    expect(topicsAskedFor('What if he refuses to go?')).toEqual(['refuses']);
    expect(topicsAskedFor('How do I ask him without it feeling like a punishment?')).toEqual(['inviting']);
    expect(topicsAskedFor('What should I ask when I call them? Is it expensive?')).toEqual(['first-call', 'cost']);
  });
});

describe('handsToReferral: coach mode keeps her in Find help while she answers it', () => {
  const message = (role: MessageRecord['role'], text: string, meta: Record<string, unknown> = {}): MessageRecord => ({
    id: `${role}-${text.length}`, conversationId: 'c', seq: 1, role, text, mode: 'coach', safetyLevel: 'calm', status: 'complete',
    clientId: null, meta: { citations: [], steps: [], ...meta }, createdAt: 0,
  });
  const afterReferral = [message('user', 'should we see someone?'), message('assistant', 'A family therapist…', { referral: { brief: 'offer' } })];
  const afterCoaching = [message('user', 'he slammed the door'), message('assistant', 'That sounds hard.')];

  it('hands over her answers to a referral reply', () => {
    expect(handsToReferral(afterReferral, 'yes please')).toBe(true);
    expect(handsToReferral(afterReferral, 'what if he refuses?')).toBe(true);
    expect(handsToReferral(afterReferral, 'ok, what next?')).toBe(true);
  });

  it('leaves everyday coaching with the coach', () => {
    expect(handsToReferral(afterCoaching, 'yes please')).toBe(false);
    expect(handsToReferral(afterReferral, 'He slammed the door again tonight.')).toBe(false);
    expect(handsToReferral(afterCoaching, 'do we need a therapist?')).toBe(true);
  });
});
