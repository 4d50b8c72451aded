import { afterEach, describe, expect, it } from 'vitest';
import { ChatClient, createHarness, type Harness } from '../helpers/harness.js';
import { mockServer, streamingReply, testModel, useModelMock } from '../helpers/openai-mock.js';
import type { ChatModel, ModelRequest } from '../../src/llm/chat-model.js';
import { ModelUnavailableError } from '../../src/llm/errors.js';
import { findNames, Pseudonymiser, PseudonymisingModel } from '../../src/llm/pseudonymising-model.js';

const found = (text: string) => Object.fromEntries([...new Pseudonymiser(findNames([text])).mapping].map(([label, name]) => [name, label]));

describe('finding the names she writes', () => {
  it.each<[string, Record<string, string>]>([
    ['My son Jake slammed the door again.', { Jake: 'SON' }],
    ['my 15-year-old son, Jake, lies about everything', { Jake: 'SON' }],
    ["I'm Sarah, and my son won't talk to me.", { Sarah: 'MOTHER' }],
    ['My name is Sarah.', { Sarah: 'MOTHER' }],
    ['Jake said I never listen to him.', { Jake: 'PERSON_1' }],
    ['His friend Tom has been a bad influence.', { Tom: 'FRIEND' }],
    ['My husband Mark thinks I am too soft on him.', { Mark: 'HUSBAND' }],
    ['His grandmother Rose spoils him rotten.', { Rose: 'GRANDMOTHER' }],
    ['My mum Rose thinks I should ground him.', { Rose: 'HER_MOTHER' }],
    ['His teacher Mr Patel rang me today.', { 'Mr Patel': 'TEACHER' }],
    ['Jake, my son, is fifteen.', { Jake: 'SON' }],
    ['his name is jake and he is 15', { jake: 'SON' }],
    ["Me and Jake had a fight. I told Tom to go home. Amir's phone was on the table.", { Jake: 'PERSON_1', Tom: 'PERSON_2', Amir: 'PERSON_3' }],
    ['My son Will won\'t talk to me.', { Will: 'SON' }],
    ['His sister Hope told him off.', { Hope: 'SISTER' }],
    ['Faith said he was at her house all night.', { Faith: 'PERSON_1' }],
    ['My son Jake and my son Ben share a room.', { Jake: 'SON', Ben: 'SON_2' }],
  ])('%s', (text, expected) => {
    expect(found(text)).toEqual(expected);
  });

  it.each([
    'Will he ever talk to me again?',
    'I hope he calls. Hope is all I have left.',
    'I have faith in him. Faith in him is hard to keep some days.',
    'Today he slammed the door. Yesterday was fine. Tonight, my son refused dinner.',
    'Mum said I was too strict. Dad thinks I am too soft.',
    'We play Minecraft together on Sunday and he likes Maths.',
    'He said school is pointless. Everyone says it gets better.',
    'In May we argued about his phone every day.',
    'Things felt calmer today. Life feels like one long argument.',
    "I'm Irish, and I'm Catholic. I'm Exhausted.",
  ])('finds no name in: %s', (text) => {
    expect(findNames([text])).toEqual([]);
  });

  it('gives a name its relation from any message, even if it first appears without one', () => {
    const names = new Pseudonymiser(findNames(['Jake said I never listen.', 'My son Jake is 15.']));
    expect(names.mask('Jake said I never listen.')).toBe('[SON] said I never listen.');
  });
});

