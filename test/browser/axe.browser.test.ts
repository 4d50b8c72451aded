import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { axeViolations, expectNoProblems, openMend, screenshot, sendMessage, useMend, waitForReplyEnd } from './browser.js';
import type { MendServer } from './server.js';

let server: MendServer;
let browser: Browser;
useMend((s, b) => { server = s; browser = b; });

describe.each(['light', 'dark'] as const)('axe-core, %s theme', (colorScheme) => {
  it('finds no violations of any impact on the main view, with a conversation, and in the dialogs (step card, help, brief, rehearsal)', async () => {
    const { page, problems, context } = await openMend(browser, server.url, { colorScheme });
    expect(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(colorScheme === 'dark');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, `07-axe-${colorScheme}-empty`);

    await sendMessage(page, 'He said I never listen and then he went to his room. I want to fix this.');
    expect(await waitForReplyEnd(page)).toBe('complete');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, `07-axe-${colorScheme}-conversation`);

    // Her last message being edited in place.
    await page.locator('#transcript .msg-user').last().getByRole('button', { name: 'Edit' }).click();
    await page.getByRole('textbox', { name: 'Your message' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, `07-axe-${colorScheme}-edit`);
    await page.keyboard.press('Escape');
    await page.getByRole('textbox', { name: 'Your message' }).waitFor({ state: 'detached' });

    await page.locator('#transcript .chip').first().click();
    await page.getByRole('dialog').waitFor();
    await page.waitForFunction(() => !document.querySelector('dialog[aria-busy]'));
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, `07-axe-${colorScheme}-step-card`);
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Get help now' }).click();
    await page.getByRole('dialog', { name: 'Get help now' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, `07-axe-${colorScheme}-help`);
    await page.keyboard.press('Escape');

    // The counsellor brief: the consent view, then the drafted brief in its editor.
    await page.getByRole('button', { name: 'Counsellor brief', exact: true }).click();
    const brief = page.getByRole('dialog', { name: 'Counsellor brief' });
    await brief.getByRole('button', { name: 'Draft my brief' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await brief.getByRole('button', { name: 'Draft my brief' }).click();
    await brief.locator('#brief-preview h1').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, `07-axe-${colorScheme}-brief`);
    await brief.getByRole('button', { name: 'Edit' }).click();
    await brief.getByRole('textbox', { name: 'Counsellor brief' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await brief.waitFor({ state: 'hidden' });

    // Rehearsal setup dialog.
    await page.getByRole('button', { name: 'Rehearse' }).click();
    await page.getByRole('dialog', { name: 'Rehearse a conversation' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, `07-axe-${colorScheme}-rehearse-setup`);
    await page.keyboard.press('Escape');
    expectNoProblems(problems);
    await context.close();
  });
});
