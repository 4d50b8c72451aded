import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Over plain http (her own machine): browsers refuse `__Host-` and Secure cookies there. */
export const IDENTITY_COOKIE = 'mend_id';
/** Over https: no other origin of the host (an http page on another port, a subdomain) can set it. */
export const SECURE_IDENTITY_COOKIE = '__Host-mend_id';
const OWNER_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const MAX_AGE_SECONDS = 60 * 60 * 24 * 400;

declare module 'fastify' {
  interface FastifyRequest {
    /** The browser this request comes from; every conversation belongs to one. */
    ownerId: string;
  }
}

/** `anonymous`: issued on a first visit; `signed-in`: issued when she signed in with MEND_PASSWORD. */
type IdentityKind = 'a' | 's';

export interface IdentityOptions {
  /** Served over https: the cookie is `__Host-mend_id`, Secure. */
  secure: boolean;
  /** Signs identity cookies; keep it across restarts (main.ts stores it beside the database). */
  secret: Buffer;
  /** An identity from before cookies were signed is kept only if it already owns conversations. */
  isKnownOwner?: (ownerId: string) => boolean;
}

/**
 * Each browser's identity: an unguessable owner id in an httpOnly, SameSite=Strict cookie,
 * signed with the server's secret so a value made up elsewhere (a page on another port of
 * the same host can set cookies for it: cookies ignore ports) is refused and replaced. There
 * are no accounts, and yet one browser can never reach another's conversations.
 */
export class IdentityCookies {
  readonly name: string;

  constructor(private readonly options: IdentityOptions) {
    this.name = options.secure ? SECURE_IDENTITY_COOKIE : IDENTITY_COOKIE;
  }

  /** The owner this request proves, if its cookie is one this server signed (or a known legacy one). */
  read(request: FastifyRequest): { ownerId: string; kind: IdentityKind; legacy?: true } | undefined {
    const value = request.cookies[this.name];
    if (!value) return undefined;
    const [ownerId, kind, signature] = value.split('.');
    if (signature !== undefined && ownerId && OWNER_PATTERN.test(ownerId) && (kind === 'a' || kind === 's')) {
      return this.valid(ownerId, kind, signature) ? { ownerId, kind } : undefined;
    }
    if (OWNER_PATTERN.test(value) && this.options.isKnownOwner?.(value)) return { ownerId: value, kind: 'a', legacy: true };
    return undefined;
  }

  /** Sets a cookie for this owner; a fresh owner id when none is given. */
  issue(reply: FastifyReply, kind: IdentityKind, ownerId = randomBytes(32).toString('base64url')): string {
    void reply.setCookie(this.name, `${ownerId}.${kind}.${this.sign(ownerId, kind)}`, {
      httpOnly: true, sameSite: 'strict', path: '/', secure: this.options.secure, maxAge: MAX_AGE_SECONDS,
    });
    return ownerId;
  }

  /**
   * Signing in starts a new identity unless this browser already signed in before: an
   * identity planted before sign-in (by a page on another port, say) is never carried into
   * her signed-in conversations.
   */
  rotateAtSignIn(request: FastifyRequest, reply: FastifyReply): void {
    const current = this.read(request);
    request.ownerId = current?.kind === 's' ? this.issue(reply, 's', current.ownerId) : this.issue(reply, 's');
  }

  private valid(ownerId: string, kind: IdentityKind, signature: string): boolean {
    const given = Buffer.from(signature, 'base64url');
    const wanted = Buffer.from(this.sign(ownerId, kind), 'base64url');
    return given.length === wanted.length && timingSafeEqual(given, wanted);
  }

  private sign(ownerId: string, kind: IdentityKind): string {
    return createHmac('sha256', this.options.secret).update(`mend-identity.${ownerId}.${kind}`).digest('base64url');
  }
}

export function registerIdentity(app: FastifyInstance, identity: IdentityCookies): void {
  app.decorateRequest('ownerId', '');
  app.addHook('onRequest', async (request, reply) => {
    const current = identity.read(request);
    if (current) {
      request.ownerId = current.ownerId;
      if (current.legacy) identity.issue(reply, current.kind, current.ownerId); // re-issued signed
      return;
    }
    request.ownerId = identity.issue(reply, 'a');
  });
}

/** Whether the request carries something shaped like an identity cookie (the rate limiter's key; not proof of identity). */
export function hasIdentityCookie(request: FastifyRequest): boolean {
  return IDENTITY_SHAPE.test(request.cookies[IDENTITY_COOKIE] ?? '');
}
const IDENTITY_SHAPE = /^[A-Za-z0-9_-]{43}(?:\.[as]\.[A-Za-z0-9_-]{43})?$/;

/**
 * The secret that signs identity cookies, kept in a file beside the database (readable by
 * this user only) so identities survive a restart; created on first start.
 */
export function identitySecretFor(databasePath: string): Buffer {
  if (databasePath === ':memory:') return randomBytes(32);
  const file = join(dirname(databasePath), 'identity.key');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
  mkdirSync(dirname(file), { recursive: true });
  const secret = randomBytes(32);
  writeFileSync(file, `${secret.toString('base64url')}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}
