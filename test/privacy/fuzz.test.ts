import { mulberry32 } from '../../src/classify/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { ChatClient, createHarness, type Harness } from '../helpers/harness.js';
import { ServerFrame, type ErrorCode } from '../../src/protocol/frames.js';
import type { MessageRecord } from '../../src/protocol/records.js';
import type { AppDeps } from '../../src/app.js';

/**
 * Throws thousands of malformed, oversized, wrongly typed and out-of-order frames and
 * requests at the app. Seeded, so a failure can be replayed: FUZZ_SEED=<seed> npx vitest run test/privacy/fuzz.test.ts
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261125);
const WS_FRAMES = 3000;
const REST_REQUESTS = 1500;
const BATCH = 15; // frames per socket, each batch on a fresh connection

type Rand = () => number;

class Fuzz {
  constructor(readonly rand: Rand) {}
  int(n: number): number { return Math.floor(this.rand() * n); }
  pick<T>(items: readonly T[]): T { return items[this.int(items.length)]!; }
  chance(p: number): boolean { return this.rand() < p; }

  /** Text nobody would type: control characters, lone surrogates, RTL marks, emoji, NUL. */
  junk(max = 40): string {
    const pools = [[0, 0x1f], [0x20, 0x7e], [0x80, 0x2ff], [0x200b, 0x200f], [0x202a, 0x202e], [0xd800, 0xdfff], [0xfff0, 0xffff], [0x1f600, 0x1f64f], [0x10000, 0x10ffff]];
    let text = '';
    for (let i = this.int(max) + 1; i > 0; i--) {
      const [lo, hi] = this.pick(pools);
      text += String.fromCodePoint(lo! + this.int(hi! - lo! + 1));
    }
    return text;
  }

  /** A random JSON value, sometimes large, deep or with keys that have bitten parsers before. */
  value(depth = 0): unknown {
    const kind = this.int(depth > 3 ? 6 : 9);
    switch (kind) {
      case 0: return null;
      case 1: return this.chance(0.5);
      case 2: return this.pick([0, -1, 1e308, -1e308, 2 ** 53 + 1, 0.1, Number.MAX_SAFE_INTEGER, 1e-320]);
      case 3: return this.junk();
      case 4: return this.pick(['send', 'stop', 'ping', '', 'coach', 'rehearsal.end', 'constructor', '__proto__', 'toString']);
      case 5: return 'x'.repeat(this.int(9000));
      case 6: return Array.from({ length: this.int(4) }, () => this.value(depth + 1));
      default: {
        const o: Record<string, unknown> = {};
        for (let i = this.int(4); i > 0; i--) o[this.pick(['type', 'text', 'clientId', 'conversationId', 'mode', 'options', 'action', 'region', 'constructor', 'prototype', this.junk(8)])] = this.value(depth + 1);
        return o;
      }
    }
  }

  deep(levels: number, open = '[', close = ']'): string {
    return open.repeat(levels) + close.repeat(levels);
  }

  id(): string {
    return this.pick([
      'c'.repeat(1 + this.int(60)), `missing-${this.int(1e6)}`, crypto.randomUUID(), 'x'.repeat(65), '../etc/passwd', '',
      '%00', 'a b', '🙂', String(this.int(1e9)), this.junk(10),
    ]);
  }
}

/** What one frame must produce: a typed error with this code, a turn, nothing, or anything non-internal. */
type Expect = { kind: 'error'; code: ErrorCode } | { kind: 'turn' } | { kind: 'none' } | { kind: 'any' };
interface Shot { data: string | Buffer; binary?: boolean; expect: Expect; label: string }

interface Targets {
  /** Her conversation (another browser): the fuzzer must never reach it. */
  hers: string;
  /** The fuzzer's own conversation with one finished coach turn. */
  coached: string;
  /** The fuzzer's own conversation with no messages. */
  empty: string;
}

const json = (v: unknown) => JSON.stringify(v);
/** URLs cannot carry lone surrogates at all; the junk stays junk otherwise. */
const wellFormed = (text: string) => text.replace(/[\uD800-\uDFFF]/g, '\uFFFD');
const bad = (label: string, data: string | Buffer, binary = false): Shot => ({ label, data, binary, expect: { kind: 'error', code: 'bad_frame' } });
const notFound = (label: string, frame: unknown): Shot => ({ label, data: json(frame), expect: { kind: 'error', code: 'not_found' } });

