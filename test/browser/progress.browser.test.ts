import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, currentConversationId, expectNoProblems, openMend, screenshot, sendMessage, useMend, waitForReplyEnd } from './browser.js';
import type { MendServer } from './server.js';

let server: MendServer;
let browser: Browser;
useMend((s, b) => { server = s; browser = b; });

const STORY = 'My son Jake is 15. We had a huge row about his phone and he slammed his door. I want to talk to him tomorrow in the car.';

async function openProgress(page: Page) {
  await page.getByRole('button', { name: 'Your progress', exact: true }).click();
  const panel = page.getByRole('dialog', { name: 'Your progress' });
  await panel.waitFor();
  return panel;
}

/** "datetime-local" value for a local time `ms` from now. */
function localValue(page: Page, offsetMs: number): Promise<string> {
  return page.evaluate((ms) => {
    const at = Date.now() + ms;
    return new Date(at - new Date(at).getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  }, offsetMs);
}

describe('plan → rehearse → check-in', () => {
  it('saves the plan in one tap, practises that talk, then asks how it went and keeps what worked', async () => {
    const { page, problems, context } = await openMend(browser, server.url);
    await sendMessage(page, STORY);
    expect(await waitForReplyEnd(page)).toBe('complete');
    const coaching = currentConversationId(page);

    // One tap at the end of the coaching conversation.
    await page.getByRole('button', { name: 'Save what I’ll try' }).click();
    const offer = page.locator('#plan-offer');
    await expect.poll(() => offer.innerText()).toContain('In your plans:');
    expect(await offer.innerText()).toContain('In the car');
    await screenshot(page, 'progress-plan-saved');

    // The plan opens a rehearsal of that talk: the scene is filled in from it, his age from the conversation.
    await offer.getByRole('button', { name: 'Practise it' }).click();
    const setup = page.getByRole('dialog', { name: 'Rehearse a conversation' });
    await setup.waitFor();
    const scene = await setup.getByLabel('What do you want to practise?').inputValue();
    expect(scene).toMatch(/^I want to say to him: “.{10,}”$/);
    expect(await setup.getByLabel('His age').inputValue()).toBe('15');
    await setup.getByRole('button', { name: 'Start rehearsal' }).click();
    await expect.poll(() => page.locator('#rehearse-bar').innerText()).toMatch(/(?:Rehearsal ready|Your turn|His turn)[\s\S]*phones in the basket/);
    await sendMessage(page, 'Jake, I am sorry I shouted about your phone. Can we talk in the car tomorrow?');
    expect(await waitForReplyEnd(page, 2)).toBe('complete'); // his line, then the coach's note
    expect(currentConversationId(page)).not.toBe(coaching);

    // Her plan, as she sees it; she says the talk has happened (its time moves into the past).
    let panel = await openProgress(page);
    const plan = panel.locator('.plan').first();
    expect(await plan.innerText()).toContain('In the car');
    await plan.getByRole('button', { name: 'Change' }).click();
    await plan.getByLabel('When').fill(await localValue(page, -60 * 60 * 1000));
    await plan.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => panel.locator('.progress-status').innerText()).toContain('Your plan is changed.');
    await panel.locator('.plan').first().getByRole('button', { name: 'How did it go?' }).click();

    // "How did it go?" in a new conversation, with the four quick replies.
    const card = page.getByRole('region', { name: 'How did it go?' });
    await card.waitFor();
    const labels = await card.getByRole('button').allInnerTexts();
    expect(labels).toEqual(['Better than expected', 'About the same', 'It went badly', 'I didn’t get to it', 'Not now']);
    await screenshot(page, 'progress-checkin');
    await card.getByRole('button', { name: 'Better than expected' }).click();
    expect(await waitForReplyEnd(page)).toBe('complete');
    const reply = page.locator('#transcript .msg-assistant').last();
    expect(await reply.innerText()).toContain('What do you think made the difference');
    expect(await page.locator('#transcript .msg-user').first().innerText()).toContain('It went better than I expected.');

    await sendMessage(page, 'I waited until we were both calm and listened first.');
    // Two replies: what worked is kept (said so), then the coach carries on from it.
    expect(await waitForReplyEnd(page, 3)).toBe('complete');
    expect(await page.locator('#transcript').innerText()).toContain('kept that with your plan');

    panel = await openProgress(page);
    // The panel shows what the page had at once, then the server's copy.
    await expect.poll(() => panel.locator('.plan').first().innerText()).toContain('How it went: Better than expected');
    const done = await panel.locator('.plan').first().innerText();
    expect(done).toContain('What worked: I waited until we were both calm and listened first.');
    await screenshot(page, 'progress-plans');
    expect(await axeViolations(page)).toEqual([]);
    expectNoProblems(problems);
    await context.close();
  });

  it('a reminder she chose is a browser notification with none of her words, and nothing is sent anywhere', async () => {
    const { page, problems, context } = await openMend(browser, server.url, {}, async (p) => {
      await p.context().grantPermissions(['notifications']);
      await p.addInitScript(() => {
        const shown: Array<{ title: string; body: string }> = [];
        (window as unknown as { shown: typeof shown }).shown = shown;
        class FakeNotification extends EventTarget {
          static permission = 'granted';
          static requestPermission = async () => 'granted';
          constructor(title: string, options: { body: string }) { super(); shown.push({ title, body: options.body }); }
        }
        (window as unknown as { Notification: unknown }).Notification = FakeNotification;
      });
    });
    const outside: string[] = [];
    page.on('request', (r) => { if (!r.url().startsWith(server.url)) outside.push(r.url()); });
    await sendMessage(page, STORY);
    await waitForReplyEnd(page);
    await page.getByRole('button', { name: 'Save what I’ll try' }).click();
    await expect.poll(() => page.locator('#plan-offer').innerText()).toContain('In your plans:');
    const panel = await openProgress(page);
    const plan = panel.locator('.plan').first();
    await plan.getByRole('button', { name: 'Change' }).click();
    await plan.getByLabel('When').fill(await localValue(page, 61_000)); // the next minute
    await plan.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => panel.locator('.progress-status').innerText()).toContain('Your plan is changed.');
    await panel.locator('.plan').first().getByLabel('Remind me on this device at that time').check();
    await expect.poll(() => panel.locator('.progress-status').innerText()).toContain('Mend will remind you');
    const shown = await page.waitForFunction(() => (window as unknown as { shown: Array<{ title: string; body: string }> }).shown[0], undefined, { timeout: 70_000 });
    const note = (await shown.jsonValue())!;
    expect(note.title).toBe('Mend');
    expect(note.body).not.toMatch(/phone|car|Jake|sorry/i);
    expect(outside).toEqual([]);
    expectNoProblems(problems);
    await context.close();
  });
});

