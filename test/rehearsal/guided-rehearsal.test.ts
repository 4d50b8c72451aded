import { afterEach, describe, expect, it } from 'vitest';
import { analyseLine } from '../../src/features/line-check/analyser.js';
import { loadKnowledgeDocuments } from '../../src/knowledge/knowledge-base.js';
import { ChatClient, createHarness, type Harness } from '../helpers/harness.js';
import { ASK_OPENLY, CLOSING_ADVICE, OPENING_ADVICE, PLAY_IT_BACK, SAY_HOW_YOU_FEEL, THANK_HIM } from '../../src/features/line-check/advice.js';
import { RehearsalKnowledge } from '../../src/features/line-check/rehearsal-knowledge.js';
import { markerSafety, noteOf, reactionOf, Rehearsal, sonOf, VAPE_SCENE, type ReplyEnd } from './rehearsal-helpers.js';

let h: Harness | undefined;
let rehearsals: Rehearsal[] = [];
afterEach(async () => {
  for (const r of rehearsals) r.close();
  rehearsals = [];
  await h?.close();
  h = undefined;
});

async function harness(deps: Parameters<typeof createHarness>[0] = {}): Promise<Harness> {
  h = await createHarness(deps);
  return h;
}

async function rehearsal(scene: Record<string, unknown> = VAPE_SCENE): Promise<{ r: Rehearsal; opening: ReplyEnd[] }> {
  const r = await Rehearsal.open(h ?? await harness());
  rehearsals.push(r);
  return { r, opening: await r.start(scene) };
}

const KNOWLEDGE_TEXT = loadKnowledgeDocuments().map((d) => d.markdown.replace(/\*\*/g, '')).join('\n');

const PHONE = { scene: 'His phone at the dinner table', age: 15, temperament: 'defensive' } as const;
const BLAMING = 'You\'re always on that phone. You never talk to us. It\'s so rude.';
const VALIDATING = 'I know the group chat matters to you and it\'s hard to miss things. I miss talking to you at dinner. What would make it work for you?';