function frameShot(f: Fuzz, t: Targets, n: number): Shot {
  const clientId = `f${n}`;
  const unknown = `gone-${n}`;
  const target = f.pick([unknown, t.hers]);
  const shots: Array<() => Shot> = [
    () => bad('not json', f.pick(['', '{', '}', 'null{', '{"type":', 'undefined', "{'type':'ping'}", f.junk(200)])),
    () => bad('binary', Buffer.from(Array.from({ length: 1 + f.int(300) }, () => f.int(256))), true),
    () => bad('binary json', Buffer.from(json({ type: 'ping' })), true),
    () => bad('not an object', json(f.pick([null, 0, 1e308, 'ping', [], [{ type: 'ping' }], true]))),
    () => bad('unknown type', json({ type: f.pick(['PING', 'delete', 'reply.delta', 'ack', 'error', '', 'send ', null, 7, ['send']]) })),
    () => bad('deep array', f.deep(1000 + f.int(20_000))),
    () => bad('deep object', `${'{"a":'.repeat(2000 + f.int(8000))}1${'}'.repeat(2000 + f.int(8000))}`),
    () => bad('send, text wrongly typed', json({ type: 'send', clientId, text: f.pick([1e309 as number, -0, {}, [], null, true, { text: 'hi' }]) })),
    () => bad('send, empty text', json({ type: 'send', clientId, text: f.pick(['', '   ', '\n\t ']) })),
    () => bad('send, text too long', json({ type: 'send', clientId, text: 'a'.repeat(8001 + f.int(10_000)) })),
    () => bad('send, bad client id', json({ type: 'send', clientId: f.pick(['', 'has space', 'x'.repeat(65), '🙂', 12, null]), text: 'hello' })),
    () => bad('send, bad mode', json({ type: 'send', clientId, text: 'hello', mode: f.pick(['party', 'COACH', 1e400, null, {}]) })),
    () => bad('send, bad region', json({ type: 'send', clientId, text: 'hello', region: f.pick(['Mars', 'us ', 42]) })),
    () => bad('send, options not an object', json({ type: 'send', clientId, text: 'hello', options: f.pick([[], 'rough', 1]) })),
    () => bad('stop, huge number id', `{"type":"stop","conversationId":${f.pick(['1e400', '-1e400', '123456789012345678901234567890', '0x10', 'NaN'])}}`),
    () => bad('action, unknown action', json({ type: 'action', conversationId: t.coached, clientId, action: f.pick(['rehearsal.start', 'delete', '', null]) })),
    () => bad('regenerate, no client id', json({ type: 'regenerate', conversationId: t.coached })),
    () => bad('edit, no message id', json({ type: 'edit', conversationId: t.coached, clientId, text: 'Something else' })),
    () => bad('random value', json(f.value()) ?? 'null'),
    () => notFound('stop, unknown conversation', { type: 'stop', conversationId: target }),
    () => notFound('resume, unknown conversation', { type: 'resume', conversationId: target }),
    () => notFound('regenerate, unknown conversation', { type: 'regenerate', conversationId: target, clientId }),
    () => notFound('action, unknown conversation', { type: 'action', conversationId: target, clientId, action: 'rehearsal.end' }),
    () => notFound('send into an unknown conversation', { type: 'send', clientId, conversationId: target, text: `Hello ${f.junk(30)}` }),
    () => notFound('regenerate with nothing to answer', { type: 'regenerate', conversationId: t.empty, clientId }),
    () => notFound('edit, unknown conversation', { type: 'edit', conversationId: target, messageId: unknown, clientId, text: `Hello ${f.junk(30)}` }),
    () => notFound('edit, a message not in the conversation', { type: 'edit', conversationId: t.coached, messageId: unknown, clientId, text: 'Something else' }),
    () => ({ label: 'action in a coach conversation', data: json({ type: 'action', conversationId: t.coached, clientId, action: f.pick(['rehearsal.end', 'rehearsal.rewind']) }), expect: { kind: 'error', code: 'bad_frame' } }),
    () => ({ label: 'stop with nothing running', data: json({ type: 'stop', conversationId: t.coached }), expect: { kind: 'none' } }),
    () => ({ label: 'resume with nothing running', data: json({ type: 'resume', conversationId: t.empty }), expect: { kind: 'none' } }),
    () => ({ label: 'oversized frame', data: json({ type: 'send', clientId, text: 'x'.repeat(64 * 1024 + f.int(100_000)) }), expect: { kind: 'error', code: 'too_large' } }),
    () => ({ label: 'a real message, new conversation', data: `{"type":"send","clientId":"${clientId}","text":${json(`He ignored me again ${f.junk(20)}`)},"__proto__":{"text":1},"role":"system"}`, expect: { kind: 'turn' } }),
    () => ({ label: 'a message in another mode', data: json({ type: 'send', clientId, text: 'We argued about his phone.', mode: f.pick(['rehearse', 'draft', 'referral']), options: f.value() && {} }), expect: { kind: 'any' } }),
  ];
  return f.pick(shots)();
}

