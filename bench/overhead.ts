/**
 * Overhead to first token and memory per connection. The app, the app with its coaching taken
 * out, and the echo each run in their own child process, driven by the load generator in
 * another, all on loopback.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MemoryReport, ServerKind } from './stub-server.js';
import { holdIdleInChild, runSessionsInChild, type SessionsResult } from './load-generator.js';
import { CORES } from './machine.js';
import { median, percentile, round } from './stats.js';

const SERVER_ENTRY = fileURLToPath(new URL('./stub-server.ts', import.meta.url));
/** Outside the repository, so profiles never end up in a commit. */
export const PROFILE_DIR = join(tmpdir(), 'mend-bench-profiles', '/');

export interface ServerChild {
  kind: ServerKind;
  url: string;
  debugUrl: string;
  child: ChildProcess;
  stop: () => Promise<void>;
}

/** Starts one bench server in its own process; with `profile`, V8 writes a CPU profile when it stops. */
export async function startServerChild(kind: ServerKind, options: { profile?: boolean } = {}): Promise<ServerChild> {
  const execArgv = ['--import', 'tsx', '--expose-gc'];
  if (options.profile) {
    // One folder per server: V8 writes a profile for each thread (tsx's loader has its own); the biggest is the app's.
    mkdirSync(`${PROFILE_DIR}${kind}`, { recursive: true });
    execArgv.push('--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}${kind}`);
  }
  const child = fork(SERVER_ENTRY, [kind], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = await new Promise<{ url: string; debugUrl: string }>((resolve, reject) => {
    const timer = setTimeout(() => { child.kill(); reject(new Error(`${kind} server did not start within 30 s`)); }, 30_000);
    child.once('message', (message) => { clearTimeout(timer); resolve(message as { url: string; debugUrl: string }); });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${kind} server exited (${code}) while starting`)); });
  });
  return {
    kind, child, ...ready,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send('stop');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export interface Level {
  sessions: number;
  /** Turns per session in each round; every level runs two rounds. */
  turns: number;
  thinkMs: [number, number];
}

/**
 * Sessions chat at a compressed human pace: people pause for tens of seconds between messages,
 * here for one or two, so 200 sessions send far more than 200 people would.
 */
export const LEVELS: Level[] = [
  { sessions: 1, turns: 20, thinkMs: [20, 60] },
  { sessions: 50, turns: 4, thinkMs: [500, 1500] },
  { sessions: 200, turns: 3, thinkMs: [1000, 3000] },
];
/** Every ratio is measured this many times (one round each) and the median is reported. */
const ROUNDS = 3;
/** The order alternates between rounds, so a burst of other work on the machine does not land on one server only. */
const ORDER: ServerKind[][] = [['echo', 'mend-minimal', 'mend'], ['mend', 'mend-minimal', 'echo']];

export interface ServerSummary {
  samples: number;
  errors: string[];
  p50: number;
  p99: number;
  max: number;
  /** Server CPU per turn, which other load on the machine hardly changes. */
  cpuMsPerTurn: number;
  /** The worst event-loop delay in the server while it was measured. */
  loopDelayMaxMs: number;
}

export interface LevelResult extends Level {
  rounds: number;
  mend: ServerSummary;
  minimal: ServerSummary;
  echo: ServerSummary;
  /** Mend's p99 over the echo's p99 in each round, and their median: the figure the target is about. */
  p99Ratio: number;
  p99Ratios: number[];
  /** The same for the pass-through mode (diagnostic). */
  minimalP99Ratio: number;
  /** The coaching's own CPU per turn: the app's minus the pass-through's (median over the rounds). */
  coachCpuMsPerTurn: number;
  /** Share of the machine's CPU used by processes other than the bench's own while it ran. */
  otherLoadPercent: number | null;
}

/** Hands out source-address ranges, so no two runs share an address. */
export class Addresses {
  private next = 0;
  constructor(first = 0) {
    this.next = first;
  }
  take(count: number): number {
    const first = this.next;
    this.next += count;
    return first;
  }
}

function summarise(runs: SessionsResult[]): ServerSummary {
  const latencies = runs.flatMap((r) => r.latencies);
  const serverCpu = runs.reduce((n, r) => n + (r.server?.cpuMs ?? 0), 0);
  return {
    samples: latencies.length,
    errors: [...new Set(runs.flatMap((r) => r.errors))],
    p50: round(percentile(latencies, 50)),
    p99: round(percentile(latencies, 99)),
    max: round(Math.max(...latencies)),
    cpuMsPerTurn: round(serverCpu / Math.max(1, latencies.length)),
    loopDelayMaxMs: round(Math.max(...runs.map((r) => r.server?.loopDelayMax ?? 0))),
  };
}

function otherLoad(runs: SessionsResult[]): number | null {
  if (runs.some((r) => r.machineBusyMs === undefined)) return null;
  const busy = runs.reduce((n, r) => n + r.machineBusyMs!, 0);
  const ours = runs.reduce((n, r) => n + r.cpuMs + (r.server?.cpuMs ?? 0), 0);
  const capacity = runs.reduce((n, r) => n + r.wallMs, 0) * CORES;
  return Math.max(0, Math.round(((busy - ours) / capacity) * 100));
}

export type Servers = Record<ServerKind, ServerChild>;

async function measureLevel(servers: Servers, level: Level, addresses: Addresses): Promise<LevelResult> {
  const runs: Record<ServerKind, SessionsResult[]> = { echo: [], 'mend-minimal': [], mend: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const kind of ORDER[round % ORDER.length]!) {
      const { url, debugUrl } = servers[kind];
      runs[kind].push(await runSessionsInChild({ url, debugUrl, ...level, addressOffset: addresses.take(level.sessions) }));
    }
  }
  const [mend, minimal, echo] = [summarise(runs.mend), summarise(runs['mend-minimal']), summarise(runs.echo)];
  const perRound = (kind: ServerKind, over: ServerKind, pick: (s: ServerSummary) => number, combine: (a: number, b: number) => number) =>
    runs[kind].map((run, i) => combine(pick(summarise([run])), pick(summarise([runs[over][i]!]))));
  const p99Ratios = perRound('mend', 'echo', (x) => x.p99, (a, b) => a / b).map(round);
  return {
    ...level, rounds: ROUNDS, mend, minimal, echo,
    p99Ratio: round(median(p99Ratios)),
    p99Ratios,
    minimalP99Ratio: round(median(perRound('mend-minimal', 'echo', (x) => x.p99, (a, b) => a / b))),
    coachCpuMsPerTurn: round(median(perRound('mend', 'mend-minimal', (x) => x.cpuMsPerTurn, (a, b) => a - b))),
    otherLoadPercent: otherLoad([...runs.mend, ...runs['mend-minimal'], ...runs.echo]),
  };
}

/** A short warm-up on every server first, so JIT compilation is not measured. */
export async function measureOverhead(servers: Servers, levels = LEVELS, log: (line: string) => void = () => undefined): Promise<LevelResult[]> {
  const addresses = new Addresses();
  const warmup = { sessions: 20, turns: 4, thinkMs: [20, 80] as [number, number] };
  for (const server of Object.values(servers)) {
    await runSessionsInChild({ url: server.url, ...warmup, addressOffset: addresses.take(warmup.sessions) });
  }
  const results: LevelResult[] = [];
  for (const level of levels) {
    const r = await measureLevel(servers, level, addresses);
    log(`  ${level.sessions} session(s): mend p50 ${r.mend.p50} p99 ${r.mend.p99} ms (${r.mend.cpuMsPerTurn} ms CPU/turn) · `
      + `minimal p50 ${r.minimal.p50} p99 ${r.minimal.p99} ms · echo p50 ${r.echo.p50} p99 ${r.echo.p99} ms · ratio ${r.p99Ratio} · other load ${r.otherLoadPercent ?? '?'}%`);
    results.push(r);
  }
  return results;
}

export interface LongConversationResult {
  turns: number;
  early: { turns: string; p50: number };
  late: { turns: string; p50: number };
  ratio: number;
}

/**
 * One conversation of `turns` turns: does the time to first token stay put as it grows?
 * Medians of its first ten and last ten turns, from the same run.
 */
export async function measureLongConversation(server: ServerChild, turns: number, addressOffset: number): Promise<LongConversationResult> {
  const run = await runSessionsInChild({ url: server.url, sessions: 1, turns, thinkMs: [5, 15], addressOffset });
  if (run.errors.length) throw new Error(`long conversation failed: ${run.errors.join('; ')}`);
  const at = (from: number, to: number) => median(run.latencies.filter((_, i) => run.turnOf[i]! >= from && run.turnOf[i]! <= to));
  const early = round(at(1, 10));
  const late = round(at(turns - 9, turns));
  return { turns, early: { turns: '1–10', p50: early }, late: { turns: `${turns - 9}–${turns}`, p50: late }, ratio: round(late / early) };
}

export interface MemoryResult {
  connections: number;
  rssPerConnectionKiB: number;
  heapPerConnectionKiB: number;
  externalPerConnectionKiB: number;
  before: MemoryReport;
  after: MemoryReport;
}

async function memoryOf(server: ServerChild): Promise<MemoryReport> {
  return (await (await fetch(`${server.debugUrl}/memory`)).json()) as MemoryReport;
}

const KiB = 1024;
const SETTLE_MS = 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Memory per idle connection: a short warm-up (so first-use allocations are not counted),
 * then the server's memory after a full collection before and while `connections` are held.
 */
export async function measureMemory(server: ServerChild, connections: number, addressOffset: number): Promise<MemoryResult> {
  const warm = await holdIdleInChild({ url: server.url, connections: 100, addressOffset });
  await warm.release();
  await sleep(SETTLE_MS);
  const before = await memoryOf(server);
  const held = await holdIdleInChild({ url: server.url, connections, addressOffset: addressOffset + 100 });
  await sleep(SETTLE_MS);
  const after = await memoryOf(server);
  await held.release();
  const per = (key: keyof MemoryReport) => round((after[key] - before[key]) / held.opened / KiB);
  return {
    connections: held.opened,
    rssPerConnectionKiB: per('rss'),
    heapPerConnectionKiB: per('heapUsed'),
    externalPerConnectionKiB: per('external'),
    before, after,
  };
}
