import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { currentConversationId, expectNoProblems, openMend, screenshot, sendMessage, useMend, waitForReplyEnd, waitOnline } from './browser.js';
import type { MendServer } from './server.js';

let server: MendServer;
let browser: Browser;
useMend((s, b) => { server = s; browser = b; });

describe('a full coaching conversation', () => {
  it('sends with Enter, streams a reply with a typing state and step chips, opens a step card, and survives a reload', async () => {
    const { page, problems, context } = await openMend(browser, server.url);
    expect(await page.getByRole('log').count()).toBe(1);
    await screenshot(page, '01-coaching-empty');

    const story = 'We had a huge fight about his phone at dinner. I yelled at him and he slammed his door. Now he won’t talk to me.';
    await sendMessage(page, story);

    // Her message shows at once, as plain text; the typing state is visible while Mend answers.
    await page.locator('#transcript .msg-user .bubble', { hasText: 'slammed his door' }).waitFor();
    await page.locator('#typing').waitFor({ state: 'visible', timeout: 5000 });
    await page.getByRole('button', { name: 'Stop' }).waitFor({ state: 'visible' });
    await page.locator('#transcript .msg-assistant.streaming').waitFor({ timeout: 10_000 });
    await screenshot(page, '01-coaching-streaming');

    expect(await waitForReplyEnd(page)).toBe('complete');
    await expect.poll(() => page.locator('#typing').isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Send', exact: true }).waitFor({ state: 'visible' });
    const reply = page.locator('#transcript .msg-assistant').last();
    expect((await reply.locator('.msg-body').innerText()).length).toBeGreaterThan(80);
    expect(await reply.locator('time').count()).toBe(1);

    // The finished reply is announced once, in the polite live region (not the streaming node).
    await expect.poll(() => page.locator('#announce-polite').innerText()).toContain('Mend:');
    expect(await page.locator('#transcript').getAttribute('aria-live')).toBe('off');

    // A step chip opens the step's card in a dialog.
    const chip = reply.locator('.chip').first();
    await chip.waitFor();
    const stepTitle = (await chip.innerText()).trim().split('\n').pop()!.trim();
    await chip.click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await expect.poll(() => dialog.locator('#step-title').innerText()).toContain(stepTitle);
    await expect.poll(() => dialog.getAttribute('aria-busy')).toBeNull();
    expect((await dialog.innerText()).length).toBeGreaterThan(300);
    expect(await dialog.getByRole('heading', { level: 3 }).count()).toBeGreaterThan(0);
    await screenshot(page, '01-coaching-step-card');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.classList.contains('chip'))).toBe(true);
    await screenshot(page, '01-coaching-reply');

    // The conversation is in the list and comes back after a reload.
    const id = currentConversationId(page);
    await page.locator(`#conv-list li[data-id="${id}"]`).waitFor();
    const replyText = await reply.locator('.msg-body').innerText();
    await page.reload();
    await waitOnline(page);
    await page.locator('#transcript .msg-user .bubble', { hasText: 'slammed his door' }).waitFor();
    await page.locator('#transcript .msg-assistant.status-complete').waitFor();
    expect(await page.locator('#transcript .msg-user').count()).toBe(1);
    expect(await page.locator('#transcript .msg-assistant').count()).toBe(1);
    expect(await page.locator('#transcript .msg-assistant .msg-body').innerText()).toBe(replyText);
    expect(await page.locator('#conv-list li[data-id]').count()).toBe(1);
    // A neutral title, never her first words (the list may be seen on a shared computer).
    expect(await page.locator('#conv-heading').innerText()).toBe('Coaching');
    expect(await page.locator('#conv-list').innerText()).not.toContain('huge fight');
    await screenshot(page, '01-coaching-after-reload');

    // Thumbs up is saved on the server.
    const up = page.locator('#transcript .msg-assistant').last().getByRole('button', { name: 'Helpful', exact: true });
    await up.click();
    await expect.poll(() => up.getAttribute('aria-pressed')).toBe('true');
    await expect.poll(async () => {
      const detail = await page.evaluate(async (cid) => (await fetch(`/api/conversations/${cid}`)).json(), id);
      return detail.messages.find((m: { role: string }) => m.role === 'assistant')?.meta?.rating;
    }).toBe('up');

    expectNoProblems(problems);
    await context.close();
  });

  it('writes a reply again (regenerate), keeping the old one as version 1 of 2', async () => {
    const { page, problems, context } = await openMend(browser, server.url);
    await sendMessage(page, 'He rolls his eyes every time I ask about school and I end up nagging.');
    expect(await waitForReplyEnd(page)).toBe('complete');
    const firstId = await page.locator('#transcript .msg-assistant').getAttribute('data-key');
    const firstText = await page.locator('#transcript .msg-assistant .msg-body').innerText();
    await page.locator('#transcript .msg-assistant').getByRole('button', { name: 'Write this reply again' }).click();
    await page.waitForFunction((old) => {
      const r = document.querySelector('#transcript .msg-assistant');
      return r && r.getAttribute('data-key') !== old && r.classList.contains('status-complete');
    }, firstId, { timeout: 30_000 });
    expect(await page.locator('#transcript .msg-assistant').count()).toBe(1);
    const id = currentConversationId(page);
    const detail = await page.evaluate(async (cid) => (await fetch(`/api/conversations/${cid}`)).json(), id);
    expect(detail.messages.filter((m: { role: string }) => m.role === 'assistant')).toHaveLength(1);
    const reply = page.locator('#transcript .msg-assistant');
    const latestText = await reply.locator('.msg-body').innerText();
    expect(await reply.locator('.versions-count').innerText()).toBe('2 / 2');
    await reply.getByRole('button', { name: 'Earlier version' }).click();
    expect(await reply.locator('.versions-count').innerText()).toBe('1 / 2');
    expect(await reply.locator('.msg-body').innerText()).toBe(firstText);
    await screenshot(page, '01-coaching-regenerated');
    await reply.getByRole('button', { name: 'Later version' }).click();
    expect(await reply.locator('.msg-body').innerText()).toBe(latestText);
    // After a reload the versions are still there (stored with the reply).
    await page.reload();
    await waitOnline(page);
    await page.locator('#transcript .msg-assistant .versions-count').waitFor();
    expect(await page.locator('#transcript .msg-assistant .versions-count').innerText()).toBe('2 / 2');
    expectNoProblems(problems);
    await context.close();
  });
});
