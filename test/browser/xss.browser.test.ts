import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { expectNoProblems, openMend, screenshot, sendMessage, useMend, waitForReplyEnd } from './browser.js';
import type { MendServer } from './server.js';

let server: MendServer;
let browser: Browser;
useMend((s, b) => { server = s; browser = b; });

const PAYLOADS = [
  '<img src=x onerror="window.__xss=1">',
  '<script>window.__xss=1</script>',
  'He said [click here](javascript:window.__xss=1) and <iframe src="javascript:window.__xss=1"></iframe> <svg onload="window.__xss=1"></svg>',
];

describe('XSS', () => {
  it('shows HTML and scripts in her text and in replies as inert text', async () => {
    const { page, problems, context } = await openMend(browser, server.url);
    for (const [i, payload] of PAYLOADS.entries()) {
      await sendMessage(page, payload);
      await waitForReplyEnd(page, i + 1);
    }
    // Her words appear literally, as text.
    const bubbles = await page.locator('#transcript .msg-user .bubble').allInnerTexts();
    expect(bubbles).toEqual(PAYLOADS);

    // A title she gives it is text too.
    await page.evaluate(async (title) => {
      const id = /#\/c\/([A-Za-z0-9_-]+)/.exec(location.hash)![1]!;
      await fetch(`/api/conversations/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title }) });
    }, PAYLOADS[0]!);
    // A reload renders everything again from the server's copy: still inert.
    await page.reload();
    await page.locator('#transcript .msg-assistant.status-complete').nth(PAYLOADS.length - 1).waitFor();
    await page.waitForTimeout(300);

    expect(await page.evaluate(() => window.__xss)).toBeUndefined();
    const injected = await page.evaluate(() => ({
      img: document.querySelectorAll('#transcript img, #conv-list img').length,
      script: document.querySelectorAll('#transcript script, #conv-list script').length,
      iframe: document.querySelectorAll('#transcript iframe').length,
      svgOnload: document.querySelectorAll('[onload], [onerror]').length,
      jsLinks: [...document.querySelectorAll('a')].filter((a) => /^\s*javascript:/i.test(a.getAttribute('href') ?? '')).length,
    }));
    expect(injected).toEqual({ img: 0, script: 0, iframe: 0, svgOnload: 0, jsLinks: 0 });
    // The conversation title is text too.
    expect(await page.locator('#conv-heading').innerText()).toContain('<img');
    await screenshot(page, '04-xss-inert');
    expectNoProblems(problems);
    await context.close();
  });
});
