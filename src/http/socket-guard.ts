import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RawData } from 'ws';
import { systemClock, type Clock } from '../clock.js';
import { MAX_MESSAGE_CHARS, type ServerFrame } from '../protocol/frames.js';

/**
 * Guards for the chat WebSocket: only the app's own pages may open it, and one connection
 * cannot flood the chat service or send oversized frames.
 */

/**
 * Browsers always send Origin on a WebSocket upgrade, so a page on another site opening our
 * socket (with her cookie riding along) shows up here. No Origin means a non-browser client
 * (tests, `mend chat`), which carries no one else's cookie and is allowed.
 */
export function isAllowedOrigin(request: Pick<FastifyRequest, 'headers'>): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  const host = request.headers.host;
  if (!host || typeof origin !== 'string') return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // includes the opaque "null" origin of sandboxed frames and file: pages
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  return url.host.toLowerCase() === host.toLowerCase();
}

/** A preValidation hook for the socket route: refuses a cross-site upgrade before it happens. */
export async function refuseForeignOrigin(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (isAllowedOrigin(request)) return;
  await reply.status(403).send({ error: { code: 'forbidden_origin', message: 'The chat can only be opened from Mend\'s own page.' } });
}

export interface MessageRateOptions {
  /** Frames allowed at once before the limit applies. */
  burst?: number;
  /** Frames regained per second after that. */
  perSecond?: number;
  clock?: Clock;
}

/**
 * A token bucket for one connection. Typing and pressing Send is far slower than the
 * refill rate, so only a script flooding the socket ever meets the limit.
 */
export class MessageRateLimiter {
  private readonly burst: number;
  private readonly perMs: number;
  private readonly clock: Clock;
  private tokens: number;
  private last: number;

  constructor(options: MessageRateOptions = {}) {
    this.burst = options.burst ?? 20;
    this.perMs = (options.perSecond ?? 1) / 1000;
    this.clock = options.clock ?? systemClock;
    this.tokens = this.burst;
    this.last = this.clock.now();
  }

  /** True if one more frame may go through now (and spends it). */
  take(): boolean {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + Math.max(0, now - this.last) * this.perMs);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Whole seconds until the next frame would be allowed. */
  waitSeconds(): number {
    return Math.max(1, Math.ceil((1 - this.tokens) / this.perMs / 1000));
  }
}

/** The most a frame may carry; her longest message, even as escaped JSON, fits well within it. */
export const MAX_FRAME_BYTES = 64 * 1024;

/**
 * Checks one incoming frame against the connection's limits before it is parsed. Returns the
 * typed error to send back, or undefined when the frame may go on to the chat service.
 */
export function frameRefusal(limiter: MessageRateLimiter, data: RawData): Extract<ServerFrame, { type: 'error' }> | undefined {
  if (!limiter.take()) {
    return { type: 'error', code: 'rate_limited', message: `You are sending messages too quickly. Please wait ${limiter.waitSeconds()} s and try again.` };
  }
  if (byteLength(data) > MAX_FRAME_BYTES) {
    return { type: 'error', code: 'too_large', message: `That frame is too large (the limit is ${MAX_FRAME_BYTES / 1024} KiB). Messages can be up to ${MAX_MESSAGE_CHARS.toLocaleString('en')} characters.` };
  }
  return undefined;
}

function byteLength(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((n, b) => n + b.length, 0);
  return data instanceof ArrayBuffer ? data.byteLength : data.length;
}

/** The plain-HTTP side of the socket route: a GET without an upgrade is told what this address is for. */
export async function upgradeRequired(_request: FastifyRequest, reply: FastifyReply): Promise<void> {
  await reply.status(426).header('upgrade', 'websocket').send({
    error: { code: 'upgrade_required', message: 'This address is the chat WebSocket; it only accepts WebSocket connections.' },
  });
}
