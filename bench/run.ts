/**
 * `npm run bench`: measures what Mend adds around the model, each figure beside its reference
 * from the same run, prints a Markdown table and writes bench/results.json.
 *
 *   npm run bench                       everything (about six minutes on two cores)
 *   npm run bench -- --only=overhead    one or more of: overhead, memory, safety, prompt, store, scale, cold
 *   BENCH_PROFILE=1 npm run bench -- --only=overhead
 *                                       also writes a CPU profile of the app to $TMPDIR/mend-bench-profiles/
 *                                       (BENCH_PROFILE=mend,mend-minimal,echo picks the servers)
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import {
  measureLongConversation, measureMemory, measureOverhead, startServerChild, PROFILE_DIR,
  type LevelResult, type LongConversationResult, type MemoryResult, type Servers, type ServerSummary,
} from './overhead.js';
import { measureSafetyThroughput, type SafetyThroughput } from './safety-throughput.js';
import { measurePromptGrowth, EARLY_TURN, LATE_TURN, type PromptSizes } from './prompt-growth.js';
import { measurePersistence, type PersistenceResult } from './persistence.js';
import { measureColdStart, type ColdStartResult } from './cold-start.js';
import { measureScale, type ScaleResult, type ScaleRow } from './scale.js';
import { round } from './stats.js';

const RESULTS_FILE = fileURLToPath(new URL('./results.json', import.meta.url));
const IDLE_CONNECTIONS = 5000;
/** Source addresses for these runs start past anything the latency runs used. */
const LONG_ADDRESS = 9_000;
const MEMORY_ADDRESSES = 10_000;
const LONG_TURNS = 100;

const TARGETS = {
  p99Ratio: 3, serverCpuMs: 1.5, coachCpuMs: 1, safetyPerSecond: 20_000, worstCaseMs: 2, memoryKiB: 64, promptRatio: 1.3,
  scaleRatio: 1.5, coldStartRatio: 2,
};

const SECTIONS = ['overhead', 'memory', 'safety', 'prompt', 'store', 'scale', 'cold'] as const;
type Section = (typeof SECTIONS)[number];

interface Results {
  startedAt: string;
  machine: { cpus: number; model: string; node: string };
  /** One-minute load average when the bench started: other work on the machine skews the tails. */
  loadAverageAtStart?: number;
  /** The one-minute load average as each section ended. */
  loadAverage?: Partial<Record<Section, number>>;
  loadAverageAtEnd?: number;
  scale?: ScaleResult;
  overhead?: LevelResult[];
  longConversation?: LongConversationResult;
  memory?: { mend: MemoryResult; echo: MemoryResult };
  safety?: SafetyThroughput;
  prompt?: PromptSizes[];
  persistence?: PersistenceResult;
  coldStart?: ColdStartResult;
  totalSeconds?: number;
}

const log = (line: string) => process.stderr.write(`${line}\n`);

function chosenSections(): Set<Section> {
  const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
  if (!only) return new Set(SECTIONS);
  const picked = only.split(',').filter((s): s is Section => (SECTIONS as readonly string[]).includes(s));
  return new Set(picked);
}

async function runOverhead(results: Results): Promise<void> {
  log('Overhead to first token (stub model, loopback WebSockets)…');
  const profiled = (process.env.BENCH_PROFILE ?? '').split(',').map((k) => (k === '1' ? 'mend' : k));
  const start = (kind: keyof Servers) => startServerChild(kind, { profile: profiled.includes(kind) });
  const servers: Servers = { mend: await start('mend'), 'mend-minimal': await start('mend-minimal'), echo: await start('echo') };
  try {
    results.overhead = await measureOverhead(servers, undefined, log);
    log(`Time to first token over one ${LONG_TURNS}-turn conversation…`);
    results.longConversation = await measureLongConversation(servers.mend, LONG_TURNS, LONG_ADDRESS);
  } finally {
    await Promise.all(Object.values(servers).map((s) => s.stop()));
  }
  if (profiled.some(Boolean)) log(`  CPU profile of the app written to ${PROFILE_DIR} (read it with: npx tsx bench/profile-top.ts <file>)`);
}

async function runMemory(results: Results): Promise<void> {
  log(`Memory with ${IDLE_CONNECTIONS.toLocaleString('en')} idle connections…`);
  const measured: Partial<Record<'mend' | 'echo', MemoryResult>> = {};
  for (const [i, kind] of (['mend', 'echo'] as const).entries()) {
    const server = await startServerChild(kind);
    try {
      measured[kind] = await measureMemory(server, IDLE_CONNECTIONS, MEMORY_ADDRESSES + i * (IDLE_CONNECTIONS + 200));
      log(`  ${kind}: ${measured[kind]!.rssPerConnectionKiB} KiB RSS, ${measured[kind]!.heapPerConnectionKiB} KiB heap per connection`);
    } finally {
      await server.stop();
    }
  }
  results.memory = { mend: measured.mend!, echo: measured.echo! };
}

