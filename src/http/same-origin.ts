import type { FastifyInstance } from 'fastify';
import { HttpError } from './http-error.js';
import { isAllowedOrigin } from './socket-guard.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * State-changing requests (POST, PUT, PATCH, DELETE) must come from Mend's own page. Her
 * cookie is SameSite=Strict, but a page on another port of the same host is "same-site", so
 * the cookie rides along on its requests (even a no-cors form post): the browser's
 * Sec-Fetch-Site and Origin headers are what tell them apart. A request with neither comes
 * from a non-browser client (curl, tests, `mend chat`), which carries no one else's cookie.
 */
export function registerSameOrigin(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    if (SAFE_METHODS.has(request.method)) return;
    const site = request.headers['sec-fetch-site'];
    if ((site !== undefined && site !== 'same-origin') || !isAllowedOrigin(request)) {
      throw new HttpError(403, 'forbidden_origin', 'This request did not come from Mend\'s own page, so it was refused.');
    }
  });
}
