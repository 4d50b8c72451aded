/**
 * The load generator: a separate process (so its own work never slows the server it measures)
 * that opens real WebSocket clients on loopback. Chatting sessions time each turn from sending
 * her message to the first reply.delta; idle connections are opened and held for the memory
 * measurement. The parent talks to it over the fork IPC channel.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import WebSocket from 'ws';
import type { UsageReport } from './stub-server.js';
import { machineBusyMs } from './machine.js';
import { herMessage } from './conversation.js';

export interface SessionsJob {
  kind: 'sessions';
  url: string;
  sessions: number;
  turns: number;
  /** Pause between a reply's end and her next message, drawn uniformly from [min, max] ms. */
  thinkMs: [number, number];
  /** Offsets the source addresses, so runs close together do not share them. */
  addressOffset?: number;
  /** The server's debug port: its CPU and event-loop delay are read around the timed part. */
  debugUrl?: string;
}

export interface SessionsResult {
  /** Milliseconds from sending each message to its first reply.delta. */
  latencies: number[];
  /** The turn (1-based, within its conversation) each latency belongs to. */
  turnOf: number[];
  errors: string[];
  wallMs: number;
  /** CPU the load generator itself used, so the parent can tell other load on the machine from ours. */
  cpuMs: number;
  /** The server during the timed part: CPU it used and the worst event-loop delay. */
  server?: { cpuMs: number; loopDelayP99: number; loopDelayMax: number };
  /** CPU the whole machine used during the timed part (all processes), when /proc/stat is there. */
  machineBusyMs?: number;
}

export interface IdleJob {
  kind: 'idle';
  url: string;
  connections: number;
  addressOffset?: number;
}

const TURN_TIMEOUT_MS = 15_000;
/** Opening sockets a few hundred at a time keeps the listen backlog from overflowing. */
const OPEN_BATCH = 200;

/**
 * Each client gets its own loopback source address (127.1.x.y), as real users come from
 * their own addresses: the app's per-address HTTP rate limit then sees what it would in use.
 * Where only 127.0.0.1 exists (macOS), everyone shares it and big runs meet that limit.
 */
let aliasesWork = true;

export function sourceAddress(index: number): string {
  return aliasesWork ? `127.1.${Math.floor(index / 250) % 250}.${(index % 250) + 1}` : '127.0.0.1';
}

async function checkLoopbackAliases(): Promise<void> {
  const probe = createServer();
  aliasesWork = await new Promise<boolean>((resolve) => {
    probe.once('error', () => resolve(false));
    probe.listen(0, '127.1.0.1', () => probe.close(() => resolve(true)));
  });
}