const WEEK = 7 * 24 * 60 * 60 * 1000;
/** Six weeks of her check-ins and conversations, getting calmer: what GET /api/progress/trend answers. */
function trendWeeks(now: number) {
  const week = (i: number, talks: [number, number, number, number], conversations: number, calm: number | null, highest: string | null) => ({
    start: now - (6 - i) * WEEK, checkIns: { better: talks[0], same: talks[1], badly: talks[2], 'not-yet': talks[3] },
    checkInScore: talks[0] + talks[1] + talks[2] ? (3 * talks[0] + 2 * talks[1] + talks[2]) / (talks[0] + talks[1] + talks[2]) : null,
    conversations, calmScore: calm, highest,
  });
  return [week(0, [0, 0, 1, 0], 3, 1.7, 'high'), week(1, [0, 1, 1, 0], 2, 2, 'strained'), week(2, [0, 0, 0, 1], 1, 2, 'strained'),
    week(3, [1, 1, 0, 0], 2, 2.5, 'strained'), week(4, [1, 0, 0, 0], 1, 3, 'calm'), week(5, [2, 0, 0, 0], 2, 3, 'calm')];
}

describe('the trend chart', () => {
  it('names its toggle and says it is loading before the trend arrives', async () => {
    let release = () => {};
    const held = new Promise<void>((resolve) => { release = resolve; });
    const { page, problems, context } = await openMend(browser, server.url, {}, async (p) => {
      await p.route('**/api/progress/trend', async (route) => {
        await held;
        await route.fulfill({ contentType: 'application/json', body: JSON.stringify({ weeks: trendWeeks(Date.now()) }) });
      });
    });
    const panel = await openProgress(page);
    await panel.getByRole('button', { name: 'Hide the chart' }).waitFor();
    expect(await panel.locator('#trend-box').innerText()).toContain('Loading how things have been');
    expect(await axeViolations(page)).toEqual([]);
    release();
    await panel.locator('#trend-summary').waitFor();
    expect(await panel.locator('#trend-box').innerText()).not.toContain('Loading');
    expectNoProblems(problems);
    await context.close();
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`is drawn with a summary and a table, and she can hide it (${colorScheme})`, async () => {
      const { page, problems, context } = await openMend(browser, server.url, { colorScheme }, async (p) => {
        await p.route('**/api/progress/trend', (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify({ weeks: trendWeeks(Date.now()) }) }));
      });
      const panel = await openProgress(page);
      const summary = panel.locator('#trend-summary');
      await summary.waitFor();
      expect(await summary.innerText()).toContain('Over the last 6 weeks: 11 conversations with Mend and 9 check-ins');
      expect(await summary.innerText()).toContain('Your talks with him have been going better lately.');
      expect(await summary.innerText()).toContain('What you’ve told Mend has been calmer lately.');
      const canvas = panel.locator('.chart-box canvas');
      expect(await canvas.getAttribute('role')).toBe('img');
      expect(await canvas.getAttribute('aria-label')).toContain('Chart of the last 6 weeks.');
      // Chart.js has drawn: the canvas has painted pixels, in colours of this theme.
      await expect.poll(() => canvas.evaluate((c: HTMLCanvasElement) => {
        const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let painted = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) painted++;
        return painted;
      })).toBeGreaterThan(500);
      await panel.getByText('Show the numbers').click();
      expect(await panel.locator('.trend-table tbody tr').count()).toBe(6);
      expect(await panel.locator('.trend-table tbody tr').last().innerText()).toContain('2 better');
      await panel.locator('#trend-title').scrollIntoViewIfNeeded();
      await screenshot(page, `progress-trend-${colorScheme}`);
      expect(await axeViolations(page)).toEqual([]);

      await panel.getByRole('button', { name: 'Hide the chart' }).click();
      expect(await panel.locator('.chart-box').count()).toBe(0);
      await page.keyboard.press('Escape');
      const again = await openProgress(page);
      await again.getByRole('button', { name: 'Show the chart' }).waitFor();
      expect(await again.locator('.chart-box').count()).toBe(0);
      await again.getByRole('button', { name: 'Show the chart' }).click();
      await again.locator('.chart-box canvas').waitFor();
      expectNoProblems(problems); // no CSP violation from the charting library
      await context.close();
    });
  }
});
