import type { FastifyInstance, FastifyRequest } from 'fastify';
import fastifyRateLimit from '@fastify/rate-limit';
import { hasIdentityCookie, IDENTITY_COOKIE } from './identity.js';
import { HttpError } from './http-error.js';

/**
 * Who a request counts against: her browser's identity cookie when it has one, so one busy
 * household can't use up the allowance of everyone behind the same proxy or router; a browser
 * without the cookie yet (a first visit) is counted by its address, which honours the
 * trusted-proxy setting.
 */
export function rateLimitKey(request: FastifyRequest): string {
  if (hasIdentityCookie(request)) return `id:${request.cookies[IDENTITY_COOKIE]}`;
  // In-process clients (tests, `mend chat`) have no socket address.
  return `ip:${request.ip ?? 'in-process'}`;
}

/** Needs @fastify/cookie registered first: the key is read from the parsed cookie. */
export async function registerRateLimit(app: FastifyInstance, options: { perMinute: number }): Promise<void> {
  await app.register(fastifyRateLimit, {
    max: options.perMinute, timeWindow: '1 minute',
    keyGenerator: rateLimitKey,
    errorResponseBuilder: (_request, context) =>
      new HttpError(429, 'rate_limited', `Too many requests; please wait ${Math.ceil(context.ttl / 1000)} s and try again.`),
  });
}
