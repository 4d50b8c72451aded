import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { identityCookie, openSocket, startServer, until, type ServerProcess } from '../helpers/server-process.js';

const CYCLES = 5;

interface Stored { role: string; text: string; status: string; seq: number }

async function read(server: ServerProcess, cookie: string, conversationId: string): Promise<Stored[]> {
  const res = await fetch(`${server.url}/api/conversations/${conversationId}`, { headers: { cookie } });
  expect(res.status).toBe(200);
  return (await res.json()).messages as Stored[];
}

/** Streamed text as she saw it, rebuilt from the deltas of one reply. */
function streamed(frames: Array<Record<string, unknown>>, replyId: string): string {
  let text = '';
  for (const f of frames) {
    if (f.type === 'reply.delta' && f.replyId === replyId) text = text.slice(0, f.offset as number) + (f.text as string);
  }
  return text;
}

describe('kill -9 during a streamed reply, again and again, on the same database', () => {
  it(`${CYCLES} crashes in a row lose nothing she wrote, keep each cut reply marked incomplete, and the conversation goes on`, async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'mend-crash-')), 'mend.db');
    let server = await startServer({ DATABASE_PATH: db, MEND_GUIDED_DELAY_MS: '25' });
    const cookie = await identityCookie(server.url);
    let conversationId: string | undefined;
    const said: string[] = [];
    const seen: string[] = [];

    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      const { ws, frames } = await openSocket(server.url, cookie);
      const text = `Crash ${cycle}: he shouted and went to his room, and I do not know what to say.`;
      ws.send(JSON.stringify({ type: 'send', clientId: `crash-${cycle}`, text, ...(conversationId ? { conversationId } : {}) }));
      said.push(text);
      await until(() => frames.some((f) => f.type === 'reply.delta'));
      conversationId = frames.find((f) => f.type === 'ack')!.conversationId as string;
      // Long enough for at least one progress save (every 250 ms), short of the whole reply.
      await new Promise((r) => setTimeout(r, 400));
      expect(frames.some((f) => f.type === 'reply.end')).toBe(false);
      const replyId = frames.find((f) => f.type === 'reply.start')!.replyId as string;
      seen.push(streamed(frames, replyId));
      server.child.kill('SIGKILL');
      await once(server.child, 'exit');
      ws.terminate();

      server = await startServer({ DATABASE_PATH: db, MEND_GUIDED_DELAY_MS: cycle === CYCLES ? '0' : '25' }, server.port);
      const messages = await read(server, cookie, conversationId);
      expect(messages.map((m) => m.seq)).toEqual(messages.map((_, i) => i + 1));
      expect(messages.filter((m) => m.role === 'user').map((m) => [m.text, m.status])).toEqual(said.map((t) => [t, 'complete']));
      const replies = messages.filter((m) => m.role === 'assistant');
      expect(replies).toHaveLength(cycle);
      expect(replies.every((r) => r.status === 'incomplete')).toBe(true);
      replies.forEach((r, i) => {
        expect(r.text.length, `cycle ${cycle} reply ${i + 1}: ${JSON.stringify(seen[i])}`).toBeGreaterThan(0);
        expect(seen[i]!.startsWith(r.text)).toBe(true);
      });
    }

    const { ws, frames } = await openSocket(server.url, cookie);
    ws.send(JSON.stringify({ type: 'send', clientId: 'after', conversationId, text: 'Are you still with me?' }));
    await until(() => frames.some((f) => f.type === 'reply.end'));
    expect(frames.find((f) => f.type === 'reply.end')).toMatchObject({ status: 'complete', conversationId });
    const last = await read(server, cookie, conversationId!);
    expect(last.map((m) => m.role)).toEqual([...Array(CYCLES).fill(['user', 'assistant']).flat(), 'user', 'assistant']);
    expect(last.at(-1)!.status).toBe('complete');
    ws.close();
    server.child.kill('SIGTERM');
    await once(server.child, 'exit');
  }, 120_000);
});
