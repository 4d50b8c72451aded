import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ROOT } from './server.js';

/** Builds the page and the server once before the browser tests: they run what `npm start` runs. */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build-web.mjs'], { cwd: ROOT, stdio: 'inherit' });
  execFileSync(process.execPath, ['scripts/build-server.mjs'], { cwd: ROOT, stdio: 'inherit' });
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) throw new Error(`Chromium is not installed at ${chromium} (apt-get install chromium)`);
}
