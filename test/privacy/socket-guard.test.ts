import { afterEach, describe, expect, it } from 'vitest';
import fastifyWebsocket from '@fastify/websocket';
import type { WebSocket } from 'ws';
import { frameRefusal, isAllowedOrigin, MAX_FRAME_BYTES, MessageRateLimiter, refuseForeignOrigin } from '../../src/http/socket-guard.js';
import { ServerFrame } from '../../src/protocol/frames.js';
import { tinyApp, type TinyApp } from './tiny-app.js';
import { createHarness } from '../helpers/harness.js';

const request = (headers: Record<string, string | undefined>) => ({ headers });

describe('which origins may open the chat socket', () => {
  it.each<[string | undefined, string, boolean]>([
    [undefined, 'localhost:3000', true],
    ['http://localhost:3000', 'localhost:3000', true],
    ['https://mend.example.org', 'mend.example.org', true],
    ['https://MEND.example.org', 'mend.example.org', true],
    ['https://evil.example.com', 'mend.example.org', false],
    ['http://localhost:3001', 'localhost:3000', false],
    ['http://localhost', 'localhost:3000', false],
    ['https://mend.example.org.evil.com', 'mend.example.org', false],
    ['null', 'localhost:3000', false],
    ['file://', 'localhost:3000', false],
    ['ws://localhost:3000', 'localhost:3000', false],
    ['not a url', 'localhost:3000', false],
  ])('Origin %s to Host %s → %s', (origin, host, allowed) => {
    expect(isAllowedOrigin(request({ origin, host }))).toBe(allowed);
  });

  it('refuses a browser origin when the request names no host', () => {
    expect(isAllowedOrigin(request({ origin: 'http://localhost:3000' }))).toBe(false);
  });
});

describe('the per-connection message rate', () => {
  const clockAt = (start = 0) => {
    let now = start;
    return { now: () => now, advance: (ms: number) => { now += ms; } };
  };

  it('allows a burst, then one frame per second', () => {
    const clock = clockAt();
    const limiter = new MessageRateLimiter({ burst: 20, perSecond: 1, clock });
    expect(Array.from({ length: 25 }, () => limiter.take()).filter(Boolean)).toHaveLength(20);
    expect(limiter.waitSeconds()).toBe(1);
    clock.advance(999);
    expect(limiter.take()).toBe(false);
    clock.advance(1);
    expect(limiter.take()).toBe(true);
    expect(limiter.take()).toBe(false);
  });

  it('refills to the burst and no further after a long pause', () => {
    const clock = clockAt();
    const limiter = new MessageRateLimiter({ burst: 5, perSecond: 2, clock });
    for (let i = 0; i < 5; i++) limiter.take();
    clock.advance(60 * 60 * 1000);
    expect(Array.from({ length: 10 }, () => limiter.take()).filter(Boolean)).toHaveLength(5);
    clock.advance(500);
    expect(limiter.take()).toBe(true);
  });

  it('a clock going backwards gives no free frames', () => {
    const clock = clockAt(10_000);
    const limiter = new MessageRateLimiter({ burst: 1, perSecond: 1, clock });
    expect(limiter.take()).toBe(true);
    clock.advance(-5_000);
    expect(limiter.take()).toBe(false);
  });

  it('turns an oversized frame or a flood into typed errors', () => {
    const limiter = new MessageRateLimiter({ burst: 2, perSecond: 1, clock: clockAt() });
    const tooBig = frameRefusal(limiter, Buffer.alloc(MAX_FRAME_BYTES + 1));
    expect(ServerFrame.parse(tooBig)).toMatchObject({ type: 'error', code: 'too_large' });
    expect(tooBig!.message).toContain('64 KiB');
    expect(frameRefusal(limiter, [Buffer.alloc(10), Buffer.alloc(10)])).toBeUndefined();
    const flood = frameRefusal(limiter, Buffer.from('{}'));
    expect(ServerFrame.parse(flood)).toMatchObject({ type: 'error', code: 'rate_limited' });
    expect(flood!.message).toMatch(/wait 1 s/);
  });
});

describe('on a socket route (as wired in chat-socket.ts)', () => {
  let t: TinyApp | undefined;
  afterEach(async () => { await t?.close(); t = undefined; });

  async function socketApp() {
    t = await tinyApp(async (app) => {
      await app.register(fastifyWebsocket, { options: { maxPayload: 1024 * 1024 } });
      app.get('/api/chat', { websocket: true, preValidation: refuseForeignOrigin }, (socket: WebSocket) => {
        const limiter = new MessageRateLimiter();
        socket.on('message', (data) => {
          const refusal = frameRefusal(limiter, data);
          socket.send(JSON.stringify(refusal ?? { type: 'pong' }));
        });
      });
    });
    return t;
  }

  const collect = (ws: WebSocket) => {
    const frames: Array<{ type: string; code?: string }> = [];
    ws.on('message', (d) => frames.push(JSON.parse(String(d))));
    return frames;
  };
  const until = async (check: () => boolean) => {
    for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
  };

  it('refuses an upgrade from another site and accepts one from its own page', async () => {
    const { app } = await socketApp();
    await expect(app.injectWS('/api/chat', { headers: { host: 'localhost:3000', origin: 'https://evil.example.com' } })).rejects.toThrow('403');
    const ws = await app.injectWS('/api/chat', { headers: { host: 'localhost:3000', origin: 'http://localhost:3000' } });
    const frames = collect(ws);
    ws.send('{}');
    await until(() => frames.length > 0);
    expect(frames).toEqual([{ type: 'pong' }]);
    ws.terminate();
  });

  it('answers a flood with rate_limited errors and an oversized frame with too_large, and the socket stays open', async () => {
    const { app } = await socketApp();
    const ws = await app.injectWS('/api/chat', { headers: {} });
    const frames = collect(ws);
    ws.send('x'.repeat(MAX_FRAME_BYTES + 10));
    for (let i = 0; i < 24; i++) ws.send('{}');
    await until(() => frames.length === 25);
    expect(frames[0]).toMatchObject({ type: 'error', code: 'too_large' });
    expect(frames.filter((f) => f.type === 'pong')).toHaveLength(19);
    expect(frames.filter((f) => f.code === 'rate_limited')).toHaveLength(5);
    expect(ws.readyState).toBe(ws.OPEN);
    ws.terminate();
  });
});

describe('the chat socket in the whole app', () => {
  it('refuses an upgrade from another site, accepts its own page, and tells a plain GET what the address is for', async () => {
    const h = await createHarness();
    try {
      await expect(h.app.injectWS('/api/chat', { headers: { cookie: h.cookie, host: 'localhost:3000', origin: 'https://evil.example.com' } })).rejects.toThrow('403');
      const ws = await h.app.injectWS('/api/chat', { headers: { cookie: h.cookie, host: 'localhost:3000', origin: 'http://localhost:3000' } });
      ws.terminate();
      const plain = await h.app.inject({ method: 'GET', url: '/api/chat', headers: { cookie: h.cookie } });
      expect(plain.statusCode).toBe(426);
      expect(plain.json().error.code).toBe('upgrade_required');
    } finally {
      await h.close();
    }
  });
});
