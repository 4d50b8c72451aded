import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { currentConversationId, expectNoProblems, openMend, screenshot, sendMessage, serverConversation, useMend, waitForReplyEnd, waitOnline } from './browser.js';
import type { MendServer } from './server.js';

let server: MendServer;
let browser: Browser;
useMend((s, b) => { server = s; browser = b; });

async function waitForStreaming(page: Page, min = 20): Promise<void> {
  await page.waitForFunction((n) => {
    const r = document.querySelector('#transcript .msg-assistant.streaming .msg-body');
    return !!r && (r.textContent ?? '').length > n;
  }, min, { timeout: 30_000 });
}

function outboxSize(page: Page): Promise<number> {
  return page.evaluate(() => JSON.parse(localStorage.getItem('mend.outbox') ?? '[]').length as number);
}

/** kill -9 and start again on the same port and database; the page reconnects by itself. */
async function crashAndRestart(page: Page, reload: boolean): Promise<void> {
  await server.crash();
  await page.locator('#connection:not([data-state="online"])').waitFor({ state: 'attached', timeout: 10_000 });
  await server.restart();
  if (reload) await page.reload();
  await waitOnline(page, 30_000);
}

const WORDS = [
  'He slammed his door when I asked about his homework and now he won’t come down for dinner.',
  'I think I shouted first, if I am honest with myself.',
  'How do I start the conversation tomorrow morning?',
];

describe('nothing she types is lost', () => {
  it('queues what she sends while a reply streams, and keeps it through three kill -9s mid-reply, a reload and a reconnect, stored once each', async () => {
    const { page, problems, context } = await openMend(browser, server.url);
    await sendMessage(page, WORDS[0]!);
    await waitForStreaming(page);
    // While the reply is streaming the box takes her next two messages: queued, shown, kept.
    await sendMessage(page, WORDS[1]!);
    await sendMessage(page, WORDS[2]!);
    await expect.poll(() => page.locator('#transcript .msg-user.status-next').count()).toBe(2);
    expect(await page.getByRole('textbox', { name: 'Message' }).inputValue()).toBe('');
    expect(await outboxSize(page)).toBe(2);
    await expect.poll(() => page.locator('#announce-polite').textContent()).toMatch(/Queued/);
    await screenshot(page, 'no-loss-queued');
    const id = currentConversationId(page);

    // 1: killed mid-reply to her first message; she reloads once it is back.
    await crashAndRestart(page, true);
    expect(await page.locator('#transcript .msg-user').count()).toBe(3);
    await waitForStreaming(page);
    // 2: killed mid-reply to her second; the page reconnects by itself.
    await crashAndRestart(page, false);
    await waitForStreaming(page);
    // 3: killed mid-reply to her third; reload.
    await crashAndRestart(page, true);

    await expect.poll(() => outboxSize(page), { timeout: 30_000 }).toBe(0);
    await expect.poll(async () => (await serverConversation(page, id)).activeReplyId, { timeout: 30_000 }).toBeNull();
    const detail = await serverConversation(page, id);
    expect(detail.messages.filter((m) => m.role === 'user').map((m) => m.text)).toEqual(WORDS);
    await page.reload();
    await waitOnline(page);
    await page.locator('#transcript .msg-assistant').first().waitFor();
    expect(await page.locator('#transcript .msg-user').allInnerTexts()).toHaveLength(3);
    const shown = await page.locator('#transcript .msg-user .bubble').allInnerTexts();
    expect(shown).toEqual(WORDS);
    await screenshot(page, 'no-loss-after-three-crashes');
    expectNoProblems(problems);
    await context.close();
  });

  it('a queued message goes in once the reply ends, with no duplicate', async () => {
    const { page, problems, context } = await openMend(browser, server.url);
    await sendMessage(page, WORDS[0]!);
    await waitForStreaming(page);
    await sendMessage(page, WORDS[2]!);
    await page.locator('#transcript .msg-user.status-next').waitFor();
    expect(await waitForReplyEnd(page, 2, 40_000)).toBe('complete');
    const detail = await serverConversation(page, currentConversationId(page));
    expect(detail.messages.filter((m) => m.role === 'user').map((m) => m.text)).toEqual([WORDS[0], WORDS[2]]);
    expect(await page.locator('#transcript .msg-user').count()).toBe(2);
    expectNoProblems(problems);
    await context.close();
  });
});
