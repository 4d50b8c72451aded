import { describe, expect, it } from 'vitest';
import type { ChatModel, ModelRequest } from '../../src/llm/chat-model.js';
import { PseudonymisingModel } from '../../src/llm/pseudonymising-model.js';

/** What the provider would receive: the inner model records each request's message text. */
function capture(): { model: PseudonymisingModel; sent: string[] } {
  const sent: string[] = [];
  const inner: ChatModel = {
    info: { provider: 'openai', model: 'capture' },
    async *stream(request: ModelRequest) { sent.push(request.messages.map((m) => m.content).join('\n')); yield 'ok'; },
  };
  return { model: new PseudonymisingModel(inner), sent };
}

async function sentFor(messages: ModelRequest['messages'], task: ModelRequest['task'] = 'coach'): Promise<string> {
  const { model, sent } = capture();
  for await (const _ of model.stream({ task, messages, context: undefined }, new AbortController().signal)) { /* drain */ }
  return sent[0]!;
}

/** Her sentence, and the names that must not reach the provider. */
const CASES: Array<[string, string[]]> = [
  ['My son Jake slammed the door again.', ['Jake']],
  ['my son jayden won\'t talk to me', ['jayden']],
  ['my son jayden said he hates me', ['jayden']],
  ['MY SON JAYDEN SAID HE HATES ME', ['JAYDEN']],
  ['JAYDEN SAID I NEVER LISTEN', ['JAYDEN']],
  ['Thanks, Sarah', ['Sarah']],
  ['That helps. Thank you, Maria x', ['Maria']],
  ['I will try that tonight. Love, claire', ['claire']],
  ['He went out with Tyler and Liam until 2am.', ['Tyler', 'Liam']],
  ['He was hanging out with Brandon again.', ['Brandon']],
  ['He stayed at Kai\'s house all weekend.', ['Kai']],
  ['He spends all his time with Tyler, Liam and Noah.', ['Tyler', 'Liam', 'Noah']],
  ['His friend Tom has been a bad influence.', ['Tom']],
  ['My husband Mark thinks I am too soft on him.', ['Mark']],
  ['my husband dave is no help', ['dave']],
  ['His name is Oliver and he is 15.', ['Oliver']],
  ['his name is oliver', ['oliver']],
  ['my son jayden is 15 and JAYDEN hates school', ['jayden', 'JAYDEN']],
  ['Me and Ethan had a fight about his phone.', ['Ethan']],
  ['I told Ethan to go to his room.', ['Ethan']],
  ['Ethan\'s room is a mess.', ['Ethan']],
  ['I\'m Sarah, and my son won\'t talk to me.', ['Sarah']],
  ['My name is sarah.', ['sarah']],
  ['Jake, my son, is fifteen.', ['Jake']],
  ['My 15-year-old son, Jake, lies about everything.', ['Jake']],
  ['My daughter Mia and my son Leo fight all the time.', ['Mia', 'Leo']],
  ['His girlfriend Chloe dumped him.', ['Chloe']],
  ['My mum Rose thinks I should ground him.', ['Rose']],
  ['Faith said he was at her house all night.', ['Faith']],
  ['He is always out with Jordan and Callum.', ['Jordan', 'Callum']],
];

describe('her names never reach the provider (30 sentences, checked in the request body)', () => {
  it.each(CASES)('%s', async (sentence, names) => {
    const body = await sentFor([{ role: 'system', content: 'You are a coach.' }, { role: 'user', content: sentence }]);
    for (const name of names) expect(body).not.toMatch(new RegExp(`(?<![\\p{L}])${name}(?![\\p{L}])`, 'u'));
  });

  it.each([
    ['He said he hates me and I hate how it went.', 'hates'],
    ['my son is 15 and my son never listens', 'never'],
    ['Thanks, again', 'again'],
    ['I went out with my sister and we talked.', 'sister'],
  ])('leaves ordinary words alone: %s', async (sentence, word) => {
    expect(await sentFor([{ role: 'user', content: sentence }])).toContain(word);
  });

  it('a name from the knowledge base (a worked example) never becomes her son\'s placeholder', async () => {
    const { model, sent } = capture();
    const request: ModelRequest = {
      task: 'coach', context: undefined,
      messages: [
        { role: 'system', content: 'Example: my son Liam slammed the door; his mother waited until he came down.' },
        { role: 'user', content: 'My son slammed the door and won\'t come out.' },
      ],
    };
    for await (const _ of model.stream(request, new AbortController().signal)) { /* drain */ }
    expect(sent[0]).not.toContain('Liam');
    expect(sent[0]).not.toContain('[SON]');
  });

  it('the brief\'s request masks as much as chat does', async () => {
    const { briefRequest } = await import('../../src/features/referral/brief-draft.js');
    const statements = ['my son jayden won\'t talk to me', 'He went out with Tyler and Liam until 2am.', 'Thanks, Sarah'];
    const request = await briefRequest(statements, 0);
    const { model, sent } = capture();
    for await (const _ of model.stream(request, new AbortController().signal)) { /* drain */ }
    for (const name of ['jayden', 'Tyler', 'Liam', 'Sarah']) expect(sent[0]).not.toContain(name);
  });
});
