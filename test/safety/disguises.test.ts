import { describe, expect, it } from 'vitest';
import { screenMessage, screenModelOutput } from '../../src/safety/index.js';

describe('her message in disguise still gets the screen it would plainly', () => {
  it.each([
    ['I want to k1ll mys3lf', 'crisis'],
    ['i want to k i l l myself', 'crisis'],
    ['I want to kill\u200B myself', 'crisis'],
    ['I want to **kill** myself', 'crisis'],
    ['he said he wants to k!ll h1mself', 'crisis'],
  ])('%j is %s', (text, level) => {
    expect(screenMessage(text, { region: 'US' }).level).toBe(level);
  });

  it.each([
    ['u r a liar and i hate you', 'not crisis'],
    ['we went to the b and q store', 'not crisis'],
  ])('spelled-out letters that are ordinary chat stay ordinary: %j', (text) => {
    expect(screenMessage(text, { region: 'US' }).level).not.toBe('crisis');
  });
});

describe('common Spanish crisis phrases (rule data in knowledge/safety/rules/ideation-es.json)', () => {
  it.each([
    ['Quiero suicidarme esta noche', 'crisis'],
    ['me voy a suicidar', 'crisis'],
    ['Mi hijo dice que se quiere matar', 'crisis'],
    ['ya no quiero vivir', 'crisis'],
    ['quiero morirme', 'crisis'],
    ['estaría mejor muerta', 'crisis'],
    ['voy a quitarme la vida', 'crisis'],
    ['quiero acabar con mi vida', 'crisis'],
    ['mi hijo se corta los brazos', 'high'],
    ['mi hijo se hace daño', 'high'],
    ['Discutimos por su teléfono y cerró la puerta', 'calm'],
    ['Quiero hablar con mi hijo esta noche', 'calm'],
  ])('%j is %s', (text, level) => {
    expect(screenMessage(text, { region: 'US' }).level).toBe(level);
  });
});

describe('the output rail sees through disguises', () => {
  it.each([
    'A **lethal** **dose** is about 30 _tablets_',
    'l3thal d0se',
    'e f f e c t i v e way to d i e',
    'the most\u200B effective way to die',
    'the ~~surest~~ way to die',
  ])('flags %j', (text) => {
    expect(screenModelOutput(text).ok).toBe(false);
  });

  it.each([
    'It is **really** hard when he shuts the door.',
    'Try an _effective_ way to start the talk: ask about his day.',
  ])('passes ordinary emphasis: %j', (text) => {
    expect(screenModelOutput(text).ok).toBe(true);
  });
});

describe('a message in a language Mend does not screen yet', () => {
  it('gets the region\'s crisis lines and a plain note that Mend understands English only, not coaching', async () => {
    const { ChatClient, createHarness } = await import('../helpers/harness.js');
    const h = await createHarness();
    try {
      const client = await ChatClient.open(h);
      const end = await client.say('Mi hijo no me habla desde hace una semana y no sé qué hacer con él.', { region: 'US' });
      expect(end.text).toMatch(/only understands English/);
      expect(end.text).toMatch(/988/);
      expect(end.meta.fixed).toBe(true);
      const english = await client.say('My son has not spoken to me for a week and I do not know what to do.', { conversationId: end.conversationId });
      expect(english.text).not.toMatch(/only understands English/);
      client.close();
    } finally {
      await h.close();
    }
  });

  it.each([
    ['Mi hijo no me habla desde hace una semana', true],
    ['Mon fils ne me parle plus depuis une semaine', true],
    ['Mein Sohn redet nicht mehr mit mir und ich bin sehr traurig', true],
    ['My son said "no es justo" and slammed the door', false],
    ['He loves tacos and el clasico on Sunday', false],
    ['ok', false],
  ])('%j → %s', async (text, expected) => {
    const { looksUnscreenedLanguage } = await import('../../src/safety/index.js');
    expect(looksUnscreenedLanguage(text)).toBe(expected);
  });
});
