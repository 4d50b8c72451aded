import type { SafetyLevel } from '../src/protocol/safety.js';

const LEVELS: SafetyLevel[] = ['calm', 'strained', 'high', 'crisis'];
const RANK: Record<SafetyLevel, number> = { calm: 0, strained: 1, high: 2, crisis: 3 };

export interface Scored {
  truth: SafetyLevel;
  said: SafetyLevel;
}

/** The figures the safety issue asks for: recall per level (at least that level), and calm messages raised. */
export function figures(rows: Scored[]) {
  const recall = (level: SafetyLevel) => {
    const of = rows.filter((r) => r.truth === level);
    return { hit: of.filter((r) => RANK[r.said] >= RANK[level]).length, total: of.length };
  };
  const calm = rows.filter((r) => r.truth === 'calm');
  return {
    crisis: recall('crisis'), high: recall('high'), strained: recall('strained'),
    crisisExact: { hit: rows.filter((r) => r.truth === 'crisis' && r.said === 'crisis').length, total: recall('crisis').total },
    calmToHigh: { hit: calm.filter((r) => RANK[r.said] >= 2).length, total: calm.length },
    calmToStrained: { hit: calm.filter((r) => r.said === 'strained').length, total: calm.length },
  };
}

const pct = ({ hit, total }: { hit: number; total: number }) => `${total ? ((100 * hit) / total).toFixed(1) : '-'}% (${hit}/${total})`;

export function levelFigures(rows: Scored[]): string {
  const f = figures(rows);
  return `crisis ${pct(f.crisisExact)}, high+ ${pct(f.high)}, strained+ ${pct(f.strained)}, calm→high/crisis ${pct(f.calmToHigh)}, calm→strained ${pct(f.calmToStrained)}`;
}

export function confusionTable(rows: Scored[]): string {
  const lines = [`  ${'truth \\ said'.padEnd(14)}${LEVELS.map((l) => l.padStart(9)).join('')}`];
  for (const t of LEVELS) {
    lines.push(`  ${t.padEnd(14)}${LEVELS.map((s) => String(rows.filter((r) => r.truth === t && r.said === s).length).padStart(9)).join('')}`);
  }
  return lines.join('\n');
}
