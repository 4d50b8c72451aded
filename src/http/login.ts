import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { systemClock, type Clock } from '../clock.js';
import { HttpError, parseInput } from './http-error.js';

export const SESSION_COOKIE = 'mend_session';
const LOGIN_PAGE = new URL('../../web/login.html', import.meta.url);
const LOGIN_CSS = new URL('../../web/login.css', import.meta.url);
const ERROR_MARKER = '<!-- login-error -->';
const ERROR_HTML = '<p class="login-error" role="alert">That password is not right. Please try again.</p>';
/** What may be fetched before signing in: the login page, its stylesheet, and the form post. */
const PUBLIC = new Set(['GET /login', 'HEAD /login', 'POST /login', 'GET /login.css', 'HEAD /login.css']);
const LoginBody = z.object({ password: z.string({ error: 'password is missing' }).max(1024, 'password is too long') });

export interface LoginOptions {
  /** MEND_PASSWORD; unset or empty leaves the app open, as for one person on her own machine. */
  password: string | undefined;
  /** Send the session cookie over HTTPS only (set when served over HTTPS). */
  secure: boolean;
  /** Signs session cookies; a fresh random one per process unless given (sessions end on restart). */
  secret?: Buffer;
  sessionDays?: number;
  clock?: Clock;
  /** Called on a successful sign-in (the identity cookie is rotated there). */
  onSignIn?: (request: FastifyRequest, reply: FastifyReply) => void;
}

/**
 * Optional password for people who host Mend for others: with MEND_PASSWORD set, nothing but
 * the login page answers until the browser signs in. Call before the routes are registered.
 */
export async function registerLogin(app: FastifyInstance, options: LoginOptions): Promise<void> {
  if (!options.password) return;
  const sessions = new SessionSigner(options.secret ?? randomBytes(32), options.clock ?? systemClock, (options.sessionDays ?? 30) * 86_400_000);
  const expected = sha256(options.password);
  app.addHook('onRequest', async (request, reply) => {
    if (PUBLIC.has(`${request.method} ${pathOf(request)}`)) return;
    if (sessions.verify(request.cookies[SESSION_COOKIE])) return;
    await refuse(request, reply);
  });
  const page = readFileSync(LOGIN_PAGE, 'utf8');
  const css = readFileSync(LOGIN_CSS, 'utf8');
  await app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });
    scope.get('/login', async (request, reply) => {
      const failed = (request.query as Record<string, unknown>).error !== undefined;
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(failed ? page.replace(ERROR_MARKER, ERROR_HTML) : page);
    });
    scope.get('/login.css', async (_request, reply) => reply.type('text/css; charset=utf-8').send(css));
    scope.post('/login', { config: { rateLimit: { max: 10, timeWindow: '1 minute' } } }, async (request, reply) => {
      const form = isForm(request);
      const { password } = parseInput(LoginBody, request.body);
      if (!timingSafeEqual(sha256(password), expected)) {
        if (form) return reply.redirect('/login?error=1', 303);
        throw new HttpError(401, 'wrong_password', 'That password is not right.');
      }
      void reply.setCookie(SESSION_COOKIE, sessions.issue(), {
        httpOnly: true, sameSite: 'strict', secure: options.secure, path: '/', maxAge: (options.sessionDays ?? 30) * 86_400,
      });
      options.onSignIn?.(request, reply);
      return form ? reply.redirect('/', 303) : reply.send({ ok: true });
    });
    scope.post('/logout', async (request, reply) => {
      sessions.revoke(request.cookies[SESSION_COOKIE]);
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return isForm(request) ? reply.redirect('/login', 303) : reply.status(204).send();
    });
  });
}

/** API calls and the chat socket get a JSON 401; a page load is sent to the login page. */
async function refuse(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const page = (request.method === 'GET' || request.method === 'HEAD') && !pathOf(request).startsWith('/api/');
  if (page) {
    await reply.redirect('/login', 303);
    return;
  }
  await reply.status(401).send({ error: { code: 'unauthorized', message: 'Please sign in first: this Mend is protected by a password.' } });
}

/**
 * Session cookies: an expiry time, a random nonce and an HMAC over both, so a cookie cannot
 * be forged or extended without the secret. Signing out revokes the nonce on the server: the
 * old cookie answers 401 from then on, even if it was copied. (The secret is per process, so
 * every session also ends on restart, which is why the revocation list can live in memory.)
 */
export class SessionSigner {
  /** Revoked nonces and when their cookie would have expired anyway. */
  private readonly revoked = new Map<string, number>();

  constructor(private readonly secret: Buffer, private readonly clock: Clock, private readonly lifetimeMs: number) {}

  revoke(token: string | undefined): void {
    if (!token || !this.verify(token)) return;
    const [expires, nonce] = token.split('.') as [string, string];
    const now = this.clock.now();
    for (const [n, until] of this.revoked) if (until <= now) this.revoked.delete(n);
    this.revoked.set(nonce, Number(expires));
  }

  issue(): string {
    const body = `${this.clock.now() + this.lifetimeMs}.${randomBytes(12).toString('base64url')}`;
    return `${body}.${this.sign(body)}`;
  }

  verify(token: string | undefined): boolean {
    const parts = token?.split('.');
    if (!parts || parts.length !== 3) return false;
    const [expires, nonce, signature] = parts as [string, string, string];
    const given = Buffer.from(signature, 'base64url');
    const wanted = Buffer.from(this.sign(`${expires}.${nonce}`), 'base64url');
    if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return false;
    return Number(expires) > this.clock.now() && !this.revoked.has(nonce);
  }

  private sign(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url');
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function pathOf(request: FastifyRequest): string {
  return request.url.split('?')[0]!;
}

function isForm(request: FastifyRequest): boolean {
  return (request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
}
