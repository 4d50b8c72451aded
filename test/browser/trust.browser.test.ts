import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, currentConversationId, expectNoProblems, openMend, screenshot, sendMessage, serverConversation, useMend, waitForReplyEnd, waitOnline } from './browser.js';
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

/** Text cut off by its box (not an intended "…"), and sideways scroll, at the current width. */
async function clippedText(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    if (document.documentElement.scrollWidth > window.innerWidth + 1) found.push(`page scrolls sideways: ${document.documentElement.scrollWidth} > ${window.innerWidth}`);
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      if (!el.checkVisibility?.() || el.closest('.visually-hidden, [hidden]')) continue;
      const style = getComputedStyle(el);
      if (style.position === 'absolute' && el.clientWidth <= 1) continue; // visually hidden on purpose
      const ownText = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim());
      const isSelect = el instanceof HTMLSelectElement;
      if (!ownText && !isSelect) continue;
      if (style.textOverflow === 'ellipsis') continue; // cut short on purpose, the whole text in its tooltip or elsewhere
      const clipsX = style.overflowX !== 'visible' || isSelect;
      if (clipsX && el.scrollWidth > el.clientWidth + 1) found.push(`${el.tagName.toLowerCase()}#${el.id}.${el.className}: "${(el.textContent ?? '').trim().slice(0, 40)}" ${el.scrollWidth} > ${el.clientWidth}`);
      if (isSelect) {
        // A select shows its chosen option: its text must fit the box.
        const canvas = document.createElement('canvas').getContext('2d')!;
        canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
        const text = el.selectedOptions[0]?.text ?? '';
        const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 16; // the arrow
        if (canvas.measureText(text).width > room) found.push(`select#${el.id}: "${text}" does not fit`);
      }
    }
    return found;
  });
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
    for (const width of [320, 375, 414, 768, 1024, 1280, 1440, 1920]) {
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
});