let h: Harness;
let herCookie: string;
let hers: { id: string; messages: MessageRecord[]; list: unknown };
const rand = new Fuzz(mulberry32(SEED));

beforeAll(async () => {
  h = await createHarness();
  herCookie = h.cookie;
  const client = await ChatClient.open(h);
  const first = await client.say('He said he hates me and slammed his door.');
  await client.say('I just want us to talk again.', { conversationId: first.conversationId });
  client.close();
  hers = {
    id: first.conversationId,
    messages: h.store.listMessages(first.conversationId),
    list: (await h.app.inject({ method: 'GET', url: '/api/conversations', headers: { cookie: herCookie } })).json(),
  };
}, 60_000);

afterAll(async () => { await h.close(); });

async function newBrowser(): Promise<string> {
  const res = await h.app.inject({ method: 'GET', url: '/api/health', remoteAddress: `10.9.${rand.int(255)}.${rand.int(255)}` });
  return String(res.headers['set-cookie']).split(';')[0]!;
}

function collect(ws: WebSocket) {
  const frames: unknown[] = [];
  const raw: string[] = [];
  let closed: number | undefined;
  ws.on('message', (d, isBinary) => {
    raw.push(isBinary ? '<binary>' : String(d));
    try { frames.push(JSON.parse(String(d))); } catch { frames.push({ unparsable: String(d) }); }
  });
  ws.on('close', (code) => { closed = code; });
  return { frames, raw, closed: () => closed };
}

async function until(check: () => boolean, ms = 5000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 5));
  }
  return true;
}

const byCode = (codes: string[]) => codes.reduce<Record<string, number>>((m, c) => ({ ...m, [c]: (m[c] ?? 0) + 1 }), {});

