import type { HelpResource, Region } from '../../src/protocol/index.js';

declare global {
  /** Help lines per region, read from knowledge/safety/resources.json at build time. */
  const __MEND_HELP_LINES__: Partial<Record<Region, HelpResource[]>> | null;
  /** The seven steps' cards (title, summary, Markdown), read from knowledge/steps at build time. */
  const __MEND_STEPS__: Array<{ id: string; step: number; title: string; summary: string; markdown?: string }>;
  const __MEND_BUILD__: string;

  interface Window {
    /** Test hook: the live chat WebSocket (browser tests close it to simulate a dropped connection). */
    __mendSocket?: WebSocket | null;
    __xss?: unknown;
  }
}

export {};