describe('masking and unmasking', () => {
  const names = Pseudonymiser.fromTexts(['My son Will is 15 and my husband Mark Jones works late. I\'m Sarah.']);

  it('replaces each name with the same placeholder everywhere, possessives and lower case too', () => {
    expect(names.mask("Will's room is a mess and Mark Jones never helps. I told Mark. jake? No, sarah.")).toBe(
      "[SON]'s room is a mess and [HUSBAND] never helps. I told [HUSBAND]. jake? No, [MOTHER].");
  });

  it('leaves a name that is also a word alone where it is used as the word', () => {
    expect(names.mask('Will he ever forgive me? I will try. Mark my words. Yesterday Will said sorry.'))
      .toBe('Will he ever forgive me? I will try. Mark my words. Yesterday [SON] said sorry.');
    expect(names.mask('My son Will is 15. Will said he hates me.')).toBe('My son [SON] is 15. [SON] said he hates me.');
  });

  it('restores names in what the model writes, and leaves other brackets alone', () => {
    expect(names.unmask('Try saying "[SON], I love you." Ask [HUSBAND] and [son] too. See [this link](x) and [NOTE].'))
      .toBe('Try saying "Will, I love you." Ask Mark and Will too. See [this link](x) and [NOTE].');
  });

  it.each([
    ['[ SON ] said', 'Will said'],
    ['[Son] said', 'Will said'],
    ['ask [HUSBAND1] tonight', 'ask Mark tonight'],
    ['ask [husband-1] tonight', 'ask Mark tonight'],
    ['ask [PERSON_9] too.', 'ask them too.'],
    ['Talk to [TEACHER] first.', 'Talk to his teacher first.'],
    ['Tell [COUSIN_2] later.', 'Tell later.'],
  ])('a misspelt or unknown placeholder %j is restored or replaced, never shown raw', (written, shown) => {
    expect(names.unmask(written)).toBe(shown);
  });

  it('a word caught by a weaker pattern is masked only as written, so a mistake cannot eat the everyday word', () => {
    const weak = Pseudonymiser.fromTexts(['Work told me to come in early, and Jake said he would cook.']);
    expect(weak.mask('I hate work. Work told me. jake cooked; Jake cooked.')).toBe('I hate work. [PERSON_1] told me. jake cooked; [PERSON_2] cooked.');
    const strong = Pseudonymiser.fromTexts(['My son Jake said he would cook.']);
    expect(strong.mask('jake cooked; JAKE cooked.')).toBe('[SON] cooked; [SON] cooked.');
  });

  it('takes names it is told about (memory, settings) even when the text does not introduce them', () => {
    const known = Pseudonymiser.fromTexts(['Zed stayed out again.'], [{ name: 'Zed', role: 'SON' }, 'Priya']);
    expect(known.mask('Zed stayed out again with Priya.')).toBe('[SON] stayed out again with [PERSON_1].');
  });
});

describe('unmasking a stream', () => {
  const names = Pseudonymiser.fromTexts(['My son Jake. I\'m Sarah.']);
  const run = (chunks: string[]) => {
    const unmasker = names.streamingUnmasker();
    const out = chunks.map((c) => unmasker.push(c));
    out.push(unmasker.flush());
    return out;
  };

  it('restores a placeholder split across chunks, holding back only the partial token', () => {
    const out = run(['Tell ', '[SO', 'N] that ', '[', 'MOTHER', ']', ' loves him.']);
    expect(out.join('')).toBe('Tell Jake that Sarah loves him.');
    expect(out[1]).toBe('');
    expect(out[2]).toBe('Jake that ');
  });

  it('restores a placeholder sent one character at a time', () => {
    expect(run([...'Hi [SON], and [MOTHER].']).join('')).toBe('Hi Jake, and Sarah.');
  });

  it('lets through brackets that are not placeholders, and a trailing "[" at the end', () => {
    expect(run(['a [note', ' here] and [x', 'y](url) [']).join('')).toBe('a [note here] and [xy](url) [');
  });
});