describe('rehearsal in guided mode', () => {
  it('does not interrupt the practice with the counsellor suggestion for an ordinary hard subject, but still stops for real danger', async () => {
    const { r } = await rehearsal();
    await r.say('I found a vape in your jacket. I\'m worried and I want to hear your side.');
    expect(r.client.frames.filter((f) => f.type === 'safety')).toEqual([]);
    await r.say('Last night you pushed me into the wall and I was scared of you.');
    expect(r.client.frames.filter((f) => f.type === 'safety').map((f) => (f as { level: string }).level)).toEqual(['high']);
  });

  it('does not suggest thanking him in the line where she just did', async () => {
    const { r } = await rehearsal({ ...VAPE_SCENE, temperament: 'willing' });
    await r.say('I found a vape in your jacket. I\'m not going to yell. I\'m worried and I want to hear your side.');
    const replies = await r.say('Thanks for telling me. What do your friends say about it?');
    expect(noteOf(replies)).not.toMatch(/Try:\*\* .*thank him/i);
  });

  it('sets the scene with a short coach line, then he speaks first, in character', async () => {
    const { opening } = await rehearsal();
    expect(opening.map((r) => r.meta.voice)).toEqual(['coach-note', 'son']);
    expect(opening[0]!.text).toContain('"I want to talk about the vape I found"');
    expect(opening[0]!.text).toContain('16');
    expect(opening[1]!.text.length).toBeLessThan(60);
    expect(opening[1]!.text).not.toMatch(/coach|step|feel heard/i);
  });

  it('a blaming line and a validating line on the same topic get visibly different reactions and different notes', async () => {
    const { r: first } = await rehearsal(PHONE);
    const blamed = await first.say(BLAMING);
    const { r: second } = await rehearsal(PHONE);
    const validated = await second.say(VALIDATING);

    expect(blamed.map((x) => x.meta.voice)).toEqual(['son', 'coach-note']);
    expect(validated.map((x) => x.meta.voice)).toEqual(['son', 'coach-note']);
    expect(['push', 'flare', 'jab', 'shut']).toContain(reactionOf(blamed));
    expect(['soften', 'open']).toContain(reactionOf(validated));
    expect(sonOf(blamed)).not.toBe(sonOf(validated));
    // he answers the blame ("always"), and opens up about the phone when he is understood
    expect(sonOf(blamed)).toMatch(/always|not even true|Name one|phone|That's not/i);
    expect(sonOf(validated)).toMatch(/group chat|left out|on it a lot|how everyone talks|enjoy|sleep|stresses/i);

    const blameNote = noteOf(blamed);
    const validNote = noteOf(validated);
    expect(blameNote).not.toBe(validNote);
    const named = /\*\*Try:\*\* "([^"]+)"/.exec(blameNote)?.[1];
    expect(named && BLAMING.includes(named)).toBe(true); // the note names her own words that closed him up
    expect(blameNote).toContain('*Step 3 · Communicate calmly*');
    expect(validNote).toMatch(/\*\*Worked:\*\* "I know the group chat matters/);
    expect(validNote).toMatch(/went from wary to (listening|talking openly)/);
    expect(blameNote).toMatch(/went from wary to (on guard|shut down)/);
    expect(blamed.find((x) => x.meta.voice === 'coach-note')!.meta.steps).toContain('calm');
  });

  it('the coach notes quote the knowledge files and cite the sections they quote', async () => {
    const { r } = await rehearsal(PHONE);
    const replies = await r.say(BLAMING);
    const note = replies.find((x) => x.meta.voice === 'coach-note')!;
    const tryLine = note.text.split('\n').find((l) => l.startsWith('**Try:**'))!;
    const quoted = tryLine.split(/(?<=\.) /).filter((sentence) => sentence.length > 20 && KNOWLEDGE_TEXT.includes(sentence));
    expect(quoted).toEqual(['Describe what he did, not what he is.']);
    expect(note.meta.citations.length).toBeGreaterThan(0);
    for (const c of note.meta.citations) expect(c.id).toMatch(/^[a-z-]+#[a-z-]+$/);
  });

  it('his temperament changes how he closes up: a withdrawn boy goes quiet, an explosive one blows up', async () => {
    const { r: quiet } = await rehearsal({ ...PHONE, temperament: 'withdrawn' });
    const { r: loud } = await rehearsal({ ...PHONE, temperament: 'explosive' });
    const withdrawn = await quiet.say(BLAMING);
    const explosive = await loud.say(BLAMING);
    expect(reactionOf(withdrawn)).toBe('shut');
    expect(reactionOf(explosive)).toBe('flare');
    expect(sonOf(withdrawn).split(/\s+/).length).toBeLessThan(8);
    expect(sonOf(explosive).split(/\s+/).length).toBeGreaterThan(sonOf(withdrawn).split(/\s+/).length);
  });

  it('his mood carries across turns: patient, kind lines open him up step by step, and he never repeats a line', async () => {
    const { r, opening } = await rehearsal({ scene: 'He has gone silent with me for a week', age: 14, temperament: 'withdrawn' });
    const lines = [
      'I\'m not going to lecture you. I just miss you.',
      'That sounds like it\'s been a rough few weeks.',
      'No pressure. What\'s been the hardest bit?',
      'Thanks for telling me. I know you didn\'t have to.',
      'I\'m sorry I went on at you last week. That wasn\'t fair.',
      'What would make it easier to talk?',
    ];
    const his: string[] = [sonOf(opening)];
    const reactions: string[] = [];
    for (const line of lines) {
      const replies = await r.say(line);
      his.push(sonOf(replies));
      reactions.push(reactionOf(replies)!);
    }
    expect(reactions[0]).not.toBe('open');
    expect(reactions.at(-1)).toBe('open');
    expect(new Set(his).size).toBe(his.length);
  });

  it('never says the same line twice, even when she repeats herself', async () => {
    const { r, opening } = await rehearsal(VAPE_SCENE);
    const his = [sonOf(opening)];
    for (let i = 0; i < 6; i++) his.push(sonOf(await r.say('Why do you always do this? You\'re grounded.')));
    expect(new Set(his).size).toBe(his.length);
  });

  it('notes off: only his lines; notes back on: the notes return', async () => {
    const { r } = await rehearsal(VAPE_SCENE);
    const off = await r.say('Can we talk about what I found?', { notes: false });
    expect(off.map((x) => x.meta.voice)).toEqual(['son']);
    const stillOff = await r.say('I\'m not cross. I\'d like to understand.');
    expect(stillOff.map((x) => x.meta.voice)).toEqual(['son']);
    const on = await r.say('Thanks for hearing me out.', { notes: true });
    expect(on.map((x) => x.meta.voice)).toEqual(['son', 'coach-note']);
  });

  it('notes can be off from the first send: no scene note, he just speaks', async () => {
    const { opening } = await rehearsal({ ...VAPE_SCENE, notes: false });
    expect(opening.map((x) => x.meta.voice)).toEqual(['son']);
  });

  it('when the first send is a line to him rather than the scene, he answers it straight away', async () => {
    const r = await Rehearsal.open(await harness());
    rehearsals.push(r);
    const replies = await r.say('Can we talk about the vape I found?', VAPE_SCENE);
    expect(replies.map((x) => x.meta.voice)).toEqual(['son', 'coach-note']);
  });

  it('rewind deletes her last line and what came after, restores his mood, and he answers the new line as if the old one was never said', async () => {
    const good = 'I found a vape in your jacket. I\'m not going to yell. I\'m worried and I want to hear your side.';
    const { r: fresh } = await rehearsal(VAPE_SCENE);
    const firstTime = await fresh.say(good);

    const { r } = await rehearsal(VAPE_SCENE);
    const bad = await r.say('You always lie to me, I found your vape, you\'re grounded');
    const before = h!.store.listMessages(r.conversationId!);
    const rewound = await r.act('rehearsal.rewind');
    expect(rewound).toHaveLength(1);
    expect(rewound[0]!.meta.voice).toBe('coach-note');
    expect(rewound[0]!.text).toContain('he never heard "You always lie to me');
    const after = h!.store.listMessages(r.conversationId!);
    const gone = before.filter((m) => !after.some((a) => a.id === m.id));
    expect(gone.map((m) => m.text)).toEqual(['You always lie to me, I found your vape, you\'re grounded', ...bad.map((x) => x.text)]);
    expect((rewound[0]!.meta as { rehearsal?: { rewound?: string[] } }).rehearsal?.rewound).toEqual(gone.map((m) => m.id));

    const retried = await r.say(good);
    expect(sonOf(retried)).toBe(sonOf(firstTime));
    expect(reactionOf(retried)).toBe(reactionOf(firstTime));
    expect(noteOf(retried)).toBe(noteOf(firstTime));
  });

  it('rewind with no line of hers yet is refused with a clear message', async () => {
    const { r } = await rehearsal(VAPE_SCENE);
    const error = await r.fails({ type: 'action', action: 'rehearsal.rewind' });
    expect(error.code).toBe('bad_frame');
    expect(error.message).toMatch(/no line of yours to rewind/);
  });

  it('End rehearsal gives a debrief that is saved with the conversation', async () => {
    const { r } = await rehearsal(VAPE_SCENE);
    await r.say('You never tell me anything.');
    await r.say('Sorry. That came out wrong. I\'m worried about you, that\'s all. What\'s been going on?');
    const [debrief] = await r.act('rehearsal.end');
    expect(debrief!.meta.voice).toBe('debrief');
    for (const heading of ['**What went well**', '**The moments that turned it**', '**Your hardest line, said another way**', '**Steps to practise**']) {
      expect(debrief!.text).toContain(heading);
    }
    expect(debrief!.text).toContain('You said: "You never tell me anything."');
    expect(debrief!.meta.steps.length).toBeGreaterThan(0);
    const stored = h!.store.listMessages(r.conversationId!).filter((m) => m.meta.voice === 'debrief');
    expect(stored).toHaveLength(1);
    expect(stored[0]!.text).toBe(debrief!.text);
    expect(stored[0]!.status).toBe('complete');
    const listed = await h!.app.inject({ method: 'GET', url: `/api/conversations/${r.conversationId}`, headers: { cookie: h!.cookie } });
    expect(listed.body).toContain('Steps to practise');
  });

  it('regenerating his reply answers the same line again from the same mood', async () => {
    const { r } = await rehearsal(VAPE_SCENE);
    const first = await r.say('You always lie to me.');
    const from = r.client.frames.length;
    r.client.send({ type: 'regenerate', conversationId: r.conversationId, clientId: 'regen1' });
    await r.client.waitFor('reply.end', () => true, from);
    await r.client.waitFor('reply.end', (f) => f.meta.voice === 'coach-note', from);
    const again = r.client.frames.slice(from).filter((f): f is ReplyEnd => f.type === 'reply.end');
    expect(noteOf(again)).toBe(noteOf(first));
    expect(reactionOf(again)).toBe(reactionOf(first));
    const [debrief] = await r.act('rehearsal.end');
    expect(debrief!.text).toContain('over 1 line of yours');
  });

  it.each([
    [{ age: 16, temperament: 'explosive' }, /Set the scene first/],
    [{ scene: 'the vape', age: 12, temperament: 'explosive' }, /from 13 to 19/],
    [{ scene: 'the vape', age: 'sixteen', temperament: 'explosive' }, /from 13 to 19/],
    [{ scene: 'the vape', age: 16, temperament: 'angry' }, /Pick his temperament: withdrawn, defensive, explosive, sarcastic, willing/],
    [undefined, /Set the scene first/],
  ])('a first send with bad options %j is refused with a clear message', async (options, message) => {
    const r = await Rehearsal.open(h ?? await harness());
    rehearsals.push(r);
    const error = await r.fails({ type: 'send', text: 'I want to practise', mode: 'rehearse', ...(options ? { options } : {}) });
    expect(error.code).toBe('bad_frame');
    expect(error.message).toMatch(message);
  });

  it('bad options are refused before her message is stored: no ack, nothing saved, the same message resent with a scene is answered', async () => {
    const hh = h ?? await harness();
    const client = await ChatClient.open(hh);
    const owner = hh.cookie.split('=')[1]!.split('.')[0]!;
    const frame = { type: 'send', clientId: 'scene-1', text: 'I want to practise', mode: 'rehearse' };
    client.send({ ...frame, options: { scene: '', age: 16, temperament: 'explosive' } });
    const error = await client.waitFor('error');
    expect(error).toMatchObject({ code: 'bad_frame', clientId: 'scene-1' });
    expect(client.frames.some((f) => f.type === 'ack')).toBe(false);
    expect(hh.store.listConversations(owner)).toEqual([]);
    const from = client.frames.length;
    client.send({ ...frame, options: { scene: 'the vape I found', age: 16, temperament: 'explosive' } });
    const ack = await client.waitFor('ack', () => true, from);
    expect(ack.duplicate).toBe(false);
    await client.waitFor('reply.end', (f) => f.conversationId === ack.conversationId, from);
    client.close();
  });

  it('at high, the rehearsal pauses with a plain reply that says why; he does not speak; a calm line carries on', async () => {
    await harness({ deps: { safety: markerSafety({ 'hit me': 'high' }) } });
    const { r } = await rehearsal(VAPE_SCENE);
    await r.say('Can we talk about what I found?');
    const paused = await r.say('Last time he hit me when I brought it up.');
    expect(paused).toHaveLength(1);
    expect(paused[0]!.meta.voice).toBe('coach');
    expect(paused[0]!.text).toMatch(/paused the rehearsal/);
    expect(paused[0]!.text).toMatch(/sounds serious/);
    expect(paused[0]!.text).toMatch(/carry on where you left off/);
    const error = await r.fails({ type: 'action', action: 'rehearsal.rewind' });
    expect(error.message).toMatch(/paused for safety/);
    const resumed = await r.say('Okay. I\'m not cross, I just want to understand.');
    expect(resumed.map((x) => x.meta.voice)).toEqual(['son', 'coach-note']);
    const [debrief] = await r.act('rehearsal.end');
    expect(debrief!.text).not.toContain('hit me');
  });
});

describe('draft check ("before you say it") in guided mode', () => {
  async function check(text: string): Promise<ReplyEnd> {
    const r = await Rehearsal.open(h ?? await harness());
    rehearsals.push(r);
    const [reply] = await r.say(text, undefined, 'draft');
    return reply!;
  }

  it('keeps the request inside an ultimatum and lets the threat and the exasperation go', async () => {
    const reply = await check('You never listen to anything I say. Clean your room NOW or I\'m taking your phone for a month. I\'m sick of it.');
    const rewrite = /^> (.+)$/m.exec(reply.text)![1]!;
    expect(rewrite).toContain('I\'d like you to clean your room.');
    expect(rewrite).not.toMatch(/taking your phone|sick of it|never/i);
    expect(analyseLine(rewrite).heat).toBe(0);
  });

  it.each([
    ['clearly something is wrong with you, you never listen', /something is wrong with you/i, /"something is wrong with you" sounds like a charge/],
    ['Call me NOW or you can forget about Saturday', /forget about Saturday|NOW/, /"NOW" reads as shouting/],
  ])('never keeps a label, a threat or capitals in the rewrite, and names them: %s', async (text, kept, named) => {
    const reply = await check(text);
    const rewrite = /^> (.+)$/m.exec(reply.text)![1]!;
    expect(rewrite).not.toMatch(kept);
    expect(reply.text).toMatch(named);
    expect(reply.text).not.toMatch(/Nothing here is likely to put him on the defensive/);
  });

  it('says what may land badly and why, rewrites it in her own voice, and names one step', async () => {
    const reply = await check('You always lie to me, I found your vape, you\'re grounded');
    expect(reply.meta.voice).toBe('coach');
    expect(reply.text).toContain('**What may land badly**');
    expect(reply.text).toMatch(/"You always lie" sounds like a charge/);
    expect(reply.text).toMatch(/"you're grounded" turns the talk into a fight about the punishment/);
    const rewrite = /^> (.+)$/m.exec(reply.text)![1]!;
    expect(rewrite).toContain('I found your vape.');
    expect(rewrite).not.toMatch(/always|grounded/i);
    expect(rewrite.trim().endsWith('?')).toBe(true);
    expect(analyseLine(rewrite).heat).toBe(0);
    expect(reply.text).toContain('**Step to lean on: Step 3 · Communicate calmly.**');
    expect(reply.meta.steps).toEqual(['calm']);
    expect(reply.meta.citations[0]!.id).toBe('i-statements#how-to-do-it');
  });

  it('turns orders and sarcasm into requests and I-statements, keeping the parts that were fine', async () => {
    const reply = await check('Oh great, you finally came home. Put your phone on the table. I was frightened when you didn\'t answer.');
    const rewrite = /^> (.+)$/m.exec(reply.text)![1]!;
    expect(rewrite).toContain('I\'d like you to put your phone on the table.');
    expect(rewrite).toContain('I was frightened when you didn\'t answer.');
    expect(rewrite).not.toMatch(/Oh great|finally/);
  });

  it('a message that is already kind is left as it is', async () => {
    const reply = await check('I\'m sorry I shouted last night. That wasn\'t fair. What was going on for you?');
    expect(reply.text).toContain('Nothing here is likely to put him on the defensive');
    expect(reply.text).toContain('I would send it as it is.');
    expect(reply.text).toContain('**What already works**');
  });

  it('at high it sets the check aside and says why', async () => {
    await harness({ deps: { safety: markerSafety({ 'hit me': 'high' }) } });
    const reply = await check('If you hit me again I am calling the police.');
    expect(reply.text).toMatch(/set the draft check aside/);
    expect(reply.text).not.toContain('Said another way');
  });
});

describe('rehearsal advice is grounded and never keeps the harm', () => {
  it('every piece of advice the notes give points at a passage that exists in knowledge/', () => {
    const kit = new RehearsalKnowledge(loadKnowledgeDocuments());
    const refs = [...Object.values(CLOSING_ADVICE), ...Object.values(OPENING_ADVICE), ASK_OPENLY, SAY_HOW_YOU_FEEL, THANK_HIM, PLAY_IT_BACK].map((a) => a.ref);
    for (const ref of refs) expect(kit.quote(ref), JSON.stringify(ref)).toBeDefined();
  });

  it('harsh lines: the notes and the debrief never keep capitals, a label or a threat, and never praise them', async () => {
    const { r } = await rehearsal(VAPE_SCENE);
    const notes: string[] = [];
    for (const line of ['What the hell is this?', 'Clearly something is wrong with you.', 'GIVE IT TO ME NOW or you lose your phone for a month.']) {
      notes.push(noteOf(await r.say(line)));
    }
    const [debrief] = await r.act('rehearsal.end');
    for (const text of [...notes, debrief!.text]) {
      const examples = [...text.matchAll(/For example: "([^"]+)"|^> (.+)$/gm)].map((m) => m[1] ?? m[2]!);
      for (const example of examples) {
        expect(example).not.toMatch(/\b(?!I\b)[A-Z]{2,}\b/);
        expect(example).not.toMatch(/or you lose|wrong with you|what the hell/i);
      }
      expect(text).not.toMatch(/Step \d · [^*\n]+ For example/);
    }
    const wentWell = debrief!.text.split('**What went well**')[1]!.split('**')[0]!;
    expect(wentWell).not.toMatch(/what the hell|wrong with you|GIVE IT/i);
  });
});
