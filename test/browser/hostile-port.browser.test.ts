import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { Browser } from 'playwright-core';
import { openMend, sendMessage, useMend, waitForReplyEnd } from './browser.js';
import type { MendServer } from './server.js';

let server: MendServer;
let browser: Browser;
useMend((s, b) => { server = s; browser = b; });

const PLANTED = 'A'.repeat(43);
let hostile: Server;
let hostileUrl = '';

/** A page on another port of the same host: it tries what an attacker's page would. */
beforeAll(async () => {
  hostile = createServer((req, res) => {
    const mend = new URL(req.url!, 'http://x').searchParams.get('mend');
    if (!mend) return void res.writeHead(404).end();
    if (req.url!.startsWith('/plant')) {
      // A server on another port may set cookies for the host, httpOnly ones included (cookies ignore ports).
      res.writeHead(200, { 'content-type': 'text/html', 'set-cookie': `mend_id=${PLANTED}; Path=/; HttpOnly; SameSite=Strict` });
      res.end('<!doctype html><p>planted</p>');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<!doctype html><script>
      window.outcome = (async () => {
        const out = {};
        try { await fetch('${mend}/api/conversations', { method: 'POST', mode: 'no-cors', credentials: 'include' }); out.post = 'sent'; } catch (e) { out.post = 'error'; }
        out.socket = await new Promise((resolve) => {
          const ws = new WebSocket('${mend.replace('http', 'ws')}/api/chat');
          ws.onopen = () => resolve('open');
          ws.onerror = () => resolve('refused');
          setTimeout(() => resolve('timeout'), 5000);
        });
        return out;
      })();
    </script>`);
  });
  hostile.listen(0, '127.0.0.1');
  await once(hostile, 'listening');
  hostileUrl = `http://127.0.0.1:${(hostile.address() as { port: number }).port}`;
});
afterAll(() => { hostile.close(); });

describe('a hostile page on another port of the same host', () => {
  it('cannot create a conversation with her cookie, open her socket, or plant an identity her messages are stored under', async () => {
    const { page, context } = await openMend(browser, server.url);
    await sendMessage(page, 'We had a row about screen time and he called me unfair.');
    await waitForReplyEnd(page);
    const before = await page.evaluate(async () => (await (await fetch('/api/conversations')).json()).conversations.length);

    const evil = await context.newPage();
    await evil.goto(`${hostileUrl}/?mend=${encodeURIComponent(server.url)}`);
    const outcome = await evil.evaluate(() => (window as unknown as { outcome: Promise<{ post: string; socket: string }> }).outcome);
    expect(outcome.socket).toBe('refused');
    const after = await page.evaluate(async () => (await (await fetch('/api/conversations')).json()).conversations as Array<{ title: string }>);
    expect(after.length).toBe(before);

    // Now the cookie itself is replaced from the other port; Mend refuses the made-up value.
    await evil.goto(`${hostileUrl}/plant?mend=x`);
    // The open Mend tab may already have had the made-up value replaced; either way it must not stick.
    await page.reload();
    await page.locator('#connection[data-state="online"]').waitFor({ state: 'attached' });
    await sendMessage(page, 'He slammed the door again tonight and I do not know what to do.');
    await waitForReplyEnd(page);
    const mine = (await context.cookies(server.url)).find((c) => c.name === 'mend_id')!;
    expect(mine.value).not.toBe(PLANTED);
    const theirs = await (await fetch(`${server.url}/api/export`, { headers: { cookie: `mend_id=${PLANTED}` } })).json() as { conversations?: unknown[] };
    expect(theirs.conversations ?? []).toEqual([]);
    await context.close();
  });
});
