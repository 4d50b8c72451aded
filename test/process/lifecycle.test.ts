import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { identityCookie, openSocket, startServer, until } from '../helpers/server-process.js';

const tempDb = () => join(mkdtempSync(join(tmpdir(), 'mend-proc-')), 'mend.db');

describe('the server process', () => {
  it('refuses to start on a bad setting, with one line naming the variable', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env: { ...process.env, PORT: 'abc' }, encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe('mend: Invalid PORT="abc": expected a whole number from 0 to 65535');
  });

  it('on SIGTERM finishes the reply in progress, then closes cleanly', async () => {
    const db = tempDb();
    const server = await startServer({ DATABASE_PATH: db, MEND_GUIDED_DELAY_MS: '20' });
    const cookie = await identityCookie(server.url);
    const { ws, frames } = await openSocket(server.url, cookie);
    ws.send(JSON.stringify({ type: 'send', clientId: 'term1', text: 'He slammed the door when I asked about homework.' }));
    await until(() => frames.some((f) => f.type === 'reply.delta'));
    server.child.kill('SIGTERM');
    await until(() => frames.some((f) => f.type === 'reply.end'));
    const [code] = await once(server.child, 'exit');
    expect(code).toBe(0);
    expect(frames.find((f) => f.type === 'reply.end')!.status).toBe('complete');

    const again = await startServer({ DATABASE_PATH: db });
    const conversationId = frames.find((f) => f.type === 'ack')!.conversationId as string;
    const read = await (await fetch(`${again.url}/api/conversations/${conversationId}`, { headers: { cookie } })).json();
    expect(read.messages.map((m: { status: string }) => m.status)).toEqual(['complete', 'complete']);
    again.child.kill('SIGTERM');
    await once(again.child, 'exit');
  });

  it('after kill -9 mid-reply, her message is there and the cut reply is kept, marked incomplete, and the chat goes on', async () => {
    const db = tempDb();
    const server = await startServer({ DATABASE_PATH: db, MEND_GUIDED_DELAY_MS: '40' });
    const cookie = await identityCookie(server.url);
    const { ws, frames } = await openSocket(server.url, cookie);
    ws.send(JSON.stringify({ type: 'send', clientId: 'k1', text: 'We fought about his phone and he stormed out.' }));
    await until(() => frames.filter((f) => f.type === 'reply.delta').length >= 2);
    server.child.kill('SIGKILL');
    await once(server.child, 'exit');
    const conversationId = frames.find((f) => f.type === 'ack')!.conversationId as string;

    const again = await startServer({ DATABASE_PATH: db, MEND_GUIDED_DELAY_MS: '0' });
    const read = await (await fetch(`${again.url}/api/conversations/${conversationId}`, { headers: { cookie } })).json();
    expect(read.messages[0]).toMatchObject({ role: 'user', text: 'We fought about his phone and he stormed out.', status: 'complete' });
    expect(read.messages[1]).toMatchObject({ role: 'assistant', status: 'incomplete' });
    expect(read.messages[1].text.length).toBeGreaterThan(0);
    const next = await openSocket(again.url, cookie);
    next.ws.send(JSON.stringify({ type: 'send', clientId: 'k2', conversationId, text: 'Are you still there?' }));
    await until(() => next.frames.some((f) => f.type === 'reply.end'));
    expect(next.frames.find((f) => f.type === 'reply.end')!.status).toBe('complete');
    next.ws.close();
    again.child.kill('SIGTERM');
    await once(again.child, 'exit');
  });
});
