import { afterEach, describe, expect, it } from 'vitest';
import fastifyWebsocket from '@fastify/websocket';
import type { WebSocket } from 'ws';
import { registerLogin, SESSION_COOKIE, SessionSigner } from '../../src/http/login.js';
import { tinyApp, type TinyApp } from './tiny-app.js';
import { ChatClient, createHarness, type Harness } from '../helpers/harness.js';

let t: TinyApp | undefined;
afterEach(async () => { await t?.close(); t = undefined; });

const PASSWORD = 'correct horse battery staple';

/** The app's order: cookies and identity, then the login guard, then routes (an API route, a page, the socket). */
async function app(password: string | undefined, extra: { secret?: Buffer; now?: () => number } = {}) {
  t = await tinyApp(async (a, { clock }) => {
    await registerLogin(a, { password, secure: false, secret: extra.secret, clock: extra.now ? { now: extra.now } : clock });
    await a.register(fastifyWebsocket);
    a.get('/api/conversations', async () => ({ conversations: [] }));
    a.get('/', async (_request, reply) => reply.type('text/html').send('<!doctype html><p>Mend</p>'));
    a.get('/api/chat', { websocket: true }, (socket: WebSocket) => { socket.on('message', () => socket.send('{"type":"pong"}')); });
  });
  return t;
}

