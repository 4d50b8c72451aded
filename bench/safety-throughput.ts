/**
 * Safety screen throughput on the labelled set: messages per second on one core (this
 * process's single JavaScript thread). The screen and the set are a colleague's work in
 * progress, so both are looked up at run time and "not available yet" is a result, not a crash.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { median, round } from './stats.js';

const SCREEN_MODULE = fileURLToPath(new URL('../src/safety/index.ts', import.meta.url));
const LABELLED_SET = fileURLToPath(new URL('../test/safety/labelled.jsonl', import.meta.url));
const WARMUP_MS = 500;
const MEASURE_MS = 2000;

export type SafetyThroughput =
  | {
    available: true; messages: number; screened: number; seconds: number;
    /** Rules and the learned layer, as every message is screened. */
    perSecond: number;
    /** The deterministic rules alone. */
    rulesPerSecond: number;
    worstCase: WorstCase[];
  }
  | { available: false; reason: string };

type Screen = (text: string, options?: { rulesOnly?: boolean }) => unknown;

export interface WorstCase {
  name: string;
  chars: number;
  /** Median and slowest ms to screen it once (rules and learned layer), over WORST_RUNS runs. */
  medianMs: number;
  maxMs: number;
}

/** Messages built to be slow: the longest a frame allows, with nothing a prefilter can skip. */
const WORST_INPUTS: Array<{ name: string; text: string }> = [
  { name: '8,000 characters, no spaces, one letter', text: 'a'.repeat(8000) },
  { name: '8,000 characters, no spaces, words run together', text: 'ihatemylifeandwanttodie'.repeat(350).slice(0, 8000) },
  { name: 'one word 2,000 times ("die")', text: 'die '.repeat(2000) },
  { name: 'one word 2,666 times ("he")', text: 'he '.repeat(2666).trim() },
  { name: 'one line 2,000 times ("sad", one a line)', text: 'sad\n'.repeat(2000) },
  { name: '8,000 apostrophes', text: "'".repeat(8000) },
  { name: 'one contraction 1,333 times ("don\'t")', text: "don't ".repeat(1333) },
  { name: "4,000 letters and apostrophes (a'a'a')", text: "a'".repeat(4000) },
  { name: '8,000 punctuation marks (!?.)', text: '!?.'.repeat(2666) },
  { name: 'one phrase 800 times ("i want to")', text: 'i want to '.repeat(800) },
];
const WORST_RUNS = 30;

function labelledTexts(): string[] {
  return readFileSync(LABELLED_SET, 'utf8').split('\n').filter((line) => line.trim())
    .map((line) => (JSON.parse(line) as { text: string }).text);
}

async function loadScreen(): Promise<Screen | string> {
  if (!existsSync(SCREEN_MODULE)) return 'src/safety/index.ts is not there yet';
  // A computed specifier, so the type-check does not fail while the module is still being written.
  const safety = (await import(pathToFileURL(SCREEN_MODULE).href)) as Record<string, unknown>;
  return typeof safety.screenMessage === 'function' ? (safety.screenMessage as Screen) : 'src/safety/index.ts does not export screenMessage yet';
}

/** Screens the whole set over and over for a fixed time, after a warm-up, and counts. */
function screenFor(screen: Screen, texts: string[], ms: number, rulesOnly = false): { screened: number; seconds: number } {
  let screened = 0;
  const options = rulesOnly ? { rulesOnly } : undefined;
  const started = performance.now();
  while (performance.now() - started < ms) {
    for (const text of texts) screen(text, options);
    screened += texts.length;
  }
  return { screened, seconds: (performance.now() - started) / 1000 };
}

export async function measureSafetyThroughput(): Promise<SafetyThroughput> {
  if (!existsSync(LABELLED_SET)) return { available: false, reason: 'test/safety/labelled.jsonl is not there yet' };
  const screen = await loadScreen();
  if (typeof screen === 'string') return { available: false, reason: screen };
  const texts = labelledTexts();
  if (texts.length === 0) return { available: false, reason: 'the labelled set is empty' };
  if (screen(texts[0]!) instanceof Promise) return { available: false, reason: 'screenMessage returns a promise; this bench expects it to be synchronous' };
  screenFor(screen, texts, WARMUP_MS);
  const { screened, seconds } = screenFor(screen, texts, MEASURE_MS);
  screenFor(screen, texts, WARMUP_MS / 2, true);
  const rules = screenFor(screen, texts, MEASURE_MS, true);
  return {
    available: true, messages: texts.length, screened, seconds: round(seconds), perSecond: Math.round(screened / seconds),
    rulesPerSecond: Math.round(rules.screened / rules.seconds), worstCase: worstCase(screen),
  };
}

function worstCase(screen: Screen): WorstCase[] {
  return WORST_INPUTS.map(({ name, text }) => {
    for (let i = 0; i < 3; i++) screen(text);
    const times: number[] = [];
    for (let i = 0; i < WORST_RUNS; i++) {
      const started = performance.now();
      screen(text);
      times.push(performance.now() - started);
    }
    return { name, chars: text.length, medianMs: round(median(times)), maxMs: round(Math.max(...times)) };
  });
}
