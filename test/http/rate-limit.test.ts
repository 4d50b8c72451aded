import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';

let h: Harness | undefined;
afterEach(async () => { await h?.close(); h = undefined; });

async function health(app: Harness['app'], headers: Record<string, string>): Promise<number> {
  return (await app.inject({ method: 'GET', url: '/api/health', headers })).statusCode;
}

/** A browser with its own identity cookie, as the app gives it on a first request. */
async function newBrowser(app: Harness['app'], headers: Record<string, string> = {}): Promise<string> {
  const res = await app.inject({ method: 'GET', url: '/api/health', headers });
  return String(res.headers['set-cookie']).split(';')[0]!;
}

describe('HTTP rate limit', () => {
  it('is kept per identity: one busy household behind a shared address does not lock out the others', async () => {
    h = await createHarness({ env: { MEND_RATE_LIMIT: '10' } });
    const busy = h.cookie;
    const other = await newBrowser(h.app);
    for (let i = 0; i < 10; i++) await health(h.app, { cookie: busy });
    const refused = await h.app.inject({ method: 'GET', url: '/api/health', headers: { cookie: busy } });
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ error: { code: 'rate_limited' } });
    // Same address (in-process), another identity: still served.
    expect(await health(h.app, { cookie: other })).toBe(200);
  });

  it('lets many first visitors behind one proxy in: each gets a cookie and its own allowance', async () => {
    h = await createHarness({ env: { MEND_RATE_LIMIT: '10' } });
    const visitors: string[] = [];
    // First visits from the one address a proxy gives them all: only that first request is counted by address...
    for (let i = 0; i < 9; i++) visitors.push(await newBrowser(h.app));
    // ...and from then on each counts against her own cookie.
    for (const cookie of visitors) {
      for (let i = 0; i < 5; i++) expect(await health(h.app, { cookie })).toBe(200);
    }
  });

  it('counts first visits by the address the trusted proxy reports (MEND_TRUST_PROXY)', async () => {
    h = await createHarness({ env: { MEND_RATE_LIMIT: '10', MEND_TRUST_PROXY: 'true' } });
    // The harness used one first visit on the in-process address; each forwarded address has its own.
    for (let i = 0; i < 10; i++) expect(await health(h.app, { 'x-forwarded-for': '203.0.113.7' })).toBe(200);
    expect(await health(h.app, { 'x-forwarded-for': '203.0.113.7' })).toBe(429);
    expect(await health(h.app, { 'x-forwarded-for': '198.51.100.4' })).toBe(200);
  });

  it('ignores X-Forwarded-For unless a proxy is trusted', async () => {
    h = await createHarness({ env: { MEND_RATE_LIMIT: '10' } });
    // h.cookie's first visit already counted once against the in-process address.
    for (let i = 0; i < 9; i++) expect(await health(h.app, { 'x-forwarded-for': `203.0.113.${i}` })).toBe(200);
    expect(await health(h.app, { 'x-forwarded-for': '198.51.100.4' })).toBe(429);
  });
});
