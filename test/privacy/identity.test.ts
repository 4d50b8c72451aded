import { afterEach, describe, expect, it } from 'vitest';
import { once } from 'node:events';
import { request as httpRequest } from 'node:http';
import { createHarness, type Harness } from '../helpers/harness.js';
import { startServer } from '../helpers/server-process.js';

let h: Harness | undefined;
afterEach(async () => { await h?.close(); h = undefined; });

const setCookies = (res: { headers: Record<string, unknown> }) => [res.headers['set-cookie']].flat().filter(Boolean).map(String);
const identityFrom = (res: { headers: Record<string, unknown> }) => setCookies(res).find((c) => c.startsWith('mend_id='))?.split(';')[0];
const ownerOf = (cookie: string) => cookie.split('=')[1]!.split('.')[0]!;

async function create(cookie: string, headers: Record<string, string> = {}) {
  return h!.app.inject({ method: 'POST', url: '/api/conversations', headers: { cookie, host: 'localhost:3000', ...headers }, payload: { title: 'Ours' } });
}

describe('identity cannot be planted', () => {
  it('a made-up or re-signed mend_id is refused and replaced; what is written under the new one stays out of its reach', async () => {
    h = await createHarness();
    const planted = `mend_id=${'A'.repeat(43)}`;
    const forged = `mend_id=${'A'.repeat(43)}.a.${'B'.repeat(43)}`;
    for (const cookie of [planted, forged, `${h.cookie.slice(0, -2)}xx`]) {
      const res = await create(cookie);
      expect(res.statusCode).toBe(201);
      const issued = identityFrom(res)!;
      expect(issued).toBeDefined();
      expect(ownerOf(issued)).not.toBe(ownerOf(cookie));
      const theirs = await h.app.inject({ method: 'GET', url: '/api/export', headers: { cookie } });
      expect(theirs.json().conversations ?? []).toEqual([]);
    }
  });

  it('an unsigned identity from before signing is kept (and re-issued signed) only if it already owns conversations', async () => {
    h = await createHarness();
    const old = 'R'.repeat(43);
    h.store.createConversation(old, { title: 'From last month' });
    const res = await h.app.inject({ method: 'GET', url: '/api/conversations', headers: { cookie: `mend_id=${old}` } });
    expect(res.json().conversations.map((c: { title: string }) => c.title)).toEqual(['From last month']);
    const reissued = identityFrom(res)!;
    expect(ownerOf(reissued)).toBe(old);
    expect(reissued).toMatch(/^mend_id=R{43}\.a\.[A-Za-z0-9_-]{43}$/);
    const made = await h.app.inject({ method: 'GET', url: '/api/conversations', headers: { cookie: `mend_id=${'Q'.repeat(43)}` } });
    expect(ownerOf(identityFrom(made)!)).not.toBe('Q'.repeat(43));
  });

  it('over https (MEND_HTTPS) the cookie is __Host-mend_id, Secure, Path=/ and no Domain', async () => {
    h = await createHarness({ env: { MEND_HTTPS: 'true' } });
    const res = await h.app.inject({ method: 'GET', url: '/api/health' });
    const line = setCookies(res).find((c) => c.startsWith('__Host-mend_id='))!;
    expect(line).toMatch(/; Secure/);
    expect(line).toMatch(/; Path=\//);
    expect(line).not.toMatch(/Domain=/i);
    expect(res.headers['strict-transport-security']).toBeDefined();
  });
});

describe('state-changing requests must come from Mend\'s own page', () => {
  it.each([
    ['a page on another port (Origin)', { origin: 'http://localhost:8080' }],
    ['a no-cors post from another port (Sec-Fetch-Site: same-site)', { 'sec-fetch-site': 'same-site', origin: 'http://localhost:8080' }],
    ['another site', { 'sec-fetch-site': 'cross-site' }],
    ['a sandboxed frame (Origin: null)', { origin: 'null' }],
  ])('%s is refused with 403 forbidden_origin and nothing is created', async (_label, headers) => {
    h = await createHarness();
    const res = await create(h.cookie, headers);
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({ error: { code: 'forbidden_origin', message: expect.any(String) } });
    expect(h.store.listConversations(ownerOf(h.cookie))).toEqual([]);
  });

  it.each([
    ['her own page', { origin: 'http://localhost:3000', 'sec-fetch-site': 'same-origin' }],
    ['a non-browser client (no Origin, no Sec-Fetch-Site)', {}],
  ])('%s is let through', async (_label, headers) => {
    h = await createHarness();
    expect((await create(h.cookie, headers)).statusCode).toBe(201);
  });

  it('the chat socket refuses an upgrade from another port', async () => {
    h = await createHarness();
    const res = await h.app.inject({
      method: 'GET', url: '/api/chat',
      headers: { cookie: h.cookie, host: 'localhost:3000', origin: 'http://localhost:8080', connection: 'upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('forbidden_origin');
  });
});

describe('sessions with MEND_PASSWORD', () => {
  const PASSWORD = 'correct horse battery staple';
  const session = (res: { headers: Record<string, unknown> }) => setCookies(res).find((c) => c.startsWith('mend_session='))!.split(';')[0]!;

  it('signing out ends the session on the server: the old cookie answers 401 afterwards', async () => {
    h = await createHarness({ env: { MEND_PASSWORD: PASSWORD } });
    const login = await h.app.inject({ method: 'POST', url: '/login', payload: { password: PASSWORD } });
    const cookie = `${session(login)}; ${identityFrom(login)}`;
    expect((await h.app.inject({ method: 'GET', url: '/api/conversations', headers: { cookie } })).statusCode).toBe(200);
    expect((await h.app.inject({ method: 'POST', url: '/logout', headers: { cookie } })).statusCode).toBe(204);
    const after = await h.app.inject({ method: 'GET', url: '/api/conversations', headers: { cookie } });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('unauthorized');
  });

  it('signing in rotates an identity planted before it; a browser that signed in before keeps its own', async () => {
    h = await createHarness({ env: { MEND_PASSWORD: PASSWORD } });
    const planted = identityFrom(await h.app.inject({ method: 'GET', url: '/login' }))!;
    const login = await h.app.inject({ method: 'POST', url: '/login', headers: { cookie: planted }, payload: { password: PASSWORD } });
    const mine = identityFrom(login)!;
    expect(ownerOf(mine)).not.toBe(ownerOf(planted));
    const again = await h.app.inject({ method: 'POST', url: '/login', headers: { cookie: mine }, payload: { password: PASSWORD } });
    expect(ownerOf(identityFrom(again)!)).toBe(ownerOf(mine));
  });

  it('a sign-in lasts MEND_SESSION_DAYS', async () => {
    h = await createHarness({ env: { MEND_PASSWORD: PASSWORD, MEND_SESSION_DAYS: '1' } });
    const login = await h.app.inject({ method: 'POST', url: '/login', payload: { password: PASSWORD } });
    expect(setCookies(login).find((c) => c.startsWith('mend_session='))).toMatch(/Max-Age=86400/);
    const cookie = `${session(login)}; ${identityFrom(login)}`;
    h.clock.advance(86_400_000 + 1000);
    expect((await h.app.inject({ method: 'GET', url: '/api/conversations', headers: { cookie } })).statusCode).toBe(401);
  });
});

describe('every error has the {error:{code,message}} shape with a code that says what it is', () => {
  it.each([
    ['unknown route', { method: 'GET', url: '/api/nothing-here' }, 404, 'not_found'],
    ['body too large', { method: 'POST', url: '/api/conversations', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ title: 'x'.repeat(70_000) }) }, 413, 'too_large'],
    ['malformed JSON', { method: 'POST', url: '/api/conversations', headers: { 'content-type': 'application/json' }, payload: '{oops' }, 400, 'bad_request'],
    ['unsupported media type', { method: 'POST', url: '/api/conversations', headers: { 'content-type': 'text/xml' }, payload: '<a/>' }, 415, 'unsupported_media_type'],
    ['foreign origin', { method: 'DELETE', url: '/api/conversations', headers: { origin: 'http://evil.test' } }, 403, 'forbidden_origin'],
    ['plain GET on the socket', { method: 'GET', url: '/api/chat' }, 426, 'upgrade_required'],
  ] as const)('%s → %i %s', async (_label, request, status, code) => {
    h = await createHarness();
    const res = await h.app.inject({ ...request, headers: { cookie: h.cookie, ...(request as { headers?: Record<string, string> }).headers } } as never);
    expect(res.statusCode).toBe(status);
    expect(res.json()).toEqual({ error: { code, message: expect.any(String) } });
  });

  it('a full disk over REST is a typed storage error (503), never a 500 internal', async () => {
    h = await createHarness();
    const pages = h.db.pragma('page_count', { simple: true }) as number;
    h.db.pragma(`max_page_count = ${pages}`);
    let res;
    for (let i = 0; i < 60; i++) {
      res = await create(h.cookie);
      if (res.statusCode !== 201) break;
    }
    expect(res!.statusCode).toBe(503);
    expect(res!.json()).toEqual({ error: { code: 'storage', message: expect.stringContaining('storage problem') } });
  });

  it('against a real server: 431 from the HTTP parser and a path traversal are in the same shape', async () => {
    const server = await startServer({ DATABASE_PATH: ':memory:' });
    try {
      const big = await fetch(`${server.url}/api/health`, { headers: { 'x-filler': 'a'.repeat(20_000) } });
      expect(big.status).toBe(431);
      expect(await big.json()).toEqual({ error: { code: 'headers_too_large', message: expect.any(String) } });
      for (const path of ['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2fetc%2fpasswd', '/%2e%2e%2fpackage.json']) {
        const raw = await new Promise<{ status: number; body: string }>((resolve, reject) => {
          const req = httpRequest(`${server.url}${path}`, { method: 'GET', path }, (res) => {
            let body = '';
            res.on('data', (d) => { body += String(d); });
            res.on('end', () => resolve({ status: res.statusCode!, body }));
          });
          req.on('error', reject);
          req.end();
        });
        expect([403, 404, 400]).toContain(raw.status);
        const parsed = JSON.parse(raw.body) as { error: { code: string; message: string } };
        expect(parsed.error.code).toBe(raw.status === 403 ? 'forbidden' : raw.status === 404 ? 'not_found' : 'bad_request');
        expect(raw.body).not.toContain('root:');
      }
    } finally {
      server.child.kill('SIGTERM');
      await once(server.child, 'exit');
    }
  });
});

