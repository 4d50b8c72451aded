import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  axeViolations, currentConversationId, expectNoProblems, openMend, screenshot, sendMessage, serverConversation, useMend, waitForReplyEnd, waitOnline,
} from './browser.js';
import type { MendServer } from './server.js';

let server: MendServer;
let browser: Browser;
useMend((s, b) => { server = s; browser = b; });

const FIRST = 'He rolls his eyes every time I ask about school and I end up nagging.';
const SECOND = 'He rolls his eyes when I ask about homework, and then we both shout.';

const focused = (page: Page) => page.evaluate(() => {
  const el = document.activeElement;
  return el?.id || el?.getAttribute('data-action') || el?.tagName || '';
});
const alerted = (page: Page) => page.locator('#announce-alert').innerText();

/**
 * The real server, with one twist: the first edit she sends is pointed at a message that is
 * not hers, so the server refuses it the way it refuses any edit it cannot take.
 */
async function refuseFirstEdit(page: Page): Promise<void> {
  let refused = false;
  await page.routeWebSocket(/\/api\/chat$/, (ws) => {
    const upstream = ws.connectToServer();
    ws.onMessage((message) => {
      const frame = JSON.parse(String(message)) as { type: string; messageId?: string };
      if (frame.type === 'edit' && !refused) {
        refused = true;
        upstream.send(JSON.stringify({ ...frame, messageId: 'not-a-message-of-hers' }));
      } else {
        upstream.send(String(message));
      }
    });
    upstream.onMessage((message) => ws.send(String(message)));
  });
}

describe('editing her last message', () => {
  it('edits and resends it: the new reply streams, her old words and the old reply stay as versions, after a reload too', async () => {
    const { page, problems, context } = await openMend(browser, server.url, {}, refuseFirstEdit);
    await sendMessage(page, FIRST);
    expect(await waitForReplyEnd(page)).toBe('complete');
    const firstReply = await page.locator('#transcript .msg-assistant .msg-body').innerText();
    const mine = page.locator('#transcript .msg-user').last();
    const edit = mine.getByRole('button', { name: 'Edit' });

    // By keyboard: Edit opens the editor with her words, focused; Escape puts everything back.
    await edit.focus();
    await page.keyboard.press('Enter');
    const box = mine.getByRole('textbox', { name: 'Your message' });
    await box.waitFor();
    expect(await box.inputValue()).toBe(FIRST);
    expect(await focused(page)).toBe('edit-message');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, '12-edit-open');
    await page.keyboard.press('Escape');
    await box.waitFor({ state: 'detached' });
    expect(await mine.locator('.bubble').innerText()).toBe(FIRST);
    await expect.poll(() => focused(page)).toBe('edit');

    // A refused edit is announced and loses nothing: her new words stay in the box.
    await page.keyboard.press('Enter');
    await box.fill(SECOND);
    await box.press('Enter');
    await expect.poll(() => alerted(page)).toContain('Your edit wasn’t sent.');
    expect(await box.inputValue()).toBe(SECOND);
    expect(await box.isEditable()).toBe(true);

    // Sent again, it is taken: her message says the new words, focus goes back to the message box, the reply streams.
    await mine.getByRole('button', { name: 'Save & send' }).click();
    await box.waitFor({ state: 'detached' });
    expect(await mine.locator('.bubble').innerText()).toBe(SECOND);
    await expect.poll(() => focused(page)).toBe('message');
    await page.locator('#transcript .msg-assistant.streaming').waitFor();
    expect(await waitForReplyEnd(page)).toBe('complete');
    const reply = page.locator('#transcript .msg-assistant');
    expect(await reply.count()).toBe(1);
    expect(await reply.locator('.versions-count').innerText()).toBe('2 / 2');
    await reply.getByRole('button', { name: 'Earlier version' }).click();
    expect(await reply.locator('.msg-body').innerText()).toBe(firstReply);
    await screenshot(page, '12-edit-sent');

    const detail = await serverConversation(page, currentConversationId(page));
    expect(detail.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(detail.messages[0]!.text).toBe(SECOND);

    // After a reload: her edited words, with 1 / 2 a tap away.
    await page.reload();
    await waitOnline(page);
    await mine.locator('.versions-count').waitFor();
    expect(await mine.locator('.bubble').innerText()).toBe(SECOND);
    expect(await mine.locator('.versions-count').innerText()).toBe('2 / 2');
    await mine.getByRole('group', { name: 'Versions of your message' }).getByRole('button', { name: 'Earlier version' }).click();
    expect(await mine.locator('.versions-count').innerText()).toBe('1 / 2');
    expect(await mine.locator('.bubble').innerText()).toBe(FIRST);
    expect(await page.locator('#transcript .msg-assistant .versions-count').innerText()).toBe('2 / 2');
    expect(await axeViolations(page)).toEqual([]);
    expectNoProblems(problems);
    await context.close();
  });

  it('offers Edit only on her last message, and not while Mend is answering', async () => {
    const { page, problems, context } = await openMend(browser, server.url);
    await sendMessage(page, FIRST);
    const edits = page.locator('#transcript .msg-user [data-action="edit"]');
    await page.locator('#transcript .msg-assistant.streaming').waitFor();
    expect(await edits.first().isHidden()).toBe(true);
    expect(await waitForReplyEnd(page)).toBe('complete');
    await sendMessage(page, 'And he slams his door when I bring it up again.');
    expect(await waitForReplyEnd(page, 2)).toBe('complete');
    expect(await edits.count()).toBe(2);
    expect(await edits.nth(0).isHidden()).toBe(true);
    expect(await edits.nth(1).isVisible()).toBe(true);
    expectNoProblems(problems);
    await context.close();
  });
});
