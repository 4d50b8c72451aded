import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ROOT } from './server.js';

/** Builds the page once before the browser tests (the server serves web/dist). */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build-web.mjs'], { cwd: ROOT, stdio: 'inherit' });
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) throw new Error(`Chromium is not installed at ${chromium} (apt-get install chromium)`);
}
