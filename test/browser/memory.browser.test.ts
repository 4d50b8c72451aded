import { describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { axeViolations, currentConversationId, expectNoProblems, openMend, screenshot, sendMessage, useMend, waitForReplyEnd } from './browser.js';
import type { MendServer } from './server.js';

let server: MendServer;
let browser: Browser;
useMend((s, b) => { server = s; browser = b; });

const STORY = 'My son Jake is 15 and he slammed the door when I asked about his school report and his failing grades.';
const EMPTY_TEXT = 'Mend hasn’t noted anything yet. As you talk, it keeps short notes like his name and age so it doesn’t ask twice.';

/** What the server remembers, read with her cookie from inside the page. */
async function serverMemory(page: Page, id: string): Promise<Record<string, string>> {
  return page.evaluate(async (cid) => {
    const res = await fetch(`/api/conversations/${cid}/memory`);
    const body = (await res.json()) as { facts: Array<{ key: string; value: string }> };
    return Object.fromEntries(body.facts.map((f) => [f.key, f.value]));
  }, id);
}

/** Opens the panel from the header and waits until it has read the server's copy. */
async function openPanel(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'What Mend remembers', exact: true }).click();
  const panel = page.getByRole('dialog', { name: 'What Mend remembers' });
  await panel.waitFor();
  await expect.poll(() => panel.getAttribute('aria-busy')).toBeNull();
  return panel;
}

async function closePanel(page: Page, panel: Locator): Promise<void> {
  await page.keyboard.press('Escape');
  await panel.waitFor({ state: 'hidden' });
}

/** Each note's label and value, as she sees them. */
async function notes(panel: Locator): Promise<Record<string, string>> {
  return panel.evaluate((d) => Object.fromEntries([...d.querySelectorAll<HTMLElement>('.memory-fact-view:not([hidden])')]
    .map((row) => [row.querySelector<HTMLElement>('.memory-fact-label')!.innerText, row.querySelector<HTMLElement>('.memory-fact-value')!.innerText])));
}

const failPut = (page: Page) => page.route('**/api/conversations/*/memory', (route) => route.request().method() === 'PUT'
  ? route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'storage', message: 'Mend couldn’t write to its database just now.' } }) })
  : route.continue());

