/**
 * Reads a V8 CPU profile (from `BENCH_PROFILE=1 npm run bench`) and prints where the time
 * went: the top functions by self time, and the top by total time (self plus callees).
 *
 *   npx tsx bench/profile-top.ts /tmp/mend-bench-profiles/mend/<file>.cpuprofile [how many, default 25]
 *
 * Each server folder holds one profile per thread; the largest file is the app's main thread.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const LABEL_MAX = 140;

function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url ? `${relative(process.cwd(), url.replace('file://', ''))}:${lineNumber + 1}` : '';
  return `${functionName || '(anonymous)'} ${where}`.trim();
}

/** Self time per node id, in microseconds. */
function selfTimes(profile: Profile): Map<number, number> {
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  return self;
}

/** Total time per function label: a function's time counted once per sample even when it recurses. */
function totalTimes(profile: Profile, self: Map<number, number>): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  const walk = (id: number, above: Set<string>) => {
    const node = byId.get(id)!;
    const name = label(node);
    const here = new Set(above).add(name);
    const time = self.get(id) ?? 0;
    for (const n of here) totals.set(n, (totals.get(n) ?? 0) + time);
    for (const child of node.children ?? []) walk(child, here);
  };
  walk(profile.nodes[0]!.id, new Set());
  return totals;
}

/** Compiled regular expressions are named by their whole source, which can run to pages. */
function shorten(name: string): string {
  return name.length > LABEL_MAX ? `${name.slice(0, LABEL_MAX - 1)}…` : name;
}

function top(entries: Map<string, number>, count: number, whole: number): string[] {
  return [...entries].sort((a, b) => b[1] - a[1]).slice(0, count)
    .map(([name, us]) => `${(us / 1000).toFixed(0).padStart(7)} ms ${((us / whole) * 100).toFixed(1).padStart(5)}%  ${shorten(name)}`);
}

const [file, many] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: tsx bench/profile-top.ts <file.cpuprofile> [count]\n');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const count = Number(many ?? 25);
const self = selfTimes(profile);
const whole = [...self.values()].reduce((a, b) => a + b, 0);
const byName = new Map<string, number>();
for (const node of profile.nodes) byName.set(label(node), (byName.get(label(node)) ?? 0) + (self.get(node.id) ?? 0));
process.stdout.write(`${(whole / 1000).toFixed(0)} ms sampled\n\nBy self time:\n${top(byName, count, whole).join('\n')}\n\n`);
process.stdout.write(`By total time:\n${top(totalTimes(profile, self), count, whole).join('\n')}\n`);
