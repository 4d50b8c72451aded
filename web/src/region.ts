import type { Region } from '../../src/protocol/index.js';
import { readString, writeString } from './storage.js';
import { isRegion } from './types.js';

/** Her region: chosen by her (remembered), else the server's default, else US. */
let current: Region = 'US';
const listeners = new Set<(region: Region) => void>();

export function initRegion(serverDefault: Region | undefined): void {
  const saved = readString('region');
  if (isRegion(saved)) {
    current = saved;
  } else if (serverDefault && isRegion(serverDefault)) current = serverDefault;
  for (const fn of listeners) fn(current);
}

/** Before /api/health answers: the saved region if any. */
export function earlyRegion(): Region {
  const saved = readString('region');
  if (isRegion(saved)) {
    current = saved;
  }
  return current;
}

export function getRegion(): Region {
  return current;
}

export function setRegion(region: Region): void {
  writeString('region', region);
  if (region === current) return;
  current = region;
  for (const fn of listeners) fn(region);
}

export function onRegion(fn: (region: Region) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}