async function runSection(section: Section, results: Results): Promise<void> {
  switch (section) {
    case 'overhead': return runOverhead(results);
    case 'memory': return runMemory(results);
    case 'safety':
      log('Safety screen throughput…');
      results.safety = await measureSafetyThroughput();
      return;
    case 'prompt':
      log('Prompt size growth…');
      results.prompt = await measurePromptGrowth();
      return;
    case 'store':
      log('Persistence…');
      results.persistence = measurePersistence();
      return;
    case 'scale':
      log('Conversation and database size…');
      results.scale = await measureScale(log);
      return;
    case 'cold':
      log('Cold start (5 runs each, beside a bare Fastify hello-world)…');
      results.coldStart = await measureColdStart();
      return;
  }
}

const verdict = (met: boolean) => (met ? 'met' : '**missed**');
const fmt = (n: number) => n.toLocaleString('en', { maximumFractionDigits: 2 });

const latency = (s: ServerSummary) => `p50 ${fmt(s.p50)} ms, p99 ${fmt(s.p99)} ms`;

function overheadRows(levels: LevelResult[]): string[] {
  return levels.flatMap((l) => {
    const errors = [...l.mend.errors, ...l.minimal.errors, ...l.echo.errors];
    const note = errors.length ? ` (errors: ${errors.join('; ')})` : '';
    const load = l.otherLoadPercent === null ? '' : `; other processes used ${l.otherLoadPercent}% of the CPUs`;
    const name = `${l.sessions} session${l.sessions > 1 ? 's' : ''}`;
    const cpuMet = l.mend.cpuMsPerTurn <= TARGETS.serverCpuMs && l.coachCpuMsPerTurn <= TARGETS.coachCpuMs;
    return [
      `| Overhead to first token, ${name} (${l.mend.samples} turns, ${l.rounds} rounds) | ${latency(l.mend)}; server CPU ${fmt(l.mend.cpuMsPerTurn)} ms/turn, of which coaching ${fmt(l.coachCpuMsPerTurn)} ms | echo ${latency(l.echo)}; server CPU ${fmt(l.echo.cpuMsPerTurn)} ms/turn${load} | p99 ${fmt(l.p99Ratio)}× echo, median of ${l.p99Ratios.map(fmt).join(', ')} (target ≤ ${TARGETS.p99Ratio}×); CPU target ≤ ${TARGETS.serverCpuMs} ms, coaching ≤ ${TARGETS.coachCpuMs} ms | ${verdict(l.p99Ratio <= TARGETS.p99Ratio && !errors.length)} (latency), ${verdict(cpuMet)} (CPU)${note} |`,
      `| ↳ same, coaching replaced by a pass-through mode (diagnostic) | ${latency(l.minimal)}; server CPU ${fmt(l.minimal.cpuMsPerTurn)} ms/turn | | p99 ${fmt(l.minimalP99Ratio)}× echo (median of rounds) | |`,
    ];
  });
}

function longConversationRow(c: LongConversationResult): string {
  return `| Time to first token as one conversation grows, 1 session | turns ${c.late.turns}: p50 ${fmt(c.late.p50)} ms | turns ${c.early.turns}: p50 ${fmt(c.early.p50)} ms | ${fmt(c.ratio)}× | no target |`;
}

function safetyRows(s: SafetyThroughput): string[] {
  if (!s.available) return [`| Safety screen throughput, labelled set, one core | not available yet (${s.reason}) | | target ≥ ${fmt(TARGETS.safetyPerSecond)}/s | n/a |`];
  const worst = s.worstCase.map((w) => `| ↳ worst case: ${w.name} | median ${fmt(w.medianMs)} ms, slowest ${fmt(w.maxMs)} ms | | target < ${TARGETS.worstCaseMs} ms | ${verdict(w.medianMs < TARGETS.worstCaseMs)} |`);
  return [
    `| Safety screen throughput, labelled set (${s.messages} messages), one core, rules alone | ${fmt(s.rulesPerSecond)} messages/s | | target ≥ ${fmt(TARGETS.safetyPerSecond)}/s | ${verdict(s.rulesPerSecond >= TARGETS.safetyPerSecond)} |`,
    `| Safety screen throughput, rules + learned layer (as every message is screened) | ${fmt(s.perSecond)} messages/s | | target ≥ ${fmt(TARGETS.safetyPerSecond)}/s | ${verdict(s.perSecond >= TARGETS.safetyPerSecond)} |`,
    ...worst,
  ];
}

