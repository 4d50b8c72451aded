import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChatClient, createHarness, type Harness } from '../helpers/harness.js';

/** What she sees when storage fails: a typed error naming the problem, and nothing half-written. */
describe('when storage fails', () => {
  let h: Harness | undefined;
  let dir = '';
  afterEach(async () => {
    await h?.close();
    h = undefined;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a full disk gives her a clear storage error, keeps what was saved, and the chat works again once there is room', async () => {
    h = await createHarness();
    const client = await ChatClient.open(h);
    const first = await client.say('He slammed the door when I asked about homework.');
    const before = h.store.listMessages(first.conversationId);
    // SQLite reports "database or disk is full" once the file may not grow.
    const pages = h.db.pragma('page_count', { simple: true }) as number;
    h.db.pragma(`max_page_count = ${pages}`);
    const from = client.frames.length;
    client.send({ type: 'send', clientId: 'full-1', conversationId: first.conversationId, text: 'x'.repeat(7_000) });
    const error = await client.waitFor('error', () => true, from);
    expect(error).toMatchObject({ code: 'storage', clientId: 'full-1' });
    expect(error.message).toMatch(/could not be saved/);
    expect(h.store.listMessages(first.conversationId)).toEqual(before);

    h.db.pragma('max_page_count = 1073741823');
    const again = await client.say('He slammed the door when I asked about homework, again.', { conversationId: first.conversationId });
    expect(again.status).toBe('complete');
    expect(h.store.listMessages(first.conversationId)).toHaveLength(before.length + 2);
    client.close();
  });

  it('a database locked by another process gives a storage error instead of a hang, and nothing half-written', async () => {
    dir = mkdtempSync(join(tmpdir(), 'mend-busy-'));
    const databasePath = join(dir, 'mend.db');
    h = await createHarness({ databasePath });
    h.db.pragma('busy_timeout = 200');
    const client = await ChatClient.open(h);
    const first = await client.say('We argued about his phone at dinner.');
    const other = new Database(databasePath);
    other.exec('BEGIN EXCLUSIVE');
    try {
      const from = client.frames.length;
      client.send({ type: 'send', clientId: 'busy-1', conversationId: first.conversationId, text: 'And then he walked out.' });
      const error = await client.waitFor('error', () => true, from);
      expect(error.code).toBe('storage');
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(h.store.listMessages(first.conversationId).map((m) => m.text)).not.toContain('And then he walked out.');
    const after = await client.say('And then he walked out.', { conversationId: first.conversationId });
    expect(after.status).toBe('complete');
    client.close();
  });
});
