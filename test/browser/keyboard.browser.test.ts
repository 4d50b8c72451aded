import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { expectNoProblems, openMend, screenshot, useMend, waitForReplyEnd } from './browser.js';
import type { MendServer } from './server.js';

let server: MendServer;
let browser: Browser;
useMend((s, b) => { server = s; browser = b; });

/** What has focus, and whether a focus indicator is drawn on it (outline, or the composer's ring). */
async function focused(page: Page): Promise<{ id: string; name: string; tag: string; visible: boolean }> {
  return page.evaluate(async () => {
    // Let a frame pass, so transitions (if motion is allowed) have started.
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const el = document.activeElement as HTMLElement | null;
    if (!el) return { id: '', name: '', tag: '', visible: false };
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
    const ring = el.id === 'message' && getComputedStyle(el.closest('.composer')!).boxShadow.includes('0px 0px 0px 3px');
    return {
      id: el.id,
      name: (el.getAttribute('aria-label') ?? el.textContent ?? '').trim(),
      tag: el.tagName.toLowerCase(),
      visible: (outline || ring) && el.matches(':focus-visible'),
    };
  });
}

async function tabUntil(page: Page, match: (f: Awaited<ReturnType<typeof focused>>) => boolean, max = 40, key = 'Tab'): Promise<Awaited<ReturnType<typeof focused>>> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    const f = await focused(page);
    if (match(f)) return f;
  }
  throw new Error(`focus never reached the target after ${max} × ${key}`);
}

describe('keyboard only', () => {
  it('reaches the composer, sends with Enter (Shift+Enter for a new line), and reaches the conversation controls, with visible focus', async () => {
    const { page, problems, context } = await openMend(browser, server.url);
    // Start from the top of the page with nothing focused (on wide screens the page focuses the composer itself).
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.locator('.brand-name').click();

    // Tab to the composer; every stop on the way has a visible focus indicator.
    const stops: string[] = [];
    const composer = await tabUntil(page, (f) => {
      stops.push(`${f.tag}#${f.id} ${f.name}${f.visible ? '' : ' (NO FOCUS RING)'}`);
      return f.id === 'message';
    });
    expect(composer.visible, stops.join('\n')).toBe(true);
    expect(stops.filter((s) => s.includes('NO FOCUS RING')), stops.join('\n')).toEqual([]);
    expect(stops.some((s) => s.includes('Get help now'))).toBe(true);

    await page.keyboard.type('We argued about chores.');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('He said I treat him like a child.');
    expect(await page.locator('#message').inputValue()).toBe('We argued about chores.\nHe said I treat him like a child.');
    await screenshot(page, '05-keyboard-composer');
    await page.keyboard.press('Enter');
    await page.locator('#transcript .msg-user').waitFor();
    expect(await page.locator('#transcript .msg-user .bubble').innerText()).toBe('We argued about chores.\nHe said I treat him like a child.');
    expect(await waitForReplyEnd(page)).toBe('complete');

    // The reply's controls and the step chip are reachable.
    const chip = await tabUntil(page, (f) => f.name.includes('Step'), 20, 'Shift+Tab');
    expect(chip.visible).toBe(true);

    // Back to the conversation list: rename with the keyboard.
    const rename = await tabUntil(page, (f) => f.name.startsWith('Rename “'), 60, 'Shift+Tab');
    expect(rename.visible).toBe(true);
    await screenshot(page, '05-keyboard-focus-rename');
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    expect((await focused(page)).tag).toBe('input');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('Chores argument');
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await page.locator('#conv-list .conv-title', { hasText: 'Chores argument' }).waitFor();
    expect(await page.locator('#conv-heading').innerText()).toBe('Chores argument');

    // Delete asks first; Escape cancels and focus comes back.
    const del = await tabUntil(page, (f) => f.name.startsWith('Delete “'), 10);
    expect(del.visible).toBe(true);
    await page.keyboard.press('Enter');
    const confirm = page.getByRole('dialog');
    await confirm.waitFor();
    await confirm.getByText('can’t be undone').waitFor();
    await screenshot(page, '05-keyboard-delete-confirm');
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'detached' });
    expect((await focused(page)).name).toContain('Delete “');
    expect(await page.locator('#conv-list li[data-id]').count()).toBe(1);

    // Help panel from the keyboard: opens, Escape closes, focus returns.
    const help = await tabUntil(page, (f) => f.name.includes('Get help now'), 40);
    expect(help.visible).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Get help now' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog', { name: 'Get help now' }).waitFor({ state: 'hidden' });
    expect((await focused(page)).name).toContain('Get help now');

    // Confirm a delete with the keyboard.
    await tabUntil(page, (f) => f.name.startsWith('Delete “'), 60, 'Shift+Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    await tabUntil(page, (f) => f.name === 'Delete', 4);
    await page.keyboard.press('Enter');
    await page.locator('#conv-list li[data-id]').waitFor({ state: 'detached' });
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#/new');
    expectNoProblems(problems);
    await context.close();
  });
});
