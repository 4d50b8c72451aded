import { savedBrief } from '../../src/features/referral/index.js';
import { afterEach, describe, expect, it } from 'vitest';
import { ChatClient, createHarness, type Harness } from '../helpers/harness.js';
import { asksForReferral } from '../../src/features/referral/referral-mode.js';
import type { SafetyGate } from '../../src/chat/safety-gate.js';
import { levelGate, referralChat, THREE_WEEKS } from './referral-helpers.js';

let h: Harness | undefined;
afterEach(async () => { await h?.close(); h = undefined; });

const OFFER = 'Would you like me to draft a one-page summary you can bring?';
const strainedGate = levelGate({ 'three weeks': { level: 'strained', atRisk: ['relationship'] } });

async function start(safety: SafetyGate = strainedGate): Promise<Harness> {
  h = await createHarness({ deps: { safety } });
  return h;
}

const brief = async (conversationId: string) =>
  h!.app.inject({ method: 'GET', url: `/api/conversations/${conversationId}/brief`, headers: { cookie: h!.cookie } });

describe('"we haven\'t spoken in three weeks": a new user asking for help, guided mode', () => {
  it('is recognised as a request for help, so coach mode can hand the turn over', () => {
    expect(asksForReferral(THREE_WEEKS)).toBe(true);
  });

  it('names a family therapist with her own words as the reason, US ways to find one, and offers the brief, in one reply', async () => {
    const [end] = await referralChat(await start(), [THREE_WEEKS], { region: 'US' });
    const text = end!.text;
    expect(text).toContain('**A family therapist.**');
    expect(text).toContain('You said “we haven\'t spoken in three weeks and every time I try he walks out”');
    expect(text).toContain('Where to start in the US');
    expect(text).toContain('Psychology Today therapist finder');
    expect(text).toContain('AAMFT therapist locator');
    expect(text).toMatch(/health insurance, call the member services number on your card/);
    expect(text).toContain('His school');
    expect(text).toContain(OFFER);
    expect(text).not.toContain('Samaritans');
    expect(end!.meta.steps).toEqual(['seek-help']);
    expect(end!.meta.citations.map((c) => c.id)).toContain('kinds-of-help#family-therapist');
    expect(end!.meta).toMatchObject({ referral: { kinds: ['family-therapist'], brief: 'offer', region: 'US' } });
  });

  it('in the UK points to the GP and the NHS route and the UK directory, not US ones', async () => {
    const [end] = await referralChat(await start(), [THREE_WEEKS], { region: 'UK' });
    expect(end!.text).toContain('Where to start in the UK');
    expect(end!.text).toContain('NHS urgent mental health help');
    expect(end!.text).toMatch(/On the NHS, your GP can refer him/);
    expect(end!.text).toContain('**Your GP:**');
    expect(end!.text).not.toMatch(/Psychology Today|insurance card|pediatrician/);
    expect(end!.text).toContain(OFFER);
  });

  it('at strained makes a warm suggestion, not an urgent one', async () => {
    const [end] = await referralChat(await start(), [THREE_WEEKS], { region: 'US' });
    expect(end!.text).toMatch(/^That sounds really hard, and asking is a strong step/);
    expect(end!.text).not.toMatch(/this week|911/);
  });

  it('moves on in the second turn: the first call, inviting him, and what if he refuses, then offers the brief again', async () => {
    const [first, second] = await referralChat(await start(), [THREE_WEEKS, 'ok, what do I do next?'], { region: 'US' });
    const text = second!.text;
    for (const title of ['**The first call**', '**Inviting him**', '**If he says no**']) expect(text).toContain(title);
    expect(text).toMatch(/Questions worth asking:\n- \*\*Experience:\*\*/);
    expect(text).toContain('> “This isn\'t because you\'re in trouble. It\'s for both of us.”');
    expect(text).toMatch(/You can start on your own/);
    expect(text).toContain(OFFER);
    expect(text).not.toContain('Who could help');
    expect(text).not.toContain('Where to start');
    expect(first!.text).not.toContain('**The first call**');
    expect(savedBrief(h!.store, second!.conversationId)).toBeUndefined();
  });

  it('drafts and saves the brief when she says yes, from her words, and says so', async () => {
    const [, yes] = await referralChat(await start(), [THREE_WEEKS, 'yes please'], { region: 'US' });
    expect(yes!.text).toMatch(/^I’ve drafted your counsellor brief from your own words/);
    expect(yes!.meta).toMatchObject({ referral: { brief: 'drafted' } });
    expect(yes!.text).toContain('**The first call**');
    const saved = await brief(yes!.conversationId);
    expect(saved.statusCode).toBe(200);
    const { markdown, edited } = saved.json().brief as { markdown: string; edited: boolean };
    expect(edited).toBe(false);
    expect(markdown).toContain('- We haven\'t spoken in three weeks.');
    expect(markdown).toContain('- Every time I try he walks out.');
    expect(markdown).not.toMatch(/yes please|should we get help/i);
  });

  it('takes "not now" for an answer and stops offering', async () => {
    const ends = await referralChat(await start(), [THREE_WEEKS, 'no thanks', 'what should I ask when I call them?'], { region: 'US' });
    expect(ends[1]!.text).toContain('If you’d like the summary later, just ask.');
    expect(ends[2]!.text).toContain('**The first call**');
    expect(ends.slice(1).some((e) => e.text.includes(OFFER))).toBe(false);
    expect((await brief(ends[0]!.conversationId)).statusCode).toBe(404);
  });

  it('answers what she asks about, then what is left, then wraps up without repeating itself', async () => {
    const ends = await referralChat(await start(), [THREE_WEEKS, 'what if he refuses to go?', 'ok', 'how much will it cost?', 'and then?', 'thanks'], { region: 'US' });
    const texts = ends.map((e) => e.text);
    expect(texts[1]).toContain('**If he says no**');
    expect(texts[1]).not.toContain('**The first call**');
    expect(texts[2]).toMatch(/drafted your counsellor brief/); // a bare "ok" to the offer is a yes
    expect(texts[2]).toContain('**The first call**');
    expect(texts[2]).toContain('**Inviting him**');
    expect(texts[2]).not.toContain('**If he says no**');
    expect(texts[3]).toContain('**Keeping the cost down**');
    expect(texts[4]).toContain('**What to bring to the first appointment**');
    expect(texts[4]).toContain('Your counsellor brief already covers most of this.');
    expect(texts[5]).toMatch(/^You have what you need for the next step/);
    const firstCallCount = texts.filter((t) => t.includes('**The first call**')).length;
    expect(firstCallCount).toBe(1);
  });

  it('writes the same reply again on regenerate instead of moving on', async () => {
    await start();
    const client = await ChatClient.open(h!);
    const first = await client.say(THREE_WEEKS, { mode: 'referral', region: 'US' });
    const from = client.frames.length;
    client.send({ type: 'regenerate', conversationId: first.conversationId, clientId: 'again1' });
    const again = await client.waitFor('reply.end', () => true, from);
    expect(again.text).toBe(first.text);
    client.close();
  });
});

