import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { expectNoProblems, openMend, screenshot, sendMessage, useMend, waitForReplyEnd, waitOnline } from './browser.js';
import type { MendServer } from './server.js';

let server: MendServer;
let browser: Browser;
useMend((s, b) => { server = s; browser = b; });

describe('crisis', () => {
  it('shows the crisis banner and the region’s emergency line above the reply, and the banner stays', async () => {
    const { page, problems, context } = await openMend(browser, server.url);
    // Region US (the server's default): the emergency line is 911.
    await sendMessage(page, 'my son said he wants to kill himself tonight');

    const banner = page.locator('#crisis-banner');
    await banner.waitFor({ state: 'visible', timeout: 15_000 });
    expect(await banner.innerText()).toContain('911');
    expect(await banner.locator('a[href="tel:911"]').count()).toBe(1);
    await page.locator('#announce-alert').filter({ hasText: '911' }).waitFor({ state: 'attached' });

    await waitForReplyEnd(page);
    // The safety notice, with the emergency line, sits above the reply.
    const order = await page.evaluate(() => {
      const items = [...document.querySelectorAll('#transcript > *')];
      const safety = items.findIndex((e) => e.classList.contains('safety-card'));
      const reply = items.findIndex((e) => e.classList.contains('msg-assistant'));
      const user = items.findIndex((e) => e.classList.contains('msg-user'));
      return { user, safety, reply };
    });
    expect(order.safety).toBeGreaterThan(order.user);
    expect(order.safety).toBeLessThan(order.reply);
    const card = page.locator('#transcript .safety-card').first();
    expect(await card.locator('a[href^="tel:"]').count()).toBeGreaterThan(0);
    expect(await card.innerText()).toMatch(/911|988/);
    await screenshot(page, '08-crisis');

    // Another message: the banner stays.
    await sendMessage(page, 'He is in his room now. What should I say to him?');
    await waitForReplyEnd(page, 2);
    expect(await banner.isVisible()).toBe(true);

    // And after a reload.
    await page.reload();
    await waitOnline(page);
    await banner.waitFor({ state: 'visible' });
    expect(await banner.innerText()).toContain('911');
    await screenshot(page, '08-crisis-after-reload');
    expectNoProblems(problems);
    await context.close();
  });
});
