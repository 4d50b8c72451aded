import { describe, expect, it } from 'vitest';
import type { Browser, Page, WebSocketRoute } from 'playwright-core';
import { expectNoProblems, openMend, screenshot, sendMessage, useMend, waitForReplyEnd } from './browser.js';
import type { MendServer } from './server.js';

/**
 * The page's handling of frames the guided server rarely or never sends (a crisis notice, a
 * failed reply, a refused message), checked by rewriting frames between the page and the real
 * server with Playwright's WebSocket routing.
 */
let server: MendServer;
let browser: Browser;
useMend((s, b) => { server = s; browser = b; });

type Frame = Record<string, unknown> & { type: string };
type Rewrite = {
  /** Page → server: return null to swallow the frame, or frames to answer the page with instead. */
  toServer?: (frame: Frame, ws: WebSocketRoute) => Frame | null | 'forward';
  /** Server → page: the frames to pass on instead (none = swallowed). */
  toPage?: (frame: Frame) => Frame[];
};

async function route(page: Page, rewrite: Rewrite): Promise<void> {
  await page.routeWebSocket(/\/api\/chat$/, (ws) => {
    const upstream = ws.connectToServer();
    ws.onMessage((message) => {
      const frame = JSON.parse(String(message)) as Frame;
      const decision = rewrite.toServer?.(frame, ws) ?? 'forward';
      if (decision === 'forward') upstream.send(String(message));
      else if (decision) ws.send(JSON.stringify(decision));
    });
    upstream.onMessage((message) => {
      const frame = JSON.parse(String(message)) as Frame;
      for (const out of rewrite.toPage ? rewrite.toPage(frame) : [frame]) ws.send(JSON.stringify(out));
    });
  });
}

const US_LINES = [
  { id: 'us-911', name: 'Emergency services', purpose: ['emergency'], phone: '911', source: 'test' },
  { id: 'us-988', name: '988 Suicide & Crisis Lifeline', purpose: ['suicide'], phone: '988', text: '988', hours: '24/7', source: 'test' },
];