describe('what Mend remembers', () => {
  it('lists what Mend noted; her correction changes the next reply; a forgotten fact stays gone', async () => {
    const { page, problems, context } = await openMend(browser, server.url);
    await sendMessage(page, STORY);
    expect(await waitForReplyEnd(page)).toBe('complete');
    const id = currentConversationId(page);

    // One click from the conversation header; the title has focus; his name and age are there.
    const panel = await openPanel(page);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('memory-title');
    const seen = await notes(panel);
    expect(seen['His name']).toBe('Jake');
    expect(seen['His age']).toBe('15');
    expect(Object.keys(seen).length).toBeGreaterThanOrEqual(3); // the conflict topics and how it ended too
    expect(await panel.innerText()).not.toContain(EMPTY_TEXT);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, '10-memory-panel');

    // Edit opens a labelled field with his name in it; Cancel puts it back as it was.
    await panel.getByRole('button', { name: 'Edit his name' }).click();
    const field = panel.getByRole('textbox', { name: 'His name' });
    await field.waitFor();
    expect(await field.inputValue()).toBe('Jake');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('memory-son_name-input');
    await field.fill('Sammy');
    await panel.getByRole('button', { name: 'Cancel changes to his name' }).click();
    await field.waitFor({ state: 'hidden' });
    expect((await notes(panel))['His name']).toBe('Jake');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Edit his name');

    // A save that fails says why, in place, and keeps her text in the field.
    await panel.getByRole('button', { name: 'Edit his name' }).click();
    await field.fill('Sam');
    expect(await axeViolations(page)).toEqual([]);
    await failPut(page);
    await panel.getByRole('button', { name: 'Save his name' }).click();
    const rowError = panel.locator('[data-key="son_name"]').getByRole('alert');
    await expect.poll(() => rowError.innerText()).toContain('Your correction wasn’t saved. Mend couldn’t write to its database just now.');
    expect(await field.inputValue()).toBe('Sam');
    expect((await serverMemory(page, id)).son_name).toBe('Jake');
    await screenshot(page, '10-memory-save-failed');

    // Escape closes the panel, and her unsaved text is still there when she opens it again.
    await closePanel(page, panel);
    await openPanel(page);
    await expect.poll(() => field.inputValue()).toBe('Sam');
    await page.unroute('**/api/conversations/*/memory');

    // Enter saves. The note shows Sam, focus is back on its Edit button, and the server has it.
    await field.press('Enter');
    await field.waitFor({ state: 'hidden' });
    expect((await notes(panel))['His name']).toBe('Sam');
    expect(await rowError.isVisible()).toBe(false);
    expect(await panel.getByRole('status').innerText()).toContain('Saved. Mend will use this from its next reply.');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Edit his name');
    expect((await serverMemory(page, id)).son_name).toBe('Sam');
    expect(await page.evaluate((cid) => localStorage.getItem(`mend.memory-edits.${cid}`), id)).toBeNull();

    // Escape closes the panel; focus goes back to the header button.
    await closePanel(page, panel);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('open-memory');

    // The next reply calls him Sam. The panel, open while it is written, reads what Mend noted after it.
    const reads: string[] = [];
    page.on('request', (request) => { if (request.method() === 'GET' && request.url().endsWith(`/api/conversations/${id}/memory`)) reads.push(request.url()); });
    await sendMessage(page, 'He did it again last night.');
    await page.locator('#transcript .msg-assistant').nth(1).waitFor();
    await openPanel(page);
    const readsOnOpen = reads.length;
    expect(await waitForReplyEnd(page, 2)).toBe('complete');
    await expect.poll(() => reads.length).toBeGreaterThan(readsOnOpen);
    const reply = await page.locator('#transcript .msg-assistant').nth(1).locator('.msg-body').innerText();
    expect(reply).toContain('Sam');
    expect(reply).not.toContain('Jake');

    // Forget his age: the note goes, she is told, and Undo is offered.
    await panel.getByRole('button', { name: 'Forget his age' }).click();
    await expect.poll(async () => Object.keys(await notes(panel))).not.toContain('His age');
    expect(await panel.getByRole('status').innerText()).toBe('Mend has forgotten his age.');
    expect(await panel.getByRole('button', { name: 'Undo' }).isVisible()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.closest('#memory-dialog') !== null)).toBe(true);
    expect((await serverMemory(page, id)).son_age).toBeUndefined();
    await screenshot(page, '10-memory-forgotten');
    await closePanel(page, panel);

    // Still gone after reopening; his name is still Sam.
    await openPanel(page);
    const after = await notes(panel);
    expect(after['His age']).toBeUndefined();
    expect(after['His name']).toBe('Sam');
    expect(await panel.getByRole('button', { name: 'Undo' }).isVisible()).toBe(false);
    expect(await axeViolations(page)).toEqual([]);

    // The dark theme follows the same colours; axe again.
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, '10-memory-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // At phone width the panel fits and the header button stays one tap away.
    await closePanel(page, panel);
    await page.setViewportSize({ width: 375, height: 740 });
    const opener = page.getByRole('button', { name: 'What Mend remembers', exact: true });
    const openerBox = await opener.boundingBox();
    expect(openerBox!.x + openerBox!.width).toBeLessThanOrEqual(375);
    await openPanel(page);
    await panel.getByRole('button', { name: 'Edit what the arguments are about' }).click();
    const box = await panel.boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(375);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    expect(await panel.evaluate((d) => d.scrollWidth <= d.clientWidth)).toBe(true);
    await screenshot(page, '10-memory-phone');
    await panel.getByRole('button', { name: 'Cancel changes to what the arguments are about' }).click();
    await closePanel(page, panel);

    expectNoProblems(problems);
    await context.close();
  });

  it('works the same in a conversation she asked Mend not to keep, leaving nothing in localStorage; says so when it has nothing', async () => {
    const { page, problems, context } = await openMend(browser, server.url);
    await page.getByRole('checkbox', { name: 'Don’t keep this conversation' }).check();
    await sendMessage(page, STORY);
    expect(await waitForReplyEnd(page)).toBe('complete');
    const id = currentConversationId(page);

    const panel = await openPanel(page);
    expect((await notes(panel))['His name']).toBe('Jake');
    expect(await panel.innerText()).toContain('Mend isn’t saving this conversation, so these notes go when Mend restarts.');

    // Her unsaved correction is kept in the page's memory only.
    await panel.getByRole('button', { name: 'Edit his name' }).click();
    const field = panel.getByRole('textbox', { name: 'His name' });
    await failPut(page);
    await field.fill('Sam');
    await field.press('Enter');
    await panel.locator('[data-key="son_name"]').getByRole('alert').waitFor();
    expect(await page.evaluate(() => Object.keys(localStorage).map((k) => `${k}=${localStorage.getItem(k)}`).join('\n'))).not.toContain(id);
    await page.unroute('**/api/conversations/*/memory');
    await field.press('Enter');
    await field.waitFor({ state: 'hidden' });
    expect((await serverMemory(page, id)).son_name).toBe('Sam');

    // Forget every note, one by one from the keyboard: focus moves on each time, and the empty note shows.
    while (await panel.getByRole('button', { name: /^Forget / }).count()) {
      const before = await panel.locator('.memory-fact').count();
      await panel.getByRole('button', { name: /^Forget / }).first().focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => panel.locator('.memory-fact').count()).toBe(before - 1);
      expect(await page.evaluate(() => document.activeElement?.closest('#memory-dialog') !== null)).toBe(true);
    }
    await expect.poll(() => panel.innerText()).toContain(EMPTY_TEXT);
    expect(await serverMemory(page, id)).toEqual({});
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, '10-memory-empty');

    // Undo brings the last one back.
    await panel.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => panel.locator('.memory-fact').count()).toBe(1);
    expect(await panel.innerText()).not.toContain(EMPTY_TEXT);
    expect(Object.keys(await serverMemory(page, id))).toHaveLength(1);
    await closePanel(page, panel);

    expectNoProblems(problems);
    await context.close();
  });
});
