/** Injected so tests control time (retention, timestamps) without fake timers. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
