import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChatModel } from '../../src/llm/chat-model.js';
import { StoreError, type ConversationStore } from '../../src/store/conversation-store.js';
import { ChatClient, createHarness, type Harness } from '../helpers/harness.js';

let h: Harness | undefined;
afterEach(async () => { vi.restoreAllMocks(); await h?.close(); h = undefined; });

/** A model that says a few sentences with pauses, so progress saves happen part-way. */
const slowModel: ChatModel = {
  info: { provider: 'openai', model: 'slow' },
  async *stream(_request, signal) {
    for (let i = 0; i < 6 && !signal.aborted; i++) {
      yield `Sentence ${i} of a calm reply about listening first. `;
      await new Promise((r) => setTimeout(r, 30));
    }
  },
};

const full = () => new StoreError('Your conversation could not be saved just now (storage problem). Nothing was half-written; please try again.', { cause: Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }) });

type Write = 'appendMessage' | 'setSafety' | 'appendReplyProgress' | 'finishReply';

/** Makes the `nth` call of one store write fail as a full disk would. */
function failOnce(store: ConversationStore, method: Write, nth: number): void {
  const original = store[method].bind(store) as (...args: unknown[]) => unknown;
  let calls = 0;
  vi.spyOn(store, method).mockImplementation(((...args: unknown[]) => {
    if (++calls === nth) throw full();
    return original(...args);
  }) as never);
}

function rows(store: ConversationStore, owner: string) {
  return store.listConversations(owner).flatMap((c) => store.listMessages(c.id));
}

describe('a storage failure at any write of a turn leaves every row in a final state', () => {
  it.each([
    ['her message', 'appendMessage', 1],
    ['the safety level', 'setSafety', 1],
    ['the reply row', 'appendMessage', 2],
    ['the first progress save', 'appendReplyProgress', 1],
    ['a later progress save', 'appendReplyProgress', 2],
    ['the final save', 'finishReply', 1],
  ] as const)('%s', async (_label, method, nth) => {
    h = await createHarness({ env: { MEND_MAX_REPLY_CHARS: '100000' }, deps: { model: slowModel, progressSaveMs: 0 } });
    failOnce(h.store, method as Write, nth);
    const client = await ChatClient.open(h);
    client.send({ type: 'send', clientId: 'c1', text: 'He slammed the door again.' });
    const outcome = await Promise.race([
      client.waitFor('reply.end', () => true, 0, 5000),
      client.waitFor('error', () => true, 0, 5000),
    ]);
    const owner = h.cookie.split('=')[1]!.split('.')[0]!;
    expect(rows(h.store, owner).filter((m) => m.status === 'streaming')).toEqual([]);
    if (outcome.type === 'reply.end') {
      expect(outcome.status).toBe('failed');
      expect(outcome.error?.code).toBe('storage');
      // Truthful: it does not claim nothing was written; her message is kept and so is what was saved of the reply.
      expect(outcome.error?.message).toMatch(/Your message is saved/);
      const stored = rows(h.store, owner).find((m) => m.id === outcome.replyId)!;
      expect(stored.status).toBe('failed');
      expect(outcome.text.startsWith(stored.text)).toBe(true);
    } else {
      expect(outcome.code).toBe('storage');
    }
    // Storage is back: the next message works (a resend of the same message is answered, not only "duplicate").
    const end = await client.say('Can we try again?', outcome.conversationId ? { conversationId: outcome.conversationId } : {});
    expect(end.status).toBe('complete');
    client.close();
  });

  it('when even the status cannot be written, the row is closed as failed once writing works again', async () => {
    h = await createHarness({ deps: { model: slowModel } });
    failOnce(h.store, 'appendReplyProgress', 1);
    const markReplyFailed = vi.spyOn(h.store, 'markReplyFailed').mockReturnValueOnce(false);
    const client = await ChatClient.open(h);
    const first = await client.say('He slammed the door again.');
    expect(first.status).toBe('failed');
    expect(h.store.getMessage(first.replyId)!.status).toBe('streaming');
    await client.say('Are you there?', { conversationId: first.conversationId });
    expect(markReplyFailed).toHaveBeenCalledTimes(2);
    expect(h.store.getMessage(first.replyId)!.status).toBe('failed');
    client.close();
  });

  it('a real SQLITE_FULL part-way through a reply (the database cannot grow): row failed, what was saved kept', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mend-full-'));
    let fill: (() => void) | undefined;
    const model: ChatModel = {
      info: { provider: 'openai', model: 'filler' },
      async *stream() {
        yield 'The first words arrive and are saved at once. ';
        await new Promise((r) => setTimeout(r, 20));
        fill!();
        for (let i = 0; i < 50; i++) {
          yield `${'More text that needs new pages on disk. '.repeat(50)}`;
          await new Promise((r) => setTimeout(r, 5));
        }
      },
    };
    h = await createHarness({ databasePath: join(dir, 'mend.db'), env: { MEND_MAX_REPLY_CHARS: '1000000' }, deps: { model, progressSaveMs: 0 } });
    fill = () => { h!.db.pragma(`max_page_count = ${h!.db.pragma('page_count', { simple: true }) as number}`); };
    const client = await ChatClient.open(h);
    const end = await client.say('He slammed the door again.');
    expect(end.status).toBe('failed');
    expect(end.error).toEqual({ code: 'storage', message: expect.stringContaining('disk may be full') });
    const stored = h.store.getMessage(end.replyId)!;
    expect(stored.status).toBe('failed');
    expect(stored.text.startsWith('The first words arrive')).toBe(true);
    client.close();
  });
});

describe('progress saves append what is new', () => {
  it('the database grows with the reply, not with its square', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mend-wal-'));
    const chunk = 'A steady sentence about listening to him first. ';
    const model: ChatModel = {
      info: { provider: 'openai', model: 'steady' },
      async *stream() { for (let i = 0; i < 4000; i++) yield chunk; },
    };
    h = await createHarness({ databasePath: join(dir, 'mend.db'), env: { MEND_MAX_REPLY_CHARS: '1000000' }, deps: { model, progressSaveMs: 0 } });
    let written = 0;
    const original = h.store.appendReplyProgress.bind(h.store);
    vi.spyOn(h.store, 'appendReplyProgress').mockImplementation((id, text) => { written += text.length; original(id, text); });
    const client = await ChatClient.open(h);
    const end = await client.say('He slammed the door again.');
    expect(end.status).toBe('complete');
    expect(written).toBeLessThanOrEqual(end.text.length);
    expect(h.store.getMessage(end.replyId)!.text).toBe(end.text);
    client.close();
  });
});