describe('referral at the high and crisis levels', () => {
  const gate = levelGate({
    shoved: { level: 'high', atRisk: ['mother-safety'] },
    'sleeps all day': { level: 'high', atRisk: ['son-self-harm'] },
    knife: { level: 'crisis', atRisk: ['son-self-harm'] },
  });

  it('when she is being hurt, recommends calling the domestic-violence line this week, with emergency services for right now', async () => {
    const [end] = await referralChat(await start(gate), ['He shoved me against the wall last night and I am scared of him. Should we see someone?'], { region: 'US' });
    const text = end!.text;
    const firstParagraph = text.split('\n\n')[0]!;
    expect(firstParagraph).toMatch(/^\*\*I’d recommend calling someone this week\*\*/);
    expect(firstParagraph).toContain('National Domestic Violence Hotline');
    expect(firstParagraph).toContain('1-800-799-7233');
    expect(firstParagraph).toContain('call **911**');
    expect(text).toContain('**Domestic-violence services.** You said “He shoved me against the wall last night and I am scared of him”.');
    expect(text.indexOf('Domestic-violence services.')).toBeLessThan(text.indexOf('Where to start'));
  });

  it('for low mood, points to a psychologist and the family doctor, with the fitting line to call this week', async () => {
    const [end] = await referralChat(await start(gate), ['He sleeps all day and seems really low. Do we need a therapist?'], { region: 'UK' });
    expect(end!.text).toContain('**A psychologist who works with teenagers.**');
    expect(end!.text).toContain('**Your GP.**');
    expect(end!.text.split('\n\n')[0]).toContain('Samaritans');
    expect(end!.text.split('\n\n')[0]).toContain('call **999**');
    expect(end!.meta).toMatchObject({ referral: { kinds: ['adolescent-psychologist', 'family-doctor'] } });
  });

  it('in a crisis puts emergency services first and does not offer paperwork', async () => {
    const crisisGate = levelGate({ knife: { level: 'crisis', atRisk: ['son-self-harm'] } });
    const [end] = await referralChat(await start(crisisGate), ['He said he wants to die and he has a knife. Who do we call?'], { region: 'US' });
    expect(end!.text).toMatch(/^\*\*If you or anyone else is in danger right now, call 911\.\*\* \*\*988 Suicide & Crisis Lifeline\*\*/);
    expect(end!.text).not.toContain(OFFER);
  });
});
