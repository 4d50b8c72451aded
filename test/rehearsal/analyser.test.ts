import { describe, expect, it } from 'vitest';
import { analyseLine, type Signal } from '../../src/features/line-check/analyser.js';

const signals = (text: string) => new Set(analyseLine(text).findings.map((f) => f.signal));

const LECTURE = 'When you come home this late I am up all night, and it is not just tonight, it is every weekend, and your father says the same, and your grades are slipping, and the school has called twice, and you do not even say hello when you come in, and I do everything around here, and I am tired of it, and things are going to have to change around here.';

describe('the message analyser', () => {
  it.each<[string, Signal[], Signal[]]>([
    ['You always lie to me', ['blame', 'absolute'], ['iStatement', 'brief']],
    ['You never listen to a word I say.', ['blame', 'absolute'], []],
    ['You\'re so selfish.', ['blame'], ['appreciation']],
    ['I feel like you don\'t care about anyone but yourself.', ['blame'], ['iStatement']],
    ['Oh great, so you DO know where the kitchen is.', ['sarcasm'], ['appreciation']],
    ['Well done, genius. Thanks a lot.', ['sarcasm'], ['appreciation']],
    ['You\'re grounded for a month.', ['threat'], []],
    ['What the hell is this', ['blame'], ['brief']],
    ['Clearly something is wrong with you.', ['blame'], []],
    ['Call me NOW or you can forget about Saturday', ['threat', 'shouting'], []],
    ['If you do that again I\'ll take your phone.', ['threat'], []],
    ['Clean your room or I\'m taking your phone for a month.', ['threat'], []],
    ['I\'m sick of it.', ['blame'], ['iStatement']],
    ['Put your phone down right now.', ['command'], ['curiosity']],
    ['You need to start taking school seriously.', ['command'], []],
    ['Why did you do that?', ['why'], ['curiosity', 'closedQuestion']],
    ['What happened, from your side?', ['curiosity'], ['why', 'closedQuestion']],
    ['Did you have a good day?', ['closedQuestion'], ['curiosity']],
    ['That sounds really unfair.', ['validation'], ['blame']],
    ['No wonder you\'re fed up.', ['validation'], []],
    ['I know you\'re upset, but you can\'t talk to me like that.', ['but'], ['validation']],
    ['I\'m sorry I shouted at you last night.', ['apology'], ['but']],
    ['I\'m sorry I yelled, but you drove me to it.', ['but'], ['apology']],
    ['I\'m sorry you feel that way.', [], ['apology']],
    ['I\'m worried when I don\'t know where you are.', ['iStatement'], ['blame']],
    ['Thanks for carrying the shopping in.', ['appreciation'], ['sarcasm']],
    ['I\'m not going to shout.', ['reassurance'], ['command']],
    ['Don\'t worry, you\'re not in trouble.', ['reassurance'], ['command']],
    ['Tell me more about it.', ['curiosity'], ['command']],
    ['I found a vape in your jacket.', ['fact'], ['blame']],
    [LECTURE, ['lecture'], ['brief']],
    ['When I was your age I did my homework without being asked.', ['lecture'], []],
    ['Love you. Have a good day.', ['appreciation', 'brief'], []],
  ])('%s', (text, present, absent) => {
    const found = signals(text);
    for (const s of present) expect(found, `expected ${s}`).toContain(s);
    for (const s of absent) expect(found, `did not expect ${s}`).not.toContain(s);
  });

  it('weighs blame and threats as heat, validation and curiosity as warmth', () => {
    const blaming = analyseLine('You always lie to me, I found your vape, you\'re grounded');
    const validating = analyseLine('I found a vape in your jacket. I\'m not going to yell. I\'m worried and I want to hear your side.');
    expect(blaming.heat).toBeGreaterThan(blaming.warmth);
    expect(validating.heat).toBe(0);
    expect(validating.warmth).toBeGreaterThan(blaming.warmth);
  });

  it('quotes her own words for each finding', () => {
    const { findings } = analyseLine('Honestly, you ALWAYS leave it to me.');
    expect(findings.find((f) => f.signal === 'absolute')?.match).toBe('you ALWAYS');
  });

  it('reads curly apostrophes the way it reads straight ones', () => {
    expect(signals('You’re grounded. I’m not going to shout though.')).toEqual(signals('You\'re grounded. I\'m not going to shout though.'));
  });
});
