import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, currentConversationId, expectNoProblems, openMend, screenshot, sendMessage, useMend, waitForReplyEnd, waitOnline } from './browser.js';
import type { MendServer } from './server.js';

let server: MendServer;
let browser: Browser;
useMend((s, b) => { server = s; browser = b; });

const STORY = "we haven't spoken in three weeks and every time I try he walks out. should we get help?";
const ADDED = 'I want him to know I will always be on his side.';

/** The server's copy of her brief (null when there is none), read with her cookie. */
async function serverBrief(page: Page, id: string): Promise<{ markdown: string; edited: boolean } | null> {
  return page.evaluate(async (cid) => {
    const res = await fetch(`/api/conversations/${cid}/brief`);
    return res.status === 404 ? null : (await res.json()).brief;
  }, id);
}

describe('the counsellor brief', () => {
  it('is offered in Find help, drafted only when she asks, edited, saved, kept after a reload, downloaded, printed and deleted', async () => {
    const { page, problems, context } = await openMend(browser, server.url);
    await page.getByRole('button', { name: 'Find help' }).click();
    await sendMessage(page, STORY);
    expect(await waitForReplyEnd(page)).toBe('complete');
    const id = currentConversationId(page);

    // The guided referral reply offers the brief; nothing is drafted before she asks.
    const reply = page.locator('#transcript .msg-assistant').last();
    await reply.getByRole('button', { name: 'Open your counsellor brief' }).waitFor();
    expect(await serverBrief(page, id)).toBeNull();
    expect(await axeViolations(page)).toEqual([]);

    // The header's "Counsellor brief" opens the dialog: a consent note and Draft, no editor yet.
    const opener = page.getByRole('button', { name: 'Counsellor brief', exact: true });
    await opener.click();
    const dialog = page.getByRole('dialog', { name: 'Counsellor brief' });
    await dialog.waitFor();
    await expect.poll(() => dialog.getAttribute('aria-busy')).toBeNull();
    expect(await dialog.innerText()).toContain('Mend will put together a summary from what you’ve written here. It stays on this computer.');
    expect(await dialog.getByRole('textbox', { name: 'Counsellor brief' }).isVisible()).toBe(false);
    await screenshot(page, '08-brief-consent');

    await dialog.getByRole('button', { name: 'Draft my brief' }).click();
    // She sees it rendered, as it will print, not as Markdown; focus is on it.
    const preview = dialog.locator('#brief-preview');
    await preview.locator('h1').waitFor();
    expect(await preview.locator('h1').innerText()).toBe('Counsellor brief');
    expect(await preview.locator('h2').allInnerTexts()).toContain('What has been happening');
    expect(await preview.innerText()).not.toContain('##');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('brief-preview');
    const box = dialog.getByRole('textbox', { name: 'Counsellor brief' });
    expect(await box.isVisible()).toBe(false);
    // The main action is printing (or saving as PDF from the print dialog).
    expect(await dialog.getByRole('button', { name: 'Print or save as PDF' }).getAttribute('class')).toContain('button-primary');
    await dialog.getByRole('button', { name: 'Edit' }).click();
    await box.waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('brief-text');
    const drafted = await box.inputValue();
    expect(drafted).toMatch(/^# Counsellor brief/);
    for (const heading of ['What has been happening', 'How long', 'What I have tried', 'What worries me most', 'What I hope for']) {
      expect(drafted).toContain(`## ${heading}`);
    }
    expect(drafted).toMatch(/## How long\s+- [^\n]*three weeks/);
    expect(drafted).toContain('walks out');
    expect((await serverBrief(page, id))?.markdown.trim()).toBe(drafted.trim());

    // The download link is the saved brief, as Markdown.
    const download = dialog.getByRole('link', { name: /Download/ });
    expect(await download.getAttribute('href')).toBe(`/api/conversations/${id}/brief.md`);
    expect(await download.getAttribute('download')).toBe('mend-counsellor-brief.md');
    const file = await page.evaluate(async (href) => {
      const res = await fetch(href);
      return { status: res.status, type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), text: await res.text() };
    }, `/api/conversations/${id}/brief.md`);
    expect(file.status).toBe(200);
    expect(file.type).toContain('text/markdown');
    expect(file.disposition).toContain('attachment');
    expect(file.text.trim()).toBe(drafted.trim());
    await screenshot(page, '08-brief-drafted');

    // She edits it. A save that fails keeps her text in the box and says why, in place.
    const edited = `${drafted.trim()}\n\n${ADDED}\n`;
    await box.fill(edited);
    await expect.poll(() => dialog.locator('#brief-status').innerText()).toContain('changes that aren’t saved yet');
    // The preview follows her edit as she types.
    await expect.poll(() => preview.innerText()).toContain(ADDED);
    await page.route('**/api/conversations/*/brief', (route) => route.request().method() === 'PUT'
      ? route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'storage', message: 'Mend couldn’t write to its database just now.' } }) })
      : route.continue());
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    const error = dialog.getByRole('alert');
    await expect.poll(() => error.innerText()).toContain('Your changes weren’t saved. Mend couldn’t write to its database just now.');
    expect(await box.inputValue()).toBe(edited);
    await screenshot(page, '08-brief-save-failed');
    await page.unroute('**/api/conversations/*/brief');

    // An empty brief is refused before it is sent.
    await box.fill('   ');
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => error.innerText()).toContain('Your brief is empty');
    expect(await box.getAttribute('aria-invalid')).toBe('true');

    await box.fill(edited);
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => dialog.locator('#brief-status').innerText()).toMatch(/^Saved\./);
    expect(await error.isVisible()).toBe(false);
    expect(await box.getAttribute('aria-invalid')).toBeNull();
    const saved = await serverBrief(page, id);
    expect(saved?.edited).toBe(true);
    expect(saved?.markdown).toContain(ADDED);
    expect(await page.evaluate((cid) => localStorage.getItem(`mend.brief-edit.${cid}`), id)).toBeNull();

    // Print: only the brief, as a clean page (window.print is stubbed; the print stylesheet is checked).
    await page.evaluate(() => {
      const w = window as unknown as { printed: number; print: () => void };
      w.printed = 0;
      w.print = () => { w.printed += 1; };
    });
    await dialog.getByRole('button', { name: 'Print' }).click();
    expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
    expect(await page.evaluate(() => document.documentElement.classList.contains('printing-brief'))).toBe(true);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('#brief-print').isVisible()).toBe(true);
    expect(await page.locator('#brief-print h1').innerText()).toBe('Counsellor brief');
    expect(await page.locator('#brief-print').innerText()).toContain(ADDED);
    expect(await page.locator('.app').isVisible()).toBe(false);
    expect(await page.locator('#brief-dialog').isVisible()).toBe(false);
    await screenshot(page, '08-brief-print');
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length).toBe(1);
    await page.emulateMedia({ media: 'screen' });
    await screenshot(page, '08-brief-edited');

    // Escape closes it and focus goes back to where she opened it.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('open-brief');
    expect(await page.evaluate(() => document.documentElement.classList.contains('printing-brief'))).toBe(false);

    // After a reload her edit is still there (from the server), opened from the reply's button.
    await page.reload();
    await waitOnline(page);
    await page.locator('#transcript .msg-assistant.status-complete').waitFor();
    await page.locator('#transcript').getByRole('button', { name: 'Open your counsellor brief' }).click();
    await dialog.waitFor();
    await expect.poll(() => preview.innerText()).toContain(ADDED);
    expect(await dialog.locator('#brief-status').innerText()).toMatch(/^Saved\./);
    await dialog.getByRole('button', { name: 'Edit' }).click();

    // Unsaved changes survive closing the dialog.
    await box.fill(`${edited}\nOne more thing.\n`);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await opener.click();
    await dialog.waitFor();
    await expect.poll(() => box.inputValue()).toContain('One more thing.');
    expect(await box.isVisible()).toBe(true); // unsaved changes open in the editor
    expect(await dialog.locator('#brief-status').innerText()).toContain('changes that aren’t saved yet');
    expect((await serverBrief(page, id))?.markdown).not.toContain('One more thing.');

    // Download saves them first, so the file is what she sees.
    const [downloadEvent] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('link', { name: /Download/ }).click()]);
    expect(downloadEvent.suggestedFilename()).toBe('mend-counsellor-brief.md');
    const downloaded = readFileSync((await downloadEvent.path())!, 'utf8');
    expect(downloaded).toContain('One more thing.');
    expect((await serverBrief(page, id))?.markdown).toContain('One more thing.');
    expect(await dialog.locator('#brief-status').innerText()).toMatch(/^Saved\./);

    // Delete (after confirming): back to the consent note, and the server has no brief.
    await dialog.getByRole('button', { name: 'Delete' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete your counsellor brief?' });
    await confirm.waitFor();
    await confirm.getByRole('button', { name: 'Delete brief' }).click();
    await dialog.getByRole('button', { name: 'Draft my brief' }).waitFor();
    expect(await box.isVisible()).toBe(false);
    expect(await serverBrief(page, id)).toBeNull();
    expect(await page.evaluate((cid) => localStorage.getItem(`mend.brief-edit.${cid}`), id)).toBeNull();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    expectNoProblems(problems);
    await context.close();
  });
});
