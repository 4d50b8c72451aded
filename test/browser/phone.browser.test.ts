import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { expectNoProblems, openMend, screenshot, sendMessage, useMend, waitForReplyEnd } from './browser.js';
import type { MendServer } from './server.js';

let server: MendServer;
let browser: Browser;
useMend((s, b) => { server = s; browser = b; });

const PHONE = { viewport: { width: 375, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

async function expectNoHorizontalScroll(page: Page): Promise<void> {
  const widths = await page.evaluate(() => ({
    doc: document.documentElement.scrollWidth,
    body: document.body.scrollWidth,
    scroller: document.getElementById('scroller')!.scrollWidth,
    scrollerClient: document.getElementById('scroller')!.clientWidth,
    viewport: window.innerWidth,
  }));
  expect(widths.doc).toBeLessThanOrEqual(widths.viewport);
  expect(widths.body).toBeLessThanOrEqual(widths.viewport);
  expect(widths.scroller).toBeLessThanOrEqual(widths.scrollerClient);
}

async function expectInViewport(page: Page, selector: string): Promise<void> {
  const box = await page.locator(selector).boundingBox();
  expect(box, `${selector} has a box`).toBeTruthy();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.y).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(375);
  expect(box!.y + box!.height).toBeLessThanOrEqual(740);
  expect(await page.locator(selector).isVisible()).toBe(true);
}

describe('phone width (375 × 740)', () => {
  it('has no horizontal scroll; composer, Send and Get help now stay visible; the list is a drawer', async () => {
    const { page, problems, context } = await openMend(browser, server.url, PHONE);
    await expectNoHorizontalScroll(page);
    await expectInViewport(page, '#message');
    await expectInViewport(page, '#send');
    await expectInViewport(page, '#help-now');
    expect(await page.getByRole('button', { name: 'Send', exact: true }).isVisible()).toBe(true);
    expect(await page.locator('#sidebar').isVisible()).toBe(false);
    await screenshot(page, '06-phone-empty');

    // A long unbroken word and a long reply must not widen the page.
    await sendMessage(page, `We argued again tonight. He typed ${'a'.repeat(120)} at me and slammed the door. I don’t know what to do.`);
    expect(await waitForReplyEnd(page)).toBe('complete');
    await expectNoHorizontalScroll(page);
    await expectInViewport(page, '#message');
    await expectInViewport(page, '#send');
    await expectInViewport(page, '#help-now');
    await screenshot(page, '06-phone-conversation');

    // The counsellor brief stays one tap away in the header, and its dialog fits the screen.
    await page.getByRole('button', { name: 'Counsellor brief', exact: true }).click();
    const brief = page.getByRole('dialog', { name: 'Counsellor brief' });
    await brief.getByRole('button', { name: 'Draft my brief' }).click();
    await brief.locator('#brief-preview h1').waitFor();
    const briefBox = await brief.boundingBox();
    expect(briefBox!.x).toBeGreaterThanOrEqual(0);
    expect(briefBox!.x + briefBox!.width).toBeLessThanOrEqual(375);
    await screenshot(page, '06-phone-brief');
    await page.keyboard.press('Escape');
    await brief.waitFor({ state: 'hidden' });

    // The conversation list opens as a drawer and closes with Escape.
    await page.getByRole('button', { name: 'Conversations' }).click();
    await page.locator('#sidebar.open').waitFor();
    await page.waitForTimeout(300);
    expect(await page.locator('#conv-list li[data-id]').count()).toBe(1);
    await expectInViewport(page, '#new-conversation');
    await screenshot(page, '06-phone-drawer');
    await page.keyboard.press('Escape');
    await page.locator('#sidebar:not(.open)').waitFor({ state: 'attached' });
    await page.waitForTimeout(300);
    expect(await page.locator('#sidebar').isVisible()).toBe(false);

    // The help panel fits the screen and offers one-tap call links.
    await page.getByRole('button', { name: 'Get help now' }).click();
    const help = page.getByRole('dialog', { name: 'Get help now' });
    await help.waitFor();
    expect(await help.locator('a[href^="tel:"]').count()).toBeGreaterThan(0);
    const box = await help.boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(375);
    await screenshot(page, '06-phone-help');
    await page.keyboard.press('Escape');
    await expectNoHorizontalScroll(page);
    expectNoProblems(problems);
    await context.close();
  });
});