describe('the pseudonymising model', () => {
  class Recorder implements ChatModel {
    readonly info = { provider: 'openai' as const, model: 'recorder' };
    requests: ModelRequest[] = [];
    constructor(private readonly chunks: string[], private readonly failAfter = false) {}
    async *stream(request: ModelRequest): AsyncIterable<string> {
      this.requests.push(request);
      yield* this.chunks;
      if (this.failAfter) throw new ModelUnavailableError();
    }
  }
  const request = (text: string, context: Record<string, unknown> = {}): ModelRequest => ({
    task: 'coach', context,
    messages: [{ role: 'system', content: 'You are Mend.' }, { role: 'system', content: '- His name: Jake' }, { role: 'user', content: text }],
  });
  const collect = async (model: ChatModel, r: ModelRequest) => {
    let text = '';
    for await (const d of model.stream(r, new AbortController().signal)) text += d;
    return text;
  };

  it('sends no name to the inner model and shows her the names in the reply', async () => {
    const inner = new Recorder(['Maybe ', '[SO', 'N] needs time, ', '[MOTH', 'ER].']);
    const model = new PseudonymisingModel(inner);
    const text = await collect(model, { ...request("I'm Sarah. Jake said he hates me."), knownNames: [{ name: 'Jake', role: 'SON' }] });
    expect(text).toBe('Maybe Jake needs time, Sarah.');
    const sent = JSON.stringify(inner.requests[0]!.messages);
    expect(sent).not.toMatch(/Jake|Sarah/);
    expect(inner.requests[0]!.messages[2]!.content).toBe("I'm [MOTHER]. [SON] said he hates me.");
    expect(model.info).toEqual(inner.info);
  });

  it('numbers her people first, and a knowledge example\'s names get no relation, so they cannot take [SON] or [MOTHER] from her', async () => {
    const inner = new Recorder(['[SON] and [MOTHER].']);
    const r: ModelRequest = {
      task: 'coach', context: {},
      messages: [
        { role: 'system', content: 'Example: his mum, Leila, waited. My son Finn said nothing.' },
        { role: 'user', content: "I'm Sarah. My son Jake said nothing either." },
      ],
    };
    expect(await collect(new PseudonymisingModel(inner), r)).toBe('Jake and Sarah.');
    expect(inner.requests[0]!.messages[0]!.content).toBe('Example: his mum, [PERSON_1], waited. My son [PERSON_2] said nothing.');
  });

  it('uses the names a caller supplies', async () => {
    const inner = new Recorder(['ok']);
    const model = new PseudonymisingModel(inner, { names: () => [{ name: 'Zed', role: 'SON' }] });
    await collect(model, request('Zed stayed out.'));
    expect(inner.requests[0]!.messages[2]!.content).toBe('[SON] stayed out.');
  });

  it('passes a failure on after what was already said, keeping a held-back fragment', async () => {
    const inner = new Recorder(['Start. [PERS'], true);
    const out: string[] = [];
    await expect(async () => {
      for await (const d of new PseudonymisingModel(inner).stream(request('Hello.'), new AbortController().signal)) out.push(d);
    }).rejects.toBeInstanceOf(ModelUnavailableError);
    expect(out.join('')).toBe('Start. [PERS');
  });
});

describe('through the app, with an OpenAI-compatible endpoint', () => {
  useModelMock();
  let h: Harness | undefined;
  afterEach(async () => { await h?.close(); h = undefined; });

  it('the provider never receives her son\'s name or hers, and she reads them back', async () => {
    const bodies: unknown[] = [];
    mockServer.use(streamingReply(['It sounds hard for you, ', '[MOTH', 'ER]. Try telling ', '[SON]', ': "I miss you."'], bodies));
    h = await createHarness({ deps: { model: new PseudonymisingModel(testModel()) } });
    const client = await ChatClient.open(h);
    const first = await client.say("I'm Sarah. My son Jake called me a nag and slammed the door.");
    const second = await client.say('Jake still will not talk to me. Sarah, he said, just leave me alone.', { conversationId: first.conversationId });
    expect(second.text).toBe('It sounds hard for you, Sarah. Try telling Jake: "I miss you."');
    expect(bodies.length).toBeGreaterThanOrEqual(2);
    for (const body of bodies) {
      const sent = JSON.stringify(body);
      expect(sent).not.toContain('Jake');
      expect(sent).not.toContain('Sarah');
    }
    const last = bodies.at(-1) as { messages: Array<{ role: string; content: string }> };
    expect(last.messages.at(-1)).toEqual({ role: 'user', content: '[SON] still will not talk to me. [MOTHER], he said, just leave me alone.' });
    const stored = h.store.listMessages(first.conversationId);
    expect(stored[0]!.text).toContain('Jake');
    expect(stored.at(-1)!.text).toBe(second.text);
    client.close();
  });
});
