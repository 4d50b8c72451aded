import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';
import { noteOf, reactionOf, Rehearsal, sonOf, transcript, VAPE_SCENE } from './rehearsal-helpers.js';

/**
 * Tried as a new user would: she rehearses the talk about the vape with an explosive
 * 16-year-old, first badly, then well, and ends for a debrief. The transcript is printed.
 */
const BAD = 'You always lie to me, I found your vape, you\'re grounded';
const GOOD = 'I found a vape in your jacket. I\'m not going to yell. I\'m worried and I want to hear your side.';

let h: Harness | undefined;
afterEach(async () => { await h?.close(); h = undefined; });


describe('a new user rehearses the vape talk', () => {
  it('badly, then well: he reacts differently, the notes say why, and so does the debrief', async () => {
    h = await createHarness();
    const r = await Rehearsal.open(h);
    const opening = await r.start(VAPE_SCENE);
    const bad = await r.say(BAD);
    const good = await r.say(GOOD);
    const [debrief] = await r.act('rehearsal.end');
    r.close();
    console.log(`\n${transcript([
      { her: `(scene) ${VAPE_SCENE.scene} · age ${VAPE_SCENE.age} · ${VAPE_SCENE.temperament}`, replies: opening },
      { her: BAD, replies: bad }, { her: GOOD, replies: good }, { action: 'End rehearsal', replies: [debrief!] },
    ])}\n`);

    // badly: he blows up, at the accusation and the punishment rather than the vape
    expect(reactionOf(bad)).toBe('flare');
    expect(sonOf(bad)).toMatch(/liar/i);
    expect(sonOf(bad)).toMatch(/grounded/i);
    expect(noteOf(bad)).toContain('went from wary to shut down');
    expect(noteOf(bad)).toMatch(/\*\*Try:\*\* "You always lie" sounds like a charge he has to defend/);
    expect(noteOf(bad)).toContain('For example: "I found your vape.');

    // well: same subject, and he starts to talk
    expect(['soften', 'open']).toContain(reactionOf(good));
    expect(sonOf(good)).not.toMatch(/!/);
    expect(sonOf(good)).toMatch(/not mad|not going to yell|sometimes|tried|Sam/i);
    expect(noteOf(good)).toContain('went from shut down to on guard');
    expect(noteOf(good)).toMatch(/\*\*Worked:\*\* "I'm not going to yell" takes the fight out of it/);

    // the debrief says why
    const text = debrief!.text;
    expect(debrief!.meta.voice).toBe('debrief');
    expect(text).toContain('The subject never changed; what changed his answers was how you said it.');
    expect(text).toMatch(/"You always lie to me, I found your vape, you're grounded": he went from wary to shut down\. "You always lie" sounds like a charge/);
    expect(text).toMatch(/"you're grounded" turns the talk into a fight about the punishment/);
    expect(text).toMatch(/he went from shut down to on guard\. "I'm not going to yell" takes the fight out of it/);
    expect(text).toMatch(/\*\*Your hardest line, said another way\*\*\nYou said: "You always lie to me, I found your vape, you're grounded"/);
    expect(text).toContain('> I found your vape. I want to be able to trust what you tell me.');
    expect(text).toMatch(/\*\*Step 3 · Communicate calmly\*\*/);
  });

  it('with a rewind instead: he never hears the bad line, and the debrief remembers what she changed', async () => {
    h = await createHarness();
    const r = await Rehearsal.open(h);
    const opening = await r.start(VAPE_SCENE);
    const bad = await r.say(BAD);
    const rewound = await r.act('rehearsal.rewind');
    const good = await r.say(GOOD);
    const [debrief] = await r.act('rehearsal.end');
    r.close();
    console.log(`\n${transcript([
      { her: `(scene) ${VAPE_SCENE.scene} · age ${VAPE_SCENE.age} · ${VAPE_SCENE.temperament}`, replies: opening },
      { her: BAD, replies: bad }, { action: 'Rewind', replies: rewound }, { her: GOOD, replies: good }, { action: 'End rehearsal', replies: [debrief!] },
    ])}\n`);

    expect(reactionOf(good)).toBe('open');
    expect(noteOf(good)).toContain('went from wary to listening');
    expect(debrief!.text).toContain('**What you changed**');
    expect(debrief!.text).toContain(`You took back "${BAD}" (he blew up) and said "${GOOD}" instead (he opened up).`);
    expect(debrief!.text).toContain('The subject never changed; what changed his answers was how you said it.');
    const stored = h.store.listMessages(r.conversationId!).map((m) => m.text);
    expect(stored).not.toContain(BAD);
  });
});
