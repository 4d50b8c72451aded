import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { ROOT, startServer, type MendServer } from './server.js';

export const SCREENSHOTS = join(ROOT, 'test-output', 'screenshots');

/** Debian's Chromium, headless; never a downloaded browser. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

export interface OpenPage {
  context: BrowserContext;
  page: Page;
  /** Page errors, console errors and CSP violations seen so far. */
  problems: string[];
}

/** A fresh browser context (so a fresh identity cookie: her own, empty Mend) with the page open. */
export async function openMend(browser: Browser, url: string, options: BrowserContextOptions = {}, before?: (page: Page) => Promise<void>): Promise<OpenPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, reducedMotion: 'reduce', ...options });
  const page = await context.newPage();
  if (before) await before(page);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    const text = message.text();
    if (/Content Security Policy|Refused to (execute|apply|load)/i.test(text)) problems.push(`csp: ${text}`);
    else if (message.type() === 'error' && !/Failed to load resource|WebSocket connection/i.test(text)) problems.push(`console: ${text}`);
  });
  await page.goto(url);
  await waitOnline(page);
  return { context, page, problems };
}

export async function waitOnline(page: Page, timeout = 15_000): Promise<void> {
  await page.locator('#connection[data-state="online"]').waitFor({ state: 'attached', timeout });
  await page.locator('html.ready').waitFor({ state: 'attached', timeout });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

/** Types her message and sends it with Enter. */
export async function sendMessage(page: Page, text: string): Promise<void> {
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.click();
  await box.fill(text);
  await box.press('Enter');
}

/** Waits until the last reply has finished (any final status) and returns its status. */
export async function waitForReplyEnd(page: Page, count = 1, timeout = 30_000): Promise<string> {
  await page.waitForFunction((n) => {
    const replies = [...document.querySelectorAll('#transcript .msg-assistant')];
    return replies.length >= n && !replies.some((r) => r.classList.contains('streaming'));
  }, count, { timeout });
  return page.evaluate(() => {
    const replies = [...document.querySelectorAll('#transcript .msg-assistant')];
    const last = replies[replies.length - 1]!;
    return [...last.classList].find((c) => c.startsWith('status-'))!.slice('status-'.length);
  });
}

/** Runs axe-core in the page and returns its violations, of any impact. */
export async function axeViolations(page: Page): Promise<Array<{ id: string; impact: string; help: string; nodes: string[] }>> {
  const source = readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  // Injected through the DevTools protocol, so the page's CSP (script-src 'self') doesn't block it.
  await page.evaluate(source);
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: string[]; failureSummary: string }> }> }> } }).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  });
  // Every impact, moderate and minor too (landmarks, heading levels…).
  return result.violations
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary}`) }));
}

/**
 * Visible controls a sighted user cannot name: no visible text, no tooltip (title), and no
 * visible label (a <label>, aria-labelledby text, or a placeholder). axe accepts a hidden
 * aria-label; the issue asks for something she can see.
 */
export async function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const shown = (el: Element | null): boolean => {
      if (!(el instanceof HTMLElement)) return false;
      // Inside a closed <details> a control keeps a box but is not shown.
      if (!el.checkVisibility({ contentVisibilityAuto: true, opacityProperty: true, visibilityProperty: true })) return false;
      const box = el.getBoundingClientRect();
      return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== 'hidden' && el.closest('[hidden], [inert], [aria-hidden="true"]') === null;
    };
    const seen = (el: Element | null): string => (el && shown(el) ? (el as HTMLElement).innerText.trim() : '');
    const controls = document.querySelectorAll('button, a[href], input:not([type="hidden"]), select, textarea, [role="button"], [role="tab"], [role="switch"]');
    const out: string[] = [];
    for (const el of controls) {
      if (!shown(el)) continue;
      const input = el as HTMLInputElement;
      const labelled = seen(el) !== '' || (el.getAttribute('title') ?? '').trim() !== ''
        || (input.labels ? [...input.labels].some((l) => seen(l) !== '') : false)
        || (el.getAttribute('aria-labelledby') ?? '').split(/\s+/).some((id) => seen(document.getElementById(id)) !== '')
        || (input.placeholder ?? '').trim() !== '' || (input.type === 'submit' && input.value.trim() !== '');
      if (!labelled) out.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className ? `.${String(el.className).trim().split(/\s+/).join('.')}` : ''} "${el.getAttribute('aria-label') ?? ''}"`);
    }
    return out;
  });
}

/** The server's copy of a conversation, read with her cookie from inside the page. */
export async function serverConversation(page: Page, id: string): Promise<{ messages: Array<{ id: string; role: string; text: string; status: string; clientId: string | null }>; activeReplyId: string | null }> {
  return page.evaluate(async (cid) => {
    const res = await fetch(`/api/conversations/${cid}`, { credentials: 'same-origin' });
    return res.json();
  }, id);
}

export function currentConversationId(page: Page): string {
  const match = /#\/c\/([A-Za-z0-9_-]+)/.exec(page.url());
  expect(match, `no conversation id in ${page.url()}`).toBeTruthy();
  return match![1]!;
}

export function expectNoProblems(problems: string[]): void {
  expect(problems, problems.join('\n')).toEqual([]);
}

/** One Mend server and one Chromium for a test file: started before its tests, stopped after. */
export function useMend(ready: (server: MendServer, browser: Browser) => void, env: Record<string, string> = {}): void {
  let server: MendServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    server = await startServer(env);
    browser = await launchBrowser();
    ready(server, browser);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
}