describe(`fuzzing the app (seed ${SEED})`, () => {
  it(`answers ${WS_FRAMES} malformed, oversized, mistyped and out-of-order WebSocket frames with typed errors, and nothing else breaks`, async () => {
    const fuzzer = await newBrowser();
    const setup = await ChatClient.open(h, fuzzer);
    const coachedEnd = await setup.say('We had a row about chores.');
    setup.close();
    const empty = (await h.app.inject({ method: 'POST', url: '/api/conversations', headers: { cookie: fuzzer }, payload: {} })).json().conversation.id as string;
    const targets: Targets = { hers: hers.id, coached: coachedEnd.conversationId, empty };

    const problems: string[] = [];
    let sent = 0;
    while (sent < WS_FRAMES) {
      const ws = await h.app.injectWS('/api/chat', { headers: { cookie: fuzzer } });
      const seen = collect(ws);
      const shots = Array.from({ length: Math.min(BATCH, WS_FRAMES - sent) }, (_, i) => frameShot(rand, targets, sent + i));
      for (const shot of shots) ws.send(shot.data, { binary: shot.binary === true });
      ws.send(json({ type: 'ping' }));
      sent += shots.length;

      const expected = shots.flatMap((s) => (s.expect.kind === 'error' ? [s.expect.code] : []));
      const turns = shots.filter((s) => s.expect.kind === 'turn').length;
      const errorsIn = () => seen.frames.filter((f) => (f as { type?: string }).type === 'error');
      const done = await until(() =>
        seen.closed() !== undefined
        || (seen.frames.some((f) => (f as { type?: string }).type === 'pong')
          && errorsIn().length >= expected.length
          && seen.frames.filter((f) => (f as { type?: string }).type === 'reply.end').length >= turns));
      await new Promise((r) => setTimeout(r, 10));
      const labels = shots.map((s) => s.label).join(' | ');
      if (!done) problems.push(`batch ending at ${sent} timed out [${labels}]: got ${seen.raw.join(' ')}`.slice(0, 2000));
      if (seen.closed() !== undefined) problems.push(`batch ending at ${sent}: socket closed with ${seen.closed()} [${labels}]`);
      for (const [i, frame] of seen.frames.entries()) {
        const parsed = ServerFrame.safeParse(frame);
        if (!parsed.success) problems.push(`not a ServerFrame: ${seen.raw[i]!.slice(0, 300)} [${labels}]`);
        else if (parsed.data.type === 'error' && parsed.data.code === 'internal') problems.push(`internal error [${labels}]`);
      }
      const got = errorsIn().map((f) => (f as { code: string }).code);
      const loose = shots.filter((s) => s.expect.kind === 'any').length;
      const missing = Object.entries(byCode(expected)).filter(([code, n]) => (byCode(got)[code] ?? 0) < n);
      if (missing.length || got.length > expected.length + loose) {
        problems.push(`batch ending at ${sent}: expected errors ${json(byCode(expected))} (+≤${loose}), got ${json(byCode(got))} [${labels}]`);
      }
      ws.terminate();
      if (problems.length > 20) break;
    }
    expect(problems).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(3000);
  }, 180_000);

  it('a flood on one socket is answered with rate_limited errors, and the socket stays usable', async () => {
    // The harness lifts the per-connection limit for ordinary tests; this one restores the production default.
    const limited = await createHarness({ deps: { socketRate: { burst: 20, perSecond: 1 } } as unknown as Partial<AppDeps> });
    try {
      const ws = await limited.app.injectWS('/api/chat', { headers: { cookie: limited.cookie } });
      const seen = collect(ws);
      for (let i = 0; i < 60; i++) ws.send(json({ type: 'ping' }));
      await until(() => seen.frames.length >= 60);
      const outcomes = seen.frames.map((f) => (f as { code?: string }).code ?? (f as { type: string }).type);
      expect(outcomes.filter((o) => o === 'pong').length).toBeGreaterThanOrEqual(20);
      expect(outcomes.filter((o) => o === 'pong').length).toBeLessThan(25);
      expect(outcomes.filter((o) => o === 'rate_limited').length).toBeGreaterThan(35);
      for (const f of seen.frames) expect(ServerFrame.safeParse(f).success).toBe(true);
      expect(ws.readyState).toBe(ws.OPEN);
      ws.terminate();
    } finally {
      await limited.close();
    }
  });

  it(`answers ${REST_REQUESTS} random REST requests with a 2xx/3xx or a typed 4xx, never a 500`, async () => {
    const fuzzer = await newBrowser();
    const own = (await h.app.inject({ method: 'POST', url: '/api/conversations', headers: { cookie: fuzzer }, payload: { title: 'mine' } })).json().conversation.id as string;
    const f = rand;
    const ids = () => f.pick([hers.id, own, hers.messages[1]!.id, f.id(), encodeURIComponent(wellFormed(f.junk(12))), '%ZZ', '%00', '..%2F..%2Fetc', 'a'.repeat(70), 'a'.repeat(600)]);
    const paths = [
      () => '/api/conversations', () => `/api/conversations/${ids()}`, () => `/api/conversations/${ids()}/memory`,
      () => `/api/conversations/${ids()}/memory/${f.pick(['son_name', 'topics', 'nope', '', '%20'])}`, () => `/api/messages/${ids()}/feedback`,
      () => `/api/export?format=${f.pick(['json', 'markdown', 'pdf', '', '%ZZ', 'json&format=markdown'])}`, () => '/api/health',
      () => `/api/${f.junk(6).replace(/[?#]/g, '')}`, () => `/${encodeURIComponent(wellFormed(f.junk(10)))}`, () => `/api/conversations?${f.pick(['a=1', '__proto__[x]=1', 'x'.repeat(5000)])}`,
      () => '/api/chat',
    ];
    const bodies = [
      () => undefined, () => json(f.value()), () => json({ title: f.value(), mode: f.value() }), () => json({ facts: [{ key: 'son_name', value: f.value() }] }),
      () => json({ rating: f.pick(['up', 'down', null, 'sideways', 1]) }), () => '{"title":', () => f.junk(100), () => 'x'.repeat(64 * 1024 + f.int(50_000)),
      () => `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`, () => '{"__proto__":{"admin":true}}', () => '{"constructor":{"prototype":{"admin":true}}}', () => 'title=hi&mode=coach',
    ];
    const types = ['application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/octet-stream', 'garbage', undefined];
    const cookies = [fuzzer, fuzzer, '', 'mend_id=short', `mend_id=${'A'.repeat(43)}`, 'mend_id=../../x; mend_id=again', f.junk(20).replace(/[\r\n]/g, '')];
    const problems: string[] = [];
    const methods = ['GET', 'GET', 'POST', 'POST', 'PATCH', 'PUT', 'DELETE', 'DELETE', 'OPTIONS', 'HEAD'] as const;

    for (let n = 0; n < REST_REQUESTS; n++) {
      const method = f.pick(methods);
      const url = f.pick(paths)();
      const payload = method === 'GET' || method === 'HEAD' ? (f.chance(0.1) ? f.pick(bodies)() : undefined) : f.pick(bodies)();
      const type = f.pick(types);
      const cookie = f.pick(cookies);
      // Most requests come from many addresses so they reach the routes; some share one and meet the limiter.
      const remoteAddress = f.chance(0.3) ? '10.0.0.1' : `10.1.${f.int(255)}.${f.int(255)}`;
      const request = { method, url, remoteAddress, headers: { ...(cookie ? { cookie } : {}), ...(type ? { 'content-type': type } : {}) }, ...(payload === undefined ? {} : { payload }) };
      let res;
      try {
        res = await h.app.inject(request);
      } catch (error) {
        problems.push(`${method} ${url.slice(0, 80)} threw ${(error as Error).message}`);
        continue;
      }
      const where = `${method} ${url.slice(0, 80)} [${type}] body ${String(payload).slice(0, 60)}`;
      if (res.statusCode >= 500) problems.push(`${res.statusCode} for ${where}: ${res.body.slice(0, 200)}`);
      if (res.statusCode >= 400 && method !== 'HEAD') {
        let body: { error?: { code?: unknown; message?: unknown } } | undefined;
        try { body = res.json(); } catch { /* reported below */ }
        if (typeof body?.error?.code !== 'string' || typeof body.error.message !== 'string' || !body.error.message) {
          problems.push(`${res.statusCode} without the error shape for ${where}: ${res.body.slice(0, 200)}`);
        }
      }
      if (problems.length > 30) break;
    }
    expect(problems).toEqual([]);
    expect(h.logs.filter((l) => l.includes('"level":50'))).toEqual([]);
  }, 120_000);

  it('afterwards the app still answers, a normal turn works, and her conversation is exactly as it was', async () => {
    await h.app.chat.drain(5000);
    expect((await h.app.inject({ method: 'GET', url: '/api/health', remoteAddress: '10.200.0.1' })).statusCode).toBe(200);
    expect(h.store.listMessages(hers.id)).toEqual(hers.messages);
    const list = await h.app.inject({ method: 'GET', url: '/api/conversations', headers: { cookie: herCookie }, remoteAddress: '10.200.0.2' });
    expect(list.json()).toEqual(hers.list);
    const client = await ChatClient.open(h, herCookie);
    const end = await client.say('Thank you. What should I say tonight?', { conversationId: hers.id });
    expect(end.status).toBe('complete');
    expect(h.store.listMessages(hers.id).slice(0, hers.messages.length)).toEqual(hers.messages);
    client.close();
  });
});
