import { cpus } from 'node:os';
import { readFileSync } from 'node:fs';

/** Milliseconds of CPU the whole machine has been busy (all cores, all processes); undefined off Linux. */
export function machineBusyMs(): number | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) * 10; // USER_HZ is 100
  } catch {
    return undefined;
  }
}

export const CORES = cpus().length;
