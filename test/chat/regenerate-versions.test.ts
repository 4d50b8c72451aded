import { afterEach, describe, expect, it } from 'vitest';
import { ChatClient, createHarness, type Harness } from '../helpers/harness.js';

let h: Harness | undefined;
afterEach(async () => { await h?.close(); h = undefined; });

describe('writing a reply again', () => {
  it('keeps the earlier versions with the new reply (1/3, 2/3, 3/3), stored, while the conversation holds one reply', async () => {
    h = await createHarness();
    const client = await ChatClient.open(h);
    const first = await client.say('We argued about his phone and he slammed the door.');
    const again = async (clientId: string) => {
      const from = client.frames.length;
      client.send({ type: 'regenerate', conversationId: first.conversationId, clientId });
      return client.waitFor('reply.end', () => true, from);
    };
    const second = await again('again1');
    expect(second.meta.versions?.map((v) => v.text)).toEqual([first.text]);
    const third = await again('again2');
    expect(third.meta.versions?.map((v) => v.text)).toEqual([first.text, second.text]);

    const detail = (await h.app.inject({ method: 'GET', url: `/api/conversations/${first.conversationId}`, headers: { cookie: h.cookie } })).json();
    const replies = detail.messages.filter((m: { role: string }) => m.role === 'assistant');
    expect(replies).toHaveLength(1);
    expect(replies[0].text).toBe(third.text);
    expect(replies[0].meta.versions.map((v: { text: string }) => v.text)).toEqual([first.text, second.text]);
    client.close();
  });
});