function scaleRows(scale: ScaleResult): string[] {
  const row = (r: ScaleRow) => `| ${r.label} | ${fmt(r.large)} ms | ${fmt(r.small)} ms | ${fmt(r.ratio)}×, median of ${r.ratios.map(fmt).join(', ')} (target ≤ ${TARGETS.scaleRatio}×) | ${verdict(r.ratio <= TARGETS.scaleRatio)} |`;
  return [...scale.conversation, ...scale.database].map(row);
}

function memoryRow(m: { mend: MemoryResult; echo: MemoryResult }): string {
  return `| Memory, ${fmt(m.mend.connections)} idle connections | ${fmt(m.mend.rssPerConnectionKiB)} KiB RSS per connection (heap ${fmt(m.mend.heapPerConnectionKiB)} KiB) | echo ${fmt(m.echo.rssPerConnectionKiB)} KiB RSS (heap ${fmt(m.echo.heapPerConnectionKiB)} KiB) | target ≤ ${TARGETS.memoryKiB} KiB | ${verdict(m.mend.rssPerConnectionKiB <= TARGETS.memoryKiB)} |`;
}

function promptRows(sizes: PromptSizes[]): string[] {
  return sizes.map((p) => `| Prompt tokens (chars/4), turn ${EARLY_TURN} → ${LATE_TURN}: ${p.method} | ${fmt(p.early)} → ${fmt(p.late)} tokens (${fmt(p.ratio)}×) | naive full history ${fmt(p.naiveEarly)} → ${fmt(p.naiveLate)} tokens (${fmt(p.naiveRatio)}×) | target ≤ ${TARGETS.promptRatio}× | ${verdict(p.ratio <= TARGETS.promptRatio)} |`);
}

function table(results: Results): string {
  const rows = ['| Measure | Mend | Reference (same run) | Ratio / target | Result |', '|---|---|---|---|---|'];
  if (results.overhead) rows.push(...overheadRows(results.overhead));
  if (results.longConversation) rows.push(longConversationRow(results.longConversation));
  if (results.safety) rows.push(...safetyRows(results.safety));
  if (results.scale) rows.push(...scaleRows(results.scale));
  if (results.memory) rows.push(memoryRow(results.memory));
  if (results.prompt) rows.push(...promptRows(results.prompt));
  if (results.persistence) {
    const p = results.persistence;
    rows.push(`| Persistence, ${fmt(p.conversations * p.turnsEach)} turns (${p.settings}) | ${fmt(p.turnsPerSecond)} turns/s (per turn p50 ${fmt(p.p50Ms)} ms, p99 ${fmt(p.p99Ms)} ms) | | no target | |`);
  }
  if (results.coldStart) {
    const c = results.coldStart;
    rows.push(`| Cold start, \`node dist/main.js\`, median of ${c.runs} | ${fmt(c.listeningLogMs)} ms to the "listening" log line, ${fmt(c.healthMs)} ms to /api/health | bare Fastify hello-world ${fmt(c.hello.listeningLogMs)} ms, ${fmt(c.hello.healthMs)} ms | ${fmt(c.ratio)}× (median of each run's ratio; target ≤ ${TARGETS.coldStartRatio}×) | ${verdict(c.ratio <= TARGETS.coldStartRatio)} |`);
  }
  return rows.join('\n');
}

async function main(): Promise<void> {
  const started = performance.now();
  const results: Results = {
    startedAt: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version },
    loadAverageAtStart: round(loadavg()[0]!),
  };
  if (results.loadAverageAtStart! > 1) log(`Note: the machine is already busy (load average ${results.loadAverageAtStart}); tail latencies will be noisier.`);
  results.loadAverage = {};
  for (const section of chosenSections()) {
    await runSection(section, results);
    results.loadAverage[section] = round(loadavg()[0]!);
    log(`  (load average ${results.loadAverage[section]})`);
  }
  results.loadAverageAtEnd = round(loadavg()[0]!);
  results.totalSeconds = round((performance.now() - started) / 1000);
  writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`\n${table(results)}\n\nTotal runtime ${results.totalSeconds} s on ${results.machine.cpus} CPU(s) (${results.machine.model}), Node ${results.machine.node}; load average (1 min) at start ${results.loadAverageAtStart}, after each section ${Object.entries(results.loadAverage).map(([k, v]) => `${k} ${v}`).join(', ')}. Results in bench/results.json.\n`);
}

main().then(() => process.exit(0), (error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).stack}\n`);
  process.exit(1);
});
