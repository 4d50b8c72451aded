import { byId } from './dom.js';

/**
 * Two live regions outside the transcript: a polite one that reads each finished reply once
 * (never token by token), and an assertive one for errors and connection changes.
 */
let politeTimer: number | undefined;
let politeQueue: string[] = [];

/** Announcements made within one tick are read together, so a quick second one never silences the first. */
export function announce(text: string): void {
  const region = byId('announce-polite');
  window.clearTimeout(politeTimer);
  region.textContent = '';
  if (!politeQueue.includes(text)) politeQueue.push(text);
  // A fresh text node after a tick makes screen readers read it even if it repeats.
  politeTimer = window.setTimeout(() => {
    region.textContent = politeQueue.join(' ');
    politeQueue = [];
  }, 60);
}

let alertTimer: number | undefined;

export function alertNow(text: string): void {
  const region = byId('announce-alert');
  window.clearTimeout(alertTimer);
  region.textContent = '';
  alertTimer = window.setTimeout(() => { region.textContent = text; }, 60);
}