describe('frames the page must handle', () => {
  it('renders a crisis safety frame: the banner, and the emergency line above the reply', async () => {
    let crisisClientId = '';
    const { page, problems, context } = await openMend(browser, server.url, {}, (p) => route(p, {
      toServer: (f) => {
        if (f.type === 'send' && String(f.text).includes('kill himself')) crisisClientId = String(f.clientId);
        return 'forward';
      },
      toPage: (f) => {
        if (f.type === 'ack' && f.clientId === crisisClientId) {
          return [f, {
            type: 'safety', conversationId: f.conversationId, messageId: f.messageId, level: 'crisis', atRisk: ['son-self-harm'],
            notice: '**What you have told me sounds like an emergency.** If he is in danger now, call **911**. You can also call or text **988** any time.',
            resources: US_LINES, banner: true,
          }];
        }
        return [f];
      },
    }));
    await sendMessage(page, 'my son said he wants to kill himself tonight');
    const banner = page.locator('#crisis-banner');
    await banner.waitFor({ state: 'visible' });
    expect(await banner.locator('a[href="tel:911"]').count()).toBe(1);
    expect(await banner.locator('a[href="tel:988"]').count()).toBe(1);
    await page.locator('#announce-alert').filter({ hasText: '911' }).waitFor({ state: 'attached' });
    await waitForReplyEnd(page);
    const order = await page.evaluate(() => {
      const items = [...document.querySelectorAll('#transcript > *')];
      return {
        user: items.findIndex((e) => e.classList.contains('msg-user')),
        safety: items.findIndex((e) => e.classList.contains('safety-card')),
        reply: items.findIndex((e) => e.classList.contains('msg-assistant')),
      };
    });
    expect(order.user).toBeLessThan(order.safety);
    expect(order.safety).toBeLessThan(order.reply);
    const card = page.locator('#transcript .safety-card.level-crisis');
    expect(await card.locator('a[href="tel:911"]').count()).toBe(1);
    expect(await card.locator('a[href="sms:988"]').count()).toBe(1);
    await page.locator('#scroller').evaluate((el) => { el.scrollTop = 0; });
    await screenshot(page, '08-crisis-page-rendering');

    await page.setViewportSize({ width: 375, height: 740 });
    await screenshot(page, '08-crisis-page-rendering-phone');
    await page.setViewportSize({ width: 1280, height: 860 });

    await sendMessage(page, 'He is in his room now. What do I say?');
    await waitForReplyEnd(page, 2);
    expect(await banner.isVisible()).toBe(true);
    expectNoProblems(problems);
    await context.close();
  });

  it('keeps a failed reply’s partial text, says why, and retries with regenerate', async () => {
    let failing = true;
    let serverFinished = false;
    let partial = '';
    const { page, problems, context } = await openMend(browser, server.url, {}, (p) => route(p, {
      toPage: (f) => {
        if (!failing) return [f];
        if (f.type === 'reply.delta') {
          if (partial.length > 60) return [];
          partial += String(f.text);
          if (partial.length <= 60) return [f];
          return [f, { type: 'reply.end', conversationId: f.conversationId, replyId: f.replyId, status: 'failed', text: partial, meta: { citations: [], steps: [] },
            error: { code: 'model_stream_cut', message: 'The connection to the AI model broke off partway through.' } }];
        }
        if (f.type === 'reply.end') {
          serverFinished = true;
          failing = false;
          return [];
        }
        return [f];
      },
    }));
    await sendMessage(page, 'He has been skipping school and lying about it.');
    expect(await waitForReplyEnd(page)).toBe('failed');
    const reply = page.locator('#transcript .msg-assistant').last();
    await reply.getByText('This reply didn’t finish. The connection to the AI model broke off partway through.').waitFor();
    expect((await reply.locator('.msg-body').innerText()).length).toBeGreaterThan(40);
    await page.locator('#announce-alert').filter({ hasText: 'didn’t finish' }).waitFor({ state: 'attached' });
    await screenshot(page, '11-failed-reply');

    await expect.poll(() => serverFinished, { timeout: 30_000 }).toBe(true);
    await reply.getByRole('button', { name: 'Try again' }).click();
    await page.waitForFunction(() => document.querySelector('#transcript .msg-assistant.status-complete'), undefined, { timeout: 30_000 });
    expect(await page.locator('#transcript .msg-assistant').count()).toBe(1);
    await screenshot(page, '11-failed-reply-retried');
    expectNoProblems(problems);
    await context.close();
  });

  it('a reply cut by its length limit keeps its text, says it was cut off part-way and why', async () => {
    const { page, problems, context } = await openMend(browser, server.url, {}, (p) => route(p, {
      toPage: (f) => (f.type === 'reply.end'
        ? [{ ...f, status: 'incomplete', error: { code: 'model_length_cut', message: 'This reply reached its length limit and stops mid-way.' } }]
        : [f]),
    }));
    await sendMessage(page, 'He has been skipping school and lying about it.');
    expect(await waitForReplyEnd(page)).toBe('incomplete');
    const reply = page.locator('#transcript .msg-assistant').last();
    await reply.getByText('This reply was cut off part-way. This reply reached its length limit and stops mid-way.').waitFor();
    expect(await reply.innerText()).not.toContain('server restarted');
    expectNoProblems(problems);
    await context.close();
  });

  it('keeps her text when the server refuses a message: too long goes back into the box, rate-limited offers Try again', async () => {
    let refuse: 'too_large' | 'rate_limited' | null = 'too_large';
    const { page, problems, context } = await openMend(browser, server.url, {}, (p) => route(p, {
      toServer: (f) => {
        if (f.type !== 'send' || !refuse) return 'forward';
        const code = refuse;
        refuse = code === 'too_large' ? 'rate_limited' : null;
        return {
          type: 'error', code, clientId: f.clientId,
          message: code === 'too_large' ? 'That message is too long. Please shorten it.' : 'You are sending messages quickly. Please wait a moment.',
        } as Frame;
      },
    }));
    const text = 'A long story about this week that the server will not take.';
    await sendMessage(page, text);
    await expect.poll(() => page.getByRole('textbox', { name: 'Message' }).inputValue()).toBe(text);
    expect(await page.locator('#transcript .msg-user').count()).toBe(0);
    await page.locator('#announce-alert').filter({ hasText: 'too long' }).waitFor({ state: 'attached' });

    await page.getByRole('textbox', { name: 'Message' }).press('Enter');
    const unsent = page.locator('#transcript .msg-user.status-unsent');
    await unsent.waitFor();
    await unsent.getByText('Not sent: You are sending messages quickly.').waitFor();
    await screenshot(page, '12-unsent');
    await unsent.getByRole('button', { name: 'Try again' }).click();
    expect(await waitForReplyEnd(page)).toBe('complete');
    expect(await page.locator('#transcript .msg-user').count()).toBe(1);
    expect(await page.locator('#transcript .msg-user .bubble').innerText()).toBe(text);
    expectNoProblems(problems);
    await context.close();
  });
});
