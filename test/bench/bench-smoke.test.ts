import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEchoServer, startMendServer, type RunningServer } from '../../bench/stub-server.js';
import { runSessionsInChild } from '../../bench/load-generator.js';

/** A very small run of the overhead benchmark, so its parts keep working as the app changes. */
describe('the overhead benchmark, in miniature', () => {
  let mend: RunningServer;
  let echo: RunningServer;

  beforeAll(async () => {
    [mend, echo] = await Promise.all([startMendServer({ logLevel: 'silent' }), startEchoServer()]);
  });
  afterAll(async () => {
    await Promise.all([mend?.close(), echo?.close()]);
  });

  it('times every turn of a session on the real app to its first streamed words', async () => {
    const run = await runSessionsInChild({ url: mend.url, sessions: 1, turns: 3, thinkMs: [20, 40] }, 12_000);
    expect(run.errors).toEqual([]);
    expect(run.turnOf).toEqual([1, 2, 3]);
    for (const ms of run.latencies) expect(ms).toBeGreaterThan(0);
  });

  it('times the echo the same way', async () => {
    const run = await runSessionsInChild({ url: echo.url, sessions: 1, turns: 3, thinkMs: [20, 40] }, 12_000);
    expect(run.errors).toEqual([]);
    expect(run.latencies).toHaveLength(3);
  });
});
