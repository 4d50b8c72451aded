import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChatClient, createHarness, type Harness } from '../helpers/harness.js';

const SECRET = 'Tobias-secret-words-7f3a';

/** Every byte SQLite wrote for this database: the file, its WAL and shared memory. */
function bytesOnDisk(dir: string): string {
  return readdirSync(dir).map((f) => readFileSync(join(dir, f)).toString('latin1')).join('');
}

describe('a private conversation ("don\'t keep this")', () => {
  let dir = '';
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('works like any other conversation but is never written to disk, and is gone after a restart', async () => {
    dir = mkdtempSync(join(tmpdir(), 'mend-private-'));
    const databasePath = join(dir, 'mend.db');
    h = await createHarness({ databasePath });
    const client = await ChatClient.open(h);
    const kept = await client.say(`A kept conversation about homework ${'.'.repeat(3)}`);
    const end = await client.say(`${SECRET}: he slammed the door when I asked about his phone`, { private: true });
    expect(end.status).toBe('complete');
    expect(end.conversationId).not.toBe(kept.conversationId);
    await client.say(`And ${SECRET} again`, { conversationId: end.conversationId });
    client.close();

    const list = (await h.app.inject({ method: 'GET', url: '/api/conversations', headers: { cookie: h.cookie } })).json() as {
      conversations: Array<{ id: string; private: boolean }>;
    };
    expect(list.conversations.find((c) => c.id === end.conversationId)?.private).toBe(true);
    expect(list.conversations.find((c) => c.id === kept.conversationId)?.private).toBe(false);
    const read = await h.app.inject({ method: 'GET', url: `/api/conversations/${end.conversationId}`, headers: { cookie: h.cookie } });
    expect(read.json().messages.filter((m: { role: string }) => m.role === 'user')).toHaveLength(2);
    const stranger = await createHarness();
    const peek = await h.app.inject({ method: 'GET', url: `/api/conversations/${end.conversationId}`, headers: { cookie: stranger.cookie } });
    expect(peek.statusCode).toBe(404);
    await stranger.close();

    h.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(bytesOnDisk(dir)).not.toContain(SECRET);
    expect(bytesOnDisk(dir)).toContain('kept conversation');

    const cookie = h.cookie;
    await h.close();
    h = await createHarness({ databasePath });
    const after = (await h.app.inject({ method: 'GET', url: '/api/conversations', headers: { cookie } })).json() as { conversations: Array<{ id: string }> };
    expect(after.conversations.map((c) => c.id)).toEqual([kept.conversationId]);
  });

  it('can be started over REST too, and deleted with everything else', async () => {
    h = await createHarness();
    const created = await h.app.inject({ method: 'POST', url: '/api/conversations', headers: { cookie: h.cookie }, payload: { private: true } });
    expect(created.statusCode).toBe(201);
    expect(created.json().conversation.private).toBe(true);
    const gone = await h.app.inject({ method: 'DELETE', url: '/api/conversations', headers: { cookie: h.cookie } });
    expect(gone.statusCode).toBeLessThan(300);
    const list = (await h.app.inject({ method: 'GET', url: '/api/conversations', headers: { cookie: h.cookie } })).json();
    expect(list.conversations).toEqual([]);
  });
});
