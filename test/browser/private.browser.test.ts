import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, currentConversationId, expectNoProblems, openMend, screenshot, sendMessage, useMend, waitForReplyEnd, waitOnline } from './browser.js';
import type { MendServer } from './server.js';

let server: MendServer;
let browser: Browser;
useMend((s, b) => { server = s; browser = b; });

/** Everything the page has written to localStorage, as one string to search. */
async function localStorageText(page: Page): Promise<string> {
  return page.evaluate(() => Object.keys(localStorage).map((k) => `${k}=${localStorage.getItem(k)}`).join('\n'));
}

async function serverConversation(page: Page, id: string): Promise<{ private?: boolean }> {
  return page.evaluate(async (cid) => (await (await fetch(`/api/conversations/${cid}`)).json()).conversation, id);
}

describe('a conversation she asks Mend not to keep', () => {
  it('starts private from the "Don’t keep this conversation" tick, is marked "Not saved", and leaves nothing in localStorage', async () => {
    const { page, problems, context } = await openMend(browser, server.url);
    const tick = page.getByRole('checkbox', { name: 'Don’t keep this conversation' });
    const marker = page.locator('#conv-unkept');
    expect(await tick.isChecked()).toBe(false);
    expect(await marker.isVisible()).toBe(false);
    expect(await page.locator('#dont-keep-hint').innerText()).toContain('won’t save it on this computer');

    // Ticked before she writes: her draft for it stays in memory, and the header says so at once.
    await tick.check();
    await marker.waitFor();
    await page.getByRole('textbox', { name: 'Message' }).fill('Something private I started typing');
    await page.waitForTimeout(400);
    expect(await localStorageText(page)).not.toContain('Something private');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, '09-private-new');

    const secret = 'He found my messages to his dad and now he won’t speak to me.';
    await sendMessage(page, secret);
    expect(await waitForReplyEnd(page)).toBe('complete');
    const id = currentConversationId(page);
    expect((await serverConversation(page, id)).private).toBe(true);

    // Marked in the header and in the list; the tick is gone (it only applies to a new conversation).
    await marker.waitFor();
    expect(await marker.innerText()).toContain('Not saved');
    const row = page.locator(`#conv-list li[data-id="${id}"]`);
    await expect.poll(() => row.innerText()).toContain('Not saved');
    expect(await tick.isVisible()).toBe(false);
    expect(await axeViolations(page)).toEqual([]);

    // A draft in it is not written to this computer either.
    await page.getByRole('textbox', { name: 'Message' }).fill('A follow-up thought, unsent');
    await page.waitForTimeout(400);
    const stored = await localStorageText(page);
    expect(stored).not.toContain(id);
    expect(stored).not.toContain('found my messages');
    expect(stored).not.toContain('follow-up thought');
    await screenshot(page, '09-private-conversation');

    // On a phone the marker stays visible, under the title, without widening the page.
    await page.setViewportSize({ width: 375, height: 740 });
    expect(await marker.isVisible()).toBe(true);
    const box = await marker.boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(375);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await screenshot(page, '09-private-phone');
    await page.setViewportSize({ width: 1280, height: 860 });

    // After a reload it is still marked (the server still holds it until it restarts).
    await page.reload();
    await waitOnline(page);
    await page.locator('#transcript .msg-assistant.status-complete').waitFor();
    await marker.waitFor();
    await expect.poll(() => row.innerText()).toContain('Not saved');

    // A new conversation is kept again unless she ticks the box.
    await page.getByRole('button', { name: 'New conversation' }).click();
    await tick.waitFor();
    expect(await tick.isChecked()).toBe(false);
    expect(await marker.isVisible()).toBe(false);
    await sendMessage(page, 'We argued about his homework again tonight.');
    expect(await waitForReplyEnd(page)).toBe('complete');
    const keptId = currentConversationId(page);
    expect(keptId).not.toBe(id);
    expect((await serverConversation(page, keptId)).private).toBe(false);
    expect(await marker.isVisible()).toBe(false);
    await expect.poll(() => page.locator('#conv-list li[data-id]').count()).toBe(2);
    expect(await page.locator(`#conv-list li[data-id="${keptId}"]`).innerText()).not.toContain('Not saved');
    expect(await page.locator('#conv-list .conv-unkept').count()).toBe(1);
    await screenshot(page, '09-private-list');

    expectNoProblems(problems);
    await context.close();
  });
});
