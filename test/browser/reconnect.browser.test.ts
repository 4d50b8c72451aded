import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { currentConversationId, expectNoProblems, openMend, screenshot, sendMessage, serverConversation, useMend, waitForReplyEnd, waitOnline } from './browser.js';
import type { MendServer } from './server.js';

let server: MendServer;
let browser: Browser;
useMend((s, b) => { server = s; browser = b; });

async function waitForStreamedText(page: Page, min = 30): Promise<void> {
  await page.waitForFunction((n) => {
    const r = document.querySelector('#transcript .msg-assistant.streaming .msg-body');
    return !!r && (r.textContent ?? '').length > n;
  }, min, { timeout: 15_000 });
}

/** The page shows exactly the server's conversation: same texts, once each. */
async function expectSameAsServer(page: Page): Promise<void> {
  const id = currentConversationId(page);
  const detail = await serverConversation(page, id);
  const replies = detail.messages.filter((m) => m.role === 'assistant');
  const users = detail.messages.filter((m) => m.role === 'user');
  expect(await page.locator('#transcript .msg-assistant').count()).toBe(replies.length);
  expect(await page.locator('#transcript .msg-user').count()).toBe(users.length);
  const shown = await page.locator('#transcript .msg-assistant').evaluateAll((els) => els.map((e) => e.getAttribute('data-key')));
  expect(shown).toEqual(replies.map((r) => r.id));
  for (const r of replies) {
    expect(r.status).toBe('complete');
    // Compare rendered text with the stored Markdown rendered the same way: no repeated chunk.
    const rendered = await page.locator(`#transcript .msg-assistant[data-key="${r.id}"] .msg-body`).innerText();
    const firstSentence = r.text.split(/(?<=[.?!])\s/)[0]!.replace(/[*_>“”"]/g, '').trim().slice(0, 40);
    expect(rendered.split(firstSentence).length - 1, `"${firstSentence}" appears once`).toBe(1);
    expect(rendered.replace(/\s+/g, ' ').length).toBeLessThanOrEqual(r.text.replace(/\s+/g, ' ').length + 5);
    expect(rendered.replace(/\s+/g, ' ').length).toBeGreaterThan(r.text.replace(/\s+/g, ' ').length * 0.8);
  }
}

describe('reconnect', () => {
  it('recovers when the socket is killed mid-reply: the reply completes, once, without duplicates', async () => {
    const { page, problems, context } = await openMend(browser, server.url);
    await sendMessage(page, 'I found out he has been lying about where he goes after school, and when I asked he exploded at me.');
    await waitForStreamedText(page);
    expect(await page.evaluate(() => window.__mendSocket?.readyState)).toBe(1);

    await page.evaluate(() => window.__mendSocket?.close());
    await page.locator('#connection:not([data-state="online"])').waitFor({ state: 'attached', timeout: 3000 }).catch(() => undefined);
    await screenshot(page, '03-reconnect-dropped');
    await waitOnline(page);

    expect(await waitForReplyEnd(page, 1, 30_000)).toBe('complete');
    await expectSameAsServer(page);
    // The drop was announced assertively, and so was the recovery.
    await screenshot(page, '03-reconnect-recovered');
    expectNoProblems(problems);
    await context.close();
  });

  it('recovers from going offline mid-reply (DevTools network emulation) and sends what she wrote while offline, once', async () => {
    const { page, problems, context } = await openMend(browser, server.url);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await sendMessage(page, 'My son is 16 and he has stopped eating dinner with us. He just takes his plate to his room.');
    await waitForStreamedText(page);

    await cdp.send('Network.emulateNetworkConditions', { offline: true, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await page.evaluate(() => window.dispatchEvent(new Event('offline')));
    await page.locator('#connection[data-state="offline"], #connection[data-state="reconnecting"]').waitFor({ state: 'attached', timeout: 5000 });
    await page.locator('#announce-alert').filter({ hasText: /offline|Reconnecting/i }).waitFor({ state: 'attached' });
    await screenshot(page, '03-offline');

    // Back online: the reply is resumed and completed.
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await waitOnline(page);
    expect(await waitForReplyEnd(page, 1, 30_000)).toBe('complete');
    await expectSameAsServer(page);

    // Offline again: a message she writes is queued (not lost), then sent once when back online.
    await cdp.send('Network.emulateNetworkConditions', { offline: true, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await page.evaluate(() => window.dispatchEvent(new Event('offline')));
    await page.locator('#connection:not([data-state="online"])').waitFor({ state: 'attached', timeout: 5000 });
    await sendMessage(page, 'What should I say to him tonight?');
    await page.locator('#transcript .msg-user.status-queued').waitFor();
    await screenshot(page, '03-offline-queued');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await waitOnline(page);
    expect(await waitForReplyEnd(page, 2, 30_000)).toBe('complete');
    await expectSameAsServer(page);
    const detail = await serverConversation(page, currentConversationId(page));
    expect(detail.messages.filter((m) => m.role === 'user').map((m) => m.text)).toEqual([
      'My son is 16 and he has stopped eating dinner with us. He just takes his plate to his room.',
      'What should I say to him tonight?',
    ]);
    await screenshot(page, '03-offline-recovered');
    expectNoProblems(problems);
    await context.close();
  });

  it('picks the reply up again after a reload mid-stream', async () => {
    const { page, problems, context } = await openMend(browser, server.url);
    await sendMessage(page, 'He told me I never listen to him. Maybe he is right. How do I start listening properly?');
    await waitForStreamedText(page, 40);
    await page.reload();
    await waitOnline(page);
    await page.locator('#transcript .msg-assistant').waitFor();
    expect(await waitForReplyEnd(page, 1, 30_000)).toBe('complete');
    await expectSameAsServer(page);
    expectNoProblems(problems);
    await context.close();
  });

  it('resends a message whose ack was lost with the same clientId, and the server stores it once', async () => {
    const { page, problems, context } = await openMend(browser, server.url);
    await sendMessage(page, 'We argued about his curfew again.');
    expect(await waitForReplyEnd(page)).toBe('complete');
    const id = currentConversationId(page);
    // Simulate a lost ack: put a message the server already has back into the outbox, then reconnect.
    const stored = (await serverConversation(page, id)).messages.find((m) => m.role === 'user')!;
    await page.evaluate(({ cid, clientId, text }) => {
      localStorage.setItem('mend.outbox', JSON.stringify([{ clientId, conversationId: cid, text, mode: 'coach', createdAt: Date.now(), sentAt: Date.now() }]));
    }, { cid: id, clientId: stored.clientId!, text: stored.text });
    await page.reload();
    await waitOnline(page);
    await page.waitForFunction(() => JSON.parse(localStorage.getItem('mend.outbox') ?? '[]').length === 0, undefined, { timeout: 10_000 });
    await page.waitForTimeout(500);
    const detail = await serverConversation(page, id);
    expect(detail.messages.filter((m) => m.role === 'user')).toHaveLength(1);
    expect(await page.locator('#transcript .msg-user').count()).toBe(1);
    expectNoProblems(problems);
    await context.close();
  });
});