/** GET /api/health for the identity cookie, the way the page gets it before opening the socket. */
export function fetchCookie(url: string, localAddress: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/api/health`, { localAddress, agent: false }, (res) => {
      res.resume();
      const cookie = res.headers['set-cookie']?.[0]?.split(';')[0];
      if (res.statusCode === 200 && cookie) resolve(cookie);
      else reject(new Error(`health answered ${res.statusCode} without a cookie`));
    });
    req.setTimeout(TURN_TIMEOUT_MS, () => req.destroy(new Error('health timed out')));
    req.on('error', reject);
    req.end();
  });
}

interface Frame {
  type: string;
  conversationId?: string;
  clientId?: string;
  code?: string;
  message?: string;
  /** When the frame arrived here (performance.now()), not when the waiting code got to it. */
  receivedAt: number;
}

/**
 * One socket with her cookie. Frames queue until read: several can arrive in one read from the
 * network, before the code waiting for the first has run again.
 */
class Client {
  private readonly inbox: Frame[] = [];
  private wake: (() => void) | undefined;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.inbox.push({ ...(JSON.parse(String(data)) as Omit<Frame, 'receivedAt'>), receivedAt: performance.now() });
      this.wake?.();
    });
  }

  static async open(url: string, index: number): Promise<Client> {
    const localAddress = sourceAddress(index);
    const cookie = await fetchCookie(url, localAddress);
    const ws = new WebSocket(`${url.replace('http', 'ws')}/api/chat`, { headers: { cookie, origin: url }, localAddress });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    ws.on('error', () => undefined);
    return new Client(ws);
  }

  /** The next frame that matches (or an error frame); frames before it are dropped. */
  async next(match: (f: Frame) => boolean): Promise<Frame> {
    const deadline = performance.now() + TURN_TIMEOUT_MS;
    for (;;) {
      const at = this.inbox.findIndex((f) => match(f) || f.type === 'error');
      if (at >= 0) return this.inbox.splice(0, at + 1)[at]!;
      const left = deadline - performance.now();
      if (left <= 0) throw new Error('no answer in time');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => { clearTimeout(timer); this.wake = undefined; resolve(); };
      });
    }
  }
}

const between = ([min, max]: [number, number]) => min + Math.random() * (max - min);

/** One chatting session: several coach turns (one reply each) in one conversation, each timed to its first delta. */
async function chat(client: Client, session: number, job: SessionsJob, result: SessionsResult): Promise<void> {
  let conversationId: string | undefined;
  await sleep(between([0, job.thinkMs[1]])); // sessions start spread out, as people do
  for (let turn = 0; turn < job.turns; turn++) {
    const clientId = `b${session}t${turn}x${Math.random().toString(36).slice(2, 8)}`;
    const text = herMessage(session + turn + 1);
    const started = performance.now();
    client.ws.send(JSON.stringify({ type: 'send', clientId, text, ...(conversationId ? { conversationId } : {}) }));
    const delta = await client.next((f) => f.type === 'reply.delta' || f.type === 'reply.end');
    if (delta.type === 'error') throw new Error(`${delta.code}: ${delta.message}`);
    if (delta.type === 'reply.end') throw new Error('a reply ended without any text');
    result.latencies.push(delta.receivedAt - started);
    result.turnOf.push(turn + 1);
    conversationId = delta.conversationId;
    const end = await client.next((f) => f.type === 'reply.end');
    if (end.type === 'error') throw new Error(`${end.code}: ${end.message}`);
    await sleep(between(job.thinkMs));
  }
}

/** Opens every socket first (not timed), then runs all sessions at once. */
export async function runSessions(job: SessionsJob): Promise<SessionsResult> {
  const offset = job.addressOffset ?? 0;
  const clients = await openMany(job.url, job.sessions, offset);
  const result: SessionsResult = { latencies: [], turnOf: [], errors: [], wallMs: 0, cpuMs: 0 };
  const serverBefore = job.debugUrl ? await serverUsage(job.debugUrl) : undefined;
  const machineBefore = machineBusyMs();
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(clients.map((client, i) => chat(client, offset + i, job, result).catch((error: unknown) => {
    result.errors.push((error as Error).message);
  })));
  result.wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  result.cpuMs = (used.user + used.system) / 1000;
  const machineAfter = machineBusyMs();
  if (machineBefore !== undefined && machineAfter !== undefined) result.machineBusyMs = machineAfter - machineBefore;
  if (serverBefore) {
    const after = await serverUsage(job.debugUrl!);
    result.server = { cpuMs: after.cpuMs - serverBefore.cpuMs, loopDelayP99: after.loopDelay.p99, loopDelayMax: after.loopDelay.max };
  }
  for (const client of clients) client.ws.terminate();
  return result;
}

async function serverUsage(debugUrl: string): Promise<UsageReport> {
  return (await (await fetch(`${debugUrl}/usage`)).json()) as UsageReport;
}

async function openMany(url: string, count: number, offset: number): Promise<Client[]> {
  await checkLoopbackAliases();
  const clients: Client[] = [];
  for (let first = 0; first < count; first += OPEN_BATCH) {
    const batch = Array.from({ length: Math.min(OPEN_BATCH, count - first) }, (_, i) => Client.open(url, offset + first + i));
    clients.push(...(await Promise.all(batch)));
  }
  return clients;
}

/** Child-process entry: runs one job from the parent and reports back over IPC. */
async function runAsChild(): Promise<void> {
  process.once('message', (job: SessionsJob | IdleJob) => {
    void (async () => {
      if (job.kind === 'sessions') {
        const result = await runSessions(job);
        process.send!(result, () => process.disconnect!());
        return;
      }
      const clients = await openMany(job.url, job.connections, job.addressOffset ?? 0);
      process.send!({ opened: clients.length });
      process.once('message', () => {
        for (const client of clients) client.ws.terminate();
        process.disconnect!();
      });
    })().catch((error: unknown) => {
      process.send!({ failed: (error as Error).message }, () => process.disconnect!());
    });
  });
  process.on('disconnect', () => process.exit(0));
}

const SELF = fileURLToPath(import.meta.url);

function forkGenerator(): ChildProcess {
  return fork(SELF, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

function nextMessage<T>(child: ChildProcess, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill(); reject(new Error(`load generator gave no answer within ${timeoutMs} ms`)); }, timeoutMs);
    child.once('message', (message) => {
      clearTimeout(timer);
      const failed = (message as { failed?: string }).failed;
      if (failed) reject(new Error(`load generator failed: ${failed}`));
      else resolve(message as T);
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`load generator exited (${code}) before answering`)); });
  });
}

/** Runs chatting sessions in a fresh load-generator process. */
export async function runSessionsInChild(job: Omit<SessionsJob, 'kind'>, timeoutMs = 120_000): Promise<SessionsResult> {
  const child = forkGenerator();
  child.send({ kind: 'sessions', ...job } satisfies SessionsJob);
  try {
    return await nextMessage<SessionsResult>(child, timeoutMs);
  } finally {
    if (child.exitCode === null) child.kill();
  }
}

/** Opens idle connections in a load-generator process and holds them until `release`. */
export async function holdIdleInChild(job: Omit<IdleJob, 'kind'>, timeoutMs = 120_000): Promise<{ opened: number; release: () => Promise<void> }> {
  const child = forkGenerator();
  child.send({ kind: 'idle', ...job } satisfies IdleJob);
  const { opened } = await nextMessage<{ opened: number }>(child, timeoutMs).catch((error: unknown) => {
    if (child.exitCode === null) child.kill();
    throw error;
  });
  return {
    opened,
    release: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send('release');
      await Promise.race([exited, sleep(10_000, undefined, { ref: false }).then(() => child.kill())]);
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void runAsChild();
