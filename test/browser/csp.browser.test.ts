import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectNoProblems, openMend, sendMessage, useMend, waitForReplyEnd } from './browser.js';
import { ROOT, type MendServer } from './server.js';

let server: MendServer;
let browser: Browser;
useMend((s, b) => { server = s; browser = b; });

describe('strict CSP', () => {
  it('ships no inline script, no style attributes and no eval, and runs under default-src self without violations', async () => {
    const res = await fetch(server.url);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    const html = await res.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
    expect(html).not.toMatch(/\sstyle\s*=/i);
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
    const js = readFileSync(join(ROOT, 'web', 'dist', 'app.js'), 'utf8');
    expect(js).not.toMatch(/\beval\s*\(/);
    expect(js).not.toMatch(/new Function\s*\(/);

    const { page, problems, context } = await openMend(browser, server.url);
    await sendMessage(page, 'We had a row about screen time and he called me unfair.');
    await waitForReplyEnd(page);
    await page.locator('#transcript .chip').first().click();
    await page.getByRole('dialog').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Get help now' }).click();
    await page.keyboard.press('Escape');
    // Nothing the page builds uses style attributes either.
    expect(await page.evaluate(() => document.querySelectorAll('[style]').length)).toBe(0);
    expectNoProblems(problems);
    await context.close();
  });
});
