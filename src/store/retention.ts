import type { Clock } from '../clock.js';
import type { Db } from './database.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The part of a pino/Fastify logger retention needs; it only ever logs counts. */
export interface RetentionLog {
  info(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
}

/**
 * Deletes conversations with no activity for more than `days` days, with their messages and
 * state (the messages table cascades). Returns how many conversations went.
 */
export function purgeExpired(db: Db, clock: Clock, days: number): number {
  if (!Number.isFinite(days) || days <= 0) throw new RangeError(`retention needs a positive number of days, not ${days}`);
  const cutoff = clock.now() - days * DAY_MS;
  // Her plans and small wins follow the same limit, counted from when she last changed them.
  db.prepare('DELETE FROM owner_state WHERE updated_at < ?').run(cutoff);
  return db.prepare('DELETE FROM conversations WHERE updated_at < ?').run(cutoff).changes;
}

export interface RetentionOptions {
  db: Db;
  clock: Clock;
  /** MEND_RETENTION_DAYS; 0 or unset keeps conversations until she deletes them. */
  days: number | undefined;
  /** How often to look again; hourly is plenty for a limit counted in days. */
  intervalMs?: number;
  log: RetentionLog;
}

/**
 * Purges at once and then every `intervalMs`. The timer is unref'd so it never keeps the
 * process alive; the returned function stops it. A failed purge (busy or full disk) is
 * logged and tried again next time: it deletes in one statement, so nothing is half-done.
 */
export function startRetention(options: RetentionOptions): () => void {
  const { db, clock, days, log } = options;
  if (!days || days <= 0) return () => undefined;
  const run = () => {
    try {
      const removed = purgeExpired(db, clock, days);
      if (removed > 0) log.info({ removed, days }, 'removed conversations older than the retention limit');
    } catch (error) {
      log.error({ err: { name: (error as Error).name, code: (error as { code?: string }).code } }, 'retention purge failed; will retry');
    }
  };
  run();
  const timer = setInterval(run, options.intervalMs ?? 60 * 60 * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
