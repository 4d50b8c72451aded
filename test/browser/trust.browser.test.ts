import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, currentConversationId, expectNoProblems, openMend, screenshot, sendMessage, serverConversation, useMend, waitForReplyEnd, waitOnline } from './browser.js';
import { clippedText } from './clipping.js';
import type { MendServer } from './server.js';

let server: MendServer;
let browser: Browser;
useMend((s, b) => { server = s; browser = b; });

const PHONE = { viewport: { width: 375, height: 740 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true };
const CRISIS = 'I found pills hidden in his room and I am scared he wants to die.';

const pressedMode = (page: Page) => page.locator('#modes [aria-pressed="true"]').innerText();
const sendLabel = (page: Page) => page.locator('#send .label').innerText();
const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');

async function startRehearsal(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Rehearse', exact: true }).click();
  await page.locator('#rehearse-scene').fill('Saying sorry for shouting about his phone');
  await page.getByRole('button', { name: 'Start rehearsal' }).click();
}

/** The narrowest phone to a wide desktop, with the widths where the layout changes in between. */
const SWEEP_WIDTHS = [320, 360, 375, 390, 414, 420, 421, 480, 560, 561, 640, 641, 760, 761, 768, 860, 861, 960, 961, 1024, 1100, 1101, 1280, 1440, 1920];

/** At every sweep width: the state is still there (a resize must not drop it) and nothing is cut off. */
async function expectNothingClippedAcross(page: Page, label: string, stillThere: () => Promise<boolean>): Promise<void> {
  for (const width of SWEEP_WIDTHS) {
    await page.setViewportSize({ width, height: 860 });
    await page.waitForTimeout(50);
    expect(await stillThere(), `${label}, at ${width} px`).toBe(true);
    expect(await clippedText(page), `${label}, at ${width} px`).toEqual([]);
  }
}

describe('a chat app she already trusts', () => {
  it('sends each message in the mode she sees, goes back to Coach after Find help and Draft check, and reopens in Coach', async () => {
    const { page, problems, context } = await openMend(browser, server.url);
    expect(await sendLabel(page)).toBe('Send');
    await page.getByRole('button', { name: 'Find help', exact: true }).click();
    expect(await sendLabel(page)).toBe('Find help');
    // Every polite announcement, kept: the next one may replace this one within milliseconds.
    await page.evaluate(() => {
      const region = document.getElementById('announce-polite')!;
      const heard: string[] = ((window as unknown as { heard: string[] }).heard = []);
      new MutationObserver(() => heard.push(region.textContent ?? '')).observe(region, { childList: true, characterData: true, subtree: true });
    });
    await sendMessage(page, 'I would like to find a family counsellor for us.');
    // Back to Coach at once, and said so.
    expect(await pressedMode(page)).toBe('Coach');
    expect(await sendLabel(page)).toBe('Send');
    await expect.poll(() => page.evaluate(() => (window as unknown as { heard: string[] }).heard.join('\n'))).toContain('Your next message goes to Coach');
    expect(await waitForReplyEnd(page)).toBe('complete');
    await page.getByRole('button', { name: 'Draft check', exact: true }).click();
    expect(await sendLabel(page)).toBe('Check draft');
    await sendMessage(page, 'I am sorry about last night. Can we talk after dinner?');
    expect(await pressedMode(page)).toBe('Coach');
    expect(await waitForReplyEnd(page, 2)).toBe('complete');
    await sendMessage(page, 'He still will not talk to me.');
    expect(await waitForReplyEnd(page, 3)).toBe('complete');
    const id = currentConversationId(page);
    const modes = (await serverConversation(page, id)).messages.filter((m) => m.role === 'user').map((m) => (m as unknown as { mode: string }).mode);
    expect(modes).toEqual(['referral', 'draft', 'coach']);
    // A Draft check used last does not decide the next message: reopening is in Coach.
    await page.getByRole('button', { name: 'Draft check', exact: true }).click();
    await page.reload();
    await waitOnline(page);
    await page.locator('#transcript .msg-assistant').first().waitFor();
    expect(await pressedMode(page)).toBe('Coach');
    expectNoProblems(problems);
    await context.close();
  });

  it('puts focus somewhere useful after Stop, regenerate and deleting the conversation', async () => {
    const { page, problems, context } = await openMend(browser, server.url);
    await sendMessage(page, 'He told me I never listen to him and walked out. What do I say when he comes back?');
    const stop = page.getByRole('button', { name: 'Stop' });
    await stop.waitFor({ state: 'visible' });
    await page.waitForFunction(() => (document.querySelector('#transcript .msg-assistant.streaming .msg-body')?.textContent ?? '').length > 20);
    await stop.focus();
    await page.keyboard.press('Enter');
    expect(await waitForReplyEnd(page)).toBe('stopped');
    await expect.poll(() => focusedId(page)).toBe('message');

    await page.locator('#transcript .msg-assistant').last().locator('[data-action="regenerate"]').first().click();
    await expect.poll(() => focusedId(page)).toBe('message');
    await page.locator('#transcript .msg-assistant.status-complete').waitFor({ timeout: 30_000 });
    expect(await waitForReplyEnd(page)).toBe('complete');

    await page.locator('#delete-current').click();
    await page.getByRole('dialog', { name: 'Delete this conversation?' }).getByRole('button', { name: 'Delete' }).click();
    await page.locator('#conv-list li[data-id]').waitFor({ state: 'detached' });
    await expect.poll(() => focusedId(page)).toBe('message');
    expectNoProblems(problems);
    await context.close();
  });

  it('lists conversations under neutral titles and day headings, searches them, and hides even the kind with Discreet titles', async () => {
    const { page, problems, context } = await openMend(browser, server.url);
    await sendMessage(page, 'Every talk about his trampoline turns into a fight.');
    expect(await waitForReplyEnd(page)).toBe('complete');
    await page.getByRole('button', { name: 'New conversation' }).click();
    await sendMessage(page, 'He came home two hours late smelling of smoke.');
    expect(await waitForReplyEnd(page)).toBe('complete');
    const list = page.locator('#conv-list');
    await expect.poll(() => list.locator('li[data-id]').count()).toBe(2);
    expect(await list.locator('.conv-group-title').allInnerTexts()).toEqual(['Today']);
    expect(await list.locator('.conv-title').allInnerTexts()).toEqual(['Coaching', 'Coaching']);
    expect(await list.innerText()).not.toMatch(/trampoline|smoke/);

    await page.getByRole('searchbox', { name: 'Search your conversations' }).fill('trampoline');
    await expect.poll(() => list.locator('li[data-id]').count()).toBe(1);
    expect(await page.locator('#conv-search-status').innerText()).toContain('1 conversation has those words');
    await screenshot(page, 'trust-search');
    await page.getByRole('searchbox', { name: 'Search your conversations' }).fill('');
    await expect.poll(() => list.locator('li[data-id]').count()).toBe(2);

    await page.locator('.settings-box summary').click();
    await page.getByRole('checkbox', { name: 'Discreet titles' }).check();
    expect(await list.locator('.conv-title').allInnerTexts()).toEqual(['Conversation', 'Conversation']);
    expect(await page.locator('#conv-heading').innerText()).toBe('Conversation');
    expect(await page.title()).toBe('Mend');
    await page.reload();
    await waitOnline(page);
    expect(await list.locator('.conv-title').allInnerTexts()).toEqual(['Conversation', 'Conversation']);
    expectNoProblems(problems);
    await context.close();
  });

  it('on a phone: an h1, the welcome at its top, a crisis banner that folds to one line of call buttons, a slim rehearsal bar that says whose turn it is', async () => {
    const { page, problems, context } = await openMend(browser, server.url, PHONE);
    expect(await page.locator('h1').count()).toBe(1);
    expect(await page.evaluate(() => document.getElementById('scroller')!.scrollTop)).toBe(0);
    await page.locator('#empty-title').evaluate((el) => { if (el.getBoundingClientRect().top < 0) throw new Error('the welcome is scrolled away'); });

    await sendMessage(page, CRISIS);
    expect(await waitForReplyEnd(page)).toBe('complete');
    const banner = page.locator('#crisis-banner');
    await banner.waitFor();
    await screenshot(page, 'trust-phone-crisis');
    await banner.getByRole('button', { name: 'Less' }).click();
    const folded = (await banner.boundingBox())!;
    expect(folded.height).toBeLessThanOrEqual(72);
    const calls = banner.locator('a.button');
    expect(await calls.count()).toBeGreaterThanOrEqual(2);
    const tops = await calls.evaluateAll((els) => els.filter((e) => (e as HTMLElement).offsetParent).map((e) => Math.round(e.getBoundingClientRect().top)));
    expect(new Set(tops).size).toBe(1);
    expect(await banner.getByRole('link', { name: /Call 911/ }).isVisible()).toBe(true);
    // Reopened, it starts folded, and never goes away while the crisis stands.
    await page.reload();
    await waitOnline(page);
    await banner.waitFor();
    expect((await banner.boundingBox())!.height).toBeLessThanOrEqual(72);
    expect(await banner.getByRole('button', { name: 'Details' }).getAttribute('aria-expanded')).toBe('false');
    expect((await page.locator('#scroller').boundingBox())!.height).toBeGreaterThan(400);
    await screenshot(page, 'trust-phone-crisis-folded');
    expect(await axeViolations(page)).toEqual([]);
    await context.close();

    const second = await openMend(browser, server.url, PHONE);
    const p2 = second.page;
    await startRehearsal(p2);
    const bar = p2.locator('#rehearse-bar');
    expect(await bar.getAttribute('data-phase')).toBe('setup');
    await sendMessage(p2, 'I am sorry I shouted at you last night.');
    await expect.poll(() => bar.getAttribute('data-phase')).toBe('his-turn');
    // Her reply while his line (or the coach note) is still being written is taken, not refused.
    await p2.waitForFunction(() => !!document.querySelector('#transcript .msg-assistant.streaming'));
    await sendMessage(p2, 'I want us to talk properly.');
    await p2.locator('#transcript .msg-user.status-next, #transcript .msg-user.status-sending, #transcript .msg-user.status-complete').nth(1).waitFor();
    await p2.waitForFunction(() => document.getElementById('rehearse-bar')?.dataset.phase === 'her-turn'
      && JSON.parse(localStorage.getItem('mend.outbox') ?? '[]').length === 0, undefined, { timeout: 40_000 });
    expect((await bar.boundingBox())!.height).toBeLessThanOrEqual(48);
    expect((await p2.locator('#scroller').boundingBox())!.height).toBeGreaterThan(400);
    await screenshot(p2, 'trust-phone-rehearsal');
    expect(await axeViolations(p2)).toEqual([]);
    await bar.getByRole('button', { name: 'End' }).click();
    await expect.poll(() => bar.getAttribute('data-phase'), { timeout: 30_000 }).toBe('ended');
    await bar.getByRole('button', { name: 'Start another' }).waitFor();
    expect(await bar.innerText()).toContain('Rehearsal ended');
    await bar.getByRole('button', { name: 'Start another' }).click();
    await p2.getByRole('dialog', { name: 'Rehearse a conversation' }).waitFor();
    await p2.getByRole('button', { name: 'Start rehearsal' }).click();
    await expect.poll(() => bar.getAttribute('data-phase')).toBe('setup');
    expect(await p2.locator('#transcript .msg-user').count()).toBe(0);
    expectNoProblems([...problems, ...second.problems]);
    await second.context.close();
  });

  it('has no clipped text and no sideways scroll from 320 to 1920 px, settings open', async () => {
    const { page, problems, context } = await openMend(browser, server.url);
    await sendMessage(page, `We argued again. He typed ${'a'.repeat(80)} and left.`);
    expect(await waitForReplyEnd(page)).toBe('complete');
    for (const width of SWEEP_WIDTHS) {
      await page.setViewportSize({ width, height: 860 });
      if (width <= 860) {
        await page.getByRole('button', { name: 'Conversations' }).click();
        await page.locator('#sidebar.open').waitFor();
      }
      const details = page.locator('.settings-box');
      if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await details.locator('summary').click();
      await page.waitForTimeout(100);
      expect(await clippedText(page), `at ${width} px`).toEqual([]);
      if (width <= 860) await page.keyboard.press('Escape');
      await page.waitForTimeout(150);
      expect(await clippedText(page), `at ${width} px, list closed`).toEqual([]);
    }
    expectNoProblems(problems);
    await context.close();
  });

  it('has no clipped text and no sideways scroll from 320 to 1920 px while a crisis stands, the banner open and folded, in every region', async () => {
    const { page, problems, context } = await openMend(browser, server.url);
    await sendMessage(page, CRISIS);
    expect(await waitForReplyEnd(page)).toBe('complete');
    const banner = page.locator('#crisis-banner');
    await page.locator('.settings-box summary').click();
    // Each region has its own numbers, and the longest ("Call 13 11 14") must fit the folded line too.
    const regions = await page.locator('#region-select option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    expect(regions.length).toBeGreaterThan(5);
    for (const region of regions) {
      await page.setViewportSize({ width: 1280, height: 860 });
      await page.locator('#region-select').selectOption(region);
      await expectNothingClippedAcross(page, `${region}, banner open`, () => banner.isVisible());
      await banner.getByRole('button', { name: 'Less' }).click();
      await expectNothingClippedAcross(page, `${region}, banner folded`, async () => (await banner.getAttribute('class'))!.includes('collapsed'));
      await banner.getByRole('button', { name: 'Details' }).click();
    }
    expectNoProblems(problems);
    await context.close();
  });

  it('has no clipped text and no sideways scroll from 320 to 1920 px during a rehearsal', async () => {
    const { page, problems, context } = await openMend(browser, server.url);
    await startRehearsal(page);
    await sendMessage(page, 'I am sorry I shouted at you last night.');
    await page.waitForFunction(() => document.getElementById('rehearse-bar')?.dataset.phase === 'her-turn'
      && !document.querySelector('#transcript .streaming'), undefined, { timeout: 40_000 });
    await expectNothingClippedAcross(page, 'her turn', () => page.locator('#rehearse-bar').isVisible());
    expectNoProblems(problems);
    await context.close();
  });
});
