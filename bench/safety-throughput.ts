/**
 * Safety screen throughput on the labelled set: messages per second on one core (this
 * process's single JavaScript thread). The screen and the set are a colleague's work in
 * progress, so both are looked up at run time and "not available yet" is a result, not a crash.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { round } from './stats.js';

const SCREEN_MODULE = fileURLToPath(new URL('../src/safety/index.ts', import.meta.url));
const LABELLED_SET = fileURLToPath(new URL('../test/safety/labelled.jsonl', import.meta.url));
const WARMUP_MS = 500;
const MEASURE_MS = 2000;

export type SafetyThroughput =
  | { available: true; messages: number; screened: number; seconds: number; perSecond: number }
  | { available: false; reason: string };

type Screen = (text: string) => unknown;

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
function screenFor(screen: Screen, texts: string[], ms: number): { screened: number; seconds: number } {
  let screened = 0;
  const started = performance.now();
  while (performance.now() - started < ms) {
    for (const text of texts) screen(text);
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
  return { available: true, messages: texts.length, screened, seconds: round(seconds), perSecond: Math.round(screened / seconds) };
}
