import type { FastifyInstance, FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';

export const IDENTITY_COOKIE = 'mend_id';
const IDENTITY_PATTERN = /^[A-Za-z0-9_-]{43}$/;

declare module 'fastify' {
  interface FastifyRequest {
    /** The browser this request comes from; every conversation belongs to one. */
    ownerId: string;
  }
}

/**
 * Gives each browser an unguessable identity in an httpOnly, SameSite=Strict cookie, so there
 * are no accounts and yet one browser can never reach another's conversations.
 */
export function registerIdentity(app: FastifyInstance, options: { secure: boolean }): void {
  app.decorateRequest('ownerId', '');
  app.addHook('onRequest', async (request, reply) => {
    const existing = request.cookies[IDENTITY_COOKIE];
    if (existing && IDENTITY_PATTERN.test(existing)) {
      request.ownerId = existing;
      return;
    }
    request.ownerId = randomBytes(32).toString('base64url');
    void reply.setCookie(IDENTITY_COOKIE, request.ownerId, {
      httpOnly: true, sameSite: 'strict', path: '/', secure: options.secure, maxAge: 60 * 60 * 24 * 400,
    });
  });
}

export function hasIdentityCookie(request: FastifyRequest): boolean {
  return IDENTITY_PATTERN.test(request.cookies[IDENTITY_COOKIE] ?? '');
}