const inject = (method: 'GET' | 'POST', url: string, options: { cookie?: string; json?: unknown; form?: string } = {}) =>
  t!.app.inject({
    method, url,
    headers: {
      ...(options.cookie ? { cookie: options.cookie } : {}),
      ...(options.form !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    ...(options.json !== undefined ? { payload: options.json as object } : {}),
    ...(options.form !== undefined ? { payload: options.form } : {}),
  });

const sessionFrom = (setCookie: string | string[] | undefined) => {
  const line = [setCookie].flat().find((c) => c?.startsWith(`${SESSION_COOKIE}=`));
  return line ? line.split(';')[0]! : undefined;
};

async function signIn(): Promise<string> {
  const res = await inject('POST', '/login', { json: { password: PASSWORD } });
  expect(res.statusCode).toBe(200);
  return sessionFrom(res.headers['set-cookie'])!;
}

describe('without MEND_PASSWORD', () => {
  it('everything stays open, as for one person on her own machine', async () => {
    await app(undefined);
    expect((await inject('GET', '/api/conversations')).statusCode).toBe(200);
    expect((await inject('GET', '/login')).statusCode).toBe(404);
  });
});

describe('with MEND_PASSWORD', () => {
  it('answers API calls with a JSON 401 and sends page loads to the login page', async () => {
    await app(PASSWORD);
    const api = await inject('GET', '/api/conversations');
    expect(api.statusCode).toBe(401);
    expect(api.json()).toEqual({ error: { code: 'unauthorized', message: expect.stringContaining('sign in') } });
    expect((await inject('GET', '/api/health')).statusCode).toBe(401);
    expect((await inject('POST', '/api/conversations', { json: {} })).statusCode).toBe(401);
    const page = await inject('GET', '/?from=bookmark');
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/login');
  });

  it('serves a login page that needs no inline script or style, and its stylesheet', async () => {
    await app(PASSWORD);
    const page = await inject('GET', '/login');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('<form method="post" action="/login">');
    expect(page.body).toContain('type="password"');
    expect(page.body).not.toMatch(/<script|<style|\sstyle=|\son[a-z]+=/i);
    expect(page.body).not.toContain('role="alert"');
    const css = await inject('GET', '/login.css');
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toContain('text/css');
  });

  it('signs in with the right password (JSON) and the session opens the API', async () => {
    await app(PASSWORD);
    const wrong = await inject('POST', '/login', { json: { password: 'guess' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('wrong_password');
    expect(sessionFrom(wrong.headers['set-cookie'])).toBeUndefined();

    const res = await inject('POST', '/login', { json: { password: PASSWORD } });
    const setCookie = [res.headers['set-cookie']].flat().find((c) => c?.startsWith(SESSION_COOKIE))!;
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    const session = sessionFrom(res.headers['set-cookie'])!;
    expect((await inject('GET', '/api/conversations', { cookie: session })).statusCode).toBe(200);
    expect((await inject('GET', '/', { cookie: session })).statusCode).toBe(200);
  });

  it('signs in from the HTML form, and a wrong password shows a message on the page', async () => {
    await app(PASSWORD);
    const wrong = await inject('POST', '/login', { form: 'password=nope' });
    expect(wrong.statusCode).toBe(303);
    expect(wrong.headers.location).toBe('/login?error=1');
    expect((await inject('GET', '/login?error=1')).body).toContain('That password is not right.');

    const right = await inject('POST', '/login', { form: `password=${encodeURIComponent(PASSWORD)}` });
    expect(right.statusCode).toBe(303);
    expect(right.headers.location).toBe('/');
    expect((await inject('GET', '/api/conversations', { cookie: sessionFrom(right.headers['set-cookie']) })).statusCode).toBe(200);
  });

  it('refuses a WebSocket upgrade without a session and accepts one with it', async () => {
    const { app: a } = await app(PASSWORD);
    await expect(a.injectWS('/api/chat', { headers: {} })).rejects.toThrow('401');
    const ws = await a.injectWS('/api/chat', { headers: { cookie: await signIn() } });
    expect(ws.readyState).toBe(ws.OPEN);
    ws.terminate();
  });

  it('does not accept a forged, tampered, expired or foreign session cookie', async () => {
    let now = Date.UTC(2026, 0, 1);
    await app(PASSWORD, { now: () => now });
    const session = await signIn();
    const value = session.split('=')[1]!;
    const [expires, nonce, signature] = value.split('.');
    const attempts = [
      `${SESSION_COOKIE}=yes`,
      `${SESSION_COOKIE}=${Number(expires) + 86_400_000}.${nonce}.${signature}`,
      // One character of the signature changed (never to itself).
      `${SESSION_COOKIE}=${expires}.${nonce}.${signature![0] === 'A' ? 'B' : 'A'}${signature!.slice(1)}`,
      `${SESSION_COOKIE}=${new SessionSigner(Buffer.alloc(32, 1), { now: () => now }, 86_400_000).issue()}`,
    ];
    for (const cookie of attempts) expect((await inject('GET', '/api/conversations', { cookie })).statusCode).toBe(401);
    expect((await inject('GET', '/api/conversations', { cookie: session })).statusCode).toBe(200);
    now += 31 * 86_400_000;
    expect((await inject('GET', '/api/conversations', { cookie: session })).statusCode).toBe(401);
  });

  it('a session from before a restart (new secret) no longer works', async () => {
    await app(PASSWORD, { secret: Buffer.alloc(32, 7) });
    const session = await signIn();
    await t!.close();
    await app(PASSWORD, { secret: Buffer.alloc(32, 8) });
    expect((await inject('GET', '/api/conversations', { cookie: session })).statusCode).toBe(401);
  });

  it('limits password guesses, with the app\'s error shape', async () => {
    await app(PASSWORD);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await inject('POST', '/login', { json: { password: `guess ${i}` } })).statusCode);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    const limited = await inject('POST', '/login', { json: { password: PASSWORD } });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error).toMatchObject({ code: 'rate_limited', message: expect.stringContaining('wait') });
  });

  it('a missing password is a 400, and signing out ends the session cookie', async () => {
    await app(PASSWORD);
    const missing = await inject('POST', '/login', { json: {} });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.code).toBe('bad_request');
    const session = await signIn();
    const out = await inject('POST', '/logout', { cookie: session, json: {} });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(new RegExp(`${SESSION_COOKIE}=;.*Expires=Thu, 01 Jan 1970`));
  });
});

describe('in the whole app (MEND_PASSWORD wired through the config)', () => {
  let h: Harness | undefined;
  afterEach(async () => { await h?.close(); h = undefined; });

  it('guards REST, pages and the chat socket, serves the login page under the strict CSP, and lets her in', async () => {
    h = await createHarness({ env: { MEND_PASSWORD: PASSWORD } });
    const call = (method: 'GET' | 'POST', url: string, cookie: string, payload?: object) =>
      h!.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
    expect((await call('GET', '/api/conversations', h.cookie)).statusCode).toBe(401);
    await expect(ChatClient.open(h)).rejects.toThrow('401');
    const page = await call('GET', '/login', h.cookie);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const login = await call('POST', '/login', h.cookie, { password: PASSWORD });
    const cookie = `${h.cookie}; ${sessionFrom(login.headers['set-cookie'])}`;
    expect((await call('GET', '/api/conversations', cookie)).statusCode).toBe(200);
    const client = await ChatClient.open(h, cookie);
    expect((await client.say('He slammed the door.')).status).toBe('complete');
    client.close();
  });
});
