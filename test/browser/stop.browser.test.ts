import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { currentConversationId, expectNoProblems, openMend, screenshot, sendMessage, serverConversation, useMend, waitForReplyEnd } from './browser.js';
import type { MendServer } from './server.js';

let server: MendServer;
let browser: Browser;
useMend((s, b) => { server = s; browser = b; });

describe('Stop', () => {
  it('stops the reply mid-stream, keeps what was written and marks it stopped', async () => {
    const { page, problems, context } = await openMend(browser, server.url);
    await sendMessage(page, 'Every conversation about his grades turns into shouting. Last night he called me controlling and walked out.');
    await page.waitForFunction(() => {
      const r = document.querySelector('#transcript .msg-assistant.streaming .msg-body');
      return !!r && (r.textContent ?? '').length > 20;
    }, undefined, { timeout: 15_000 });
    await page.getByRole('button', { name: 'Stop' }).click();

    expect(await waitForReplyEnd(page)).toBe('stopped');
    const reply = page.locator('#transcript .msg-assistant').last();
    const shown = await reply.locator('.msg-body').innerText();
    expect(shown.length).toBeGreaterThan(10);
    await reply.getByText('You stopped this reply.').waitFor();
    await reply.getByRole('button', { name: 'Write it again' }).waitFor();
    await page.getByRole('button', { name: 'Send', exact: true }).waitFor({ state: 'visible' });
    await screenshot(page, '02-stopped');

    // The server kept the partial reply, marked stopped, and nothing more arrives later.
    const id = currentConversationId(page);
    const detail = await serverConversation(page, id);
    const stored = detail.messages.filter((m) => m.role === 'assistant');
    expect(stored).toHaveLength(1);
    expect(stored[0]!.status).toBe('stopped');
    expect(stored[0]!.text.length).toBeGreaterThan(10);
    expect(detail.activeReplyId).toBeNull();
    await page.waitForTimeout(1000);
    expect(await reply.locator('.msg-body').innerText()).toBe(shown);

    // After a reload it is still there, still marked stopped.
    await page.reload();
    await page.locator('#transcript .msg-assistant.status-stopped').waitFor();
    expectNoProblems(problems);
    await context.close();
  });
});
