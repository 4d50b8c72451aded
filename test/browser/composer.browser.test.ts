import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { expectNoProblems, openMend, screenshot, sendMessage, useMend, waitForReplyEnd, waitOnline } from './browser.js';
import type { MendServer } from './server.js';

let server: MendServer;
let browser: Browser;
useMend((s, b) => { server = s; browser = b; });

describe('composer, help panel and region', () => {
  it('keeps an unsent draft across a reload, per conversation', async () => {
    const { page, problems, context } = await openMend(browser, server.url);
    await page.getByRole('textbox', { name: 'Message' }).fill('Half-written thought about last night');
    await page.waitForTimeout(400);
    await page.reload();
    await waitOnline(page);
    expect(await page.getByRole('textbox', { name: 'Message' }).inputValue()).toBe('Half-written thought about last night');

    // In a conversation, the draft belongs to that conversation.
    await page.getByRole('textbox', { name: 'Message' }).fill('');
    await sendMessage(page, 'We had words about his room.');
    await waitForReplyEnd(page);
    await page.getByRole('textbox', { name: 'Message' }).fill('Something I want to add later');
    await page.waitForTimeout(400);
    await page.reload();
    await waitOnline(page);
    await page.locator('#transcript .msg-assistant').waitFor();
    expect(await page.getByRole('textbox', { name: 'Message' }).inputValue()).toBe('Something I want to add later');
    await page.getByRole('button', { name: 'New conversation' }).click();
    await expect.poll(() => page.getByRole('textbox', { name: 'Message' }).inputValue()).toBe('');
    expectNoProblems(problems);
    await context.close();
  });

  it('opens the help panel with the region’s tel: and sms: links; the region is remembered', async () => {
    const { page, problems, context } = await openMend(browser, server.url);
    expect(await page.locator('#emergency-link').getAttribute('href')).toBe('tel:911');
    await page.getByRole('button', { name: 'Get help now' }).click();
    const help = page.getByRole('dialog', { name: 'Get help now' });
    await help.waitFor();
    expect(await help.locator('a[href="tel:911"]').count()).toBe(1);
    expect(await help.locator('a[href^="sms:"]').count()).toBeGreaterThan(0);
    await screenshot(page, '09-help-us');

    await help.getByLabel('Where you are').selectOption('UK');
    await help.locator('a[href="tel:999"]').waitFor();
    expect(await help.locator('a[href="tel:116123"]').count()).toBeGreaterThan(0);
    await screenshot(page, '09-help-uk');
    // "112 or 999" is two numbers, each its own call link.
    await help.getByLabel('Where you are').selectOption('IE');
    await help.locator('a[href="tel:112"]').waitFor();
    expect(await help.locator('a[href="tel:999"]').count()).toBe(1);
    expect(await help.locator('a[href="tel:112999"]').count()).toBe(0);
    await help.getByLabel('Where you are').selectOption('UK');
    await help.locator('a[href="tel:999"]').waitFor();
    await page.keyboard.press('Escape');
    expect(await page.locator('#emergency-link').getAttribute('href')).toBe('tel:999');

    await page.reload();
    await waitOnline(page);
    expect(await page.locator('#emergency-link').getAttribute('href')).toBe('tel:999');
    expect(await page.evaluate(() => localStorage.getItem('mend.region'))).toBe('UK');
    expectNoProblems(problems);
    await context.close();
  });

  it('sets up a rehearsal (scene, age, temperament) and shows its controls', async () => {
    const { page, problems, context } = await openMend(browser, server.url);
    await page.getByRole('button', { name: 'Rehearse' }).click();
    const setup = page.getByRole('dialog', { name: 'Rehearse a conversation' });
    await setup.waitFor();
    await setup.getByLabel('What do you want to practise?').fill('Saying sorry for shouting about his phone');
    await setup.getByLabel('His age').selectOption('15');
    await setup.getByLabel(/Withdrawn/).check();
    await screenshot(page, '10-rehearse-setup');
    await setup.getByRole('button', { name: 'Start rehearsal' }).click();
    await setup.waitFor({ state: 'detached' });
    await expect.poll(() => page.getByRole('button', { name: 'Rehearse', exact: true }).getAttribute('aria-pressed')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('message');
    await page.locator('#rehearse-bar').getByText('Saying sorry for shouting').waitFor();
    await page.getByRole('button', { name: /Coach notes: on/ }).waitFor();
    await page.getByRole('button', { name: 'End rehearsal' }).waitFor();
    await page.getByRole('button', { name: 'Try that line again' }).waitFor();

    await sendMessage(page, 'Hey, can we talk for a minute about last night?');
    await waitForReplyEnd(page);
    // The rehearsal's settings are kept with the conversation.
    const saved = await page.evaluate(() => {
      const id = /#\/c\/(.+)$/.exec(location.hash)?.[1];
      return JSON.parse(localStorage.getItem(`mend.rehearsal.${id}`) ?? 'null');
    });
    expect(saved).toEqual({ scene: 'Saying sorry for shouting about his phone', age: 15, temperament: 'withdrawn', notes: true });
    await page.getByRole('button', { name: /Coach notes: on/ }).click();
    await page.getByRole('button', { name: /Coach notes: off/ }).waitFor();
    // His line and the coach note are two replies; End waits until both are written.
    await expect.poll(() => page.getByRole('button', { name: 'End rehearsal' }).isEnabled(), { timeout: 10_000 }).toBe(true);
    await screenshot(page, '10-rehearse-running');
    expectNoProblems(problems);
    await context.close();
  });

  it('follows the stream unless she scrolled up, then offers a way back down', async () => {
    const { page, problems, context } = await openMend(browser, server.url, { viewport: { width: 900, height: 520 } });
    await sendMessage(page, 'We had a big fight about his friends. He says I judge them and he stormed out, and I said things I regret.');
    expect(await waitForReplyEnd(page)).toBe('complete');
    const atBottom = () => page.locator('#scroller').evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight < 4);
    expect(await atBottom()).toBe(true);

    await sendMessage(page, 'He is in his room now and will not talk to me.');
    await page.locator('#transcript .msg-assistant.streaming').waitFor();
    await page.locator('#scroller').evaluate((el) => { el.scrollTop = 0; el.dispatchEvent(new Event('scroll')); });
    await page.waitForTimeout(600);
    expect(await page.locator('#scroller').evaluate((el) => el.scrollTop)).toBe(0);
    await page.locator('#jump').waitFor({ state: 'visible' });
    await screenshot(page, '13-scrolled-up');
    await page.locator('#jump').click();
    expect(await atBottom()).toBe(true);
    expect(await waitForReplyEnd(page, 2)).toBe('complete');
    await expect.poll(atBottom).toBe(true);
    expectNoProblems(problems);
    await context.close();
  });

  it('copies a reply as plain text', async () => {
    const { page, problems, context } = await openMend(browser, server.url);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    await sendMessage(page, 'He slammed the door when I asked about homework.');
    expect(await waitForReplyEnd(page)).toBe('complete');
    const reply = page.locator('#transcript .msg-assistant').last();
    await reply.getByRole('button', { name: 'Copy reply' }).click();
    await reply.getByRole('button', { name: 'Copied' }).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    const firstLine = (await reply.locator('.msg-body p').first().innerText()).trim();
    expect(copied.startsWith(firstLine)).toBe(true);
    expect(copied).not.toContain('**');
    expectNoProblems(problems);
    await context.close();
  });
});
