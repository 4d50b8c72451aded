import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';
import { beforeAll, describe, expect, it } from 'vitest';
import { identityCookie, openSocket, startServer, until } from '../helpers/server-process.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = join(ROOT, 'dist', 'main.js');

describe('the compiled build (what npm start runs)', () => {
  beforeAll(() => {
    execFileSync(process.execPath, ['scripts/build-server.mjs', '--if-changed'], { cwd: ROOT, stdio: 'pipe' });
  }, 60_000);

  it('starts from another directory and still finds knowledge, prompts, the safety data and the models', async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'mend-cwd-'));
    const server = await startServer({ DATABASE_PATH: join(elsewhere, 'mend.db'), MEND_PROVIDER: 'guided', MEND_GUIDED_DELAY_MS: '0' }, undefined, { entry: [MAIN], cwd: elsewhere });
    try {
      const cookie = await identityCookie(server.url);
      const { ws, frames } = await openSocket(server.url, cookie);
      ws.send(JSON.stringify({ type: 'send', clientId: 'c1', text: 'We had a huge row about his phone at dinner and he stormed off to his room.' }));
      await until(() => frames.some((f) => f.type === 'reply.end'));
      const end = frames.find((f) => f.type === 'reply.end') as { status: string; text: string; meta: { citations: unknown[]; quickReplies?: unknown[] } };
      expect(end.status).toBe('complete');
      expect(end.text).toMatch(/phone/i);
      expect(end.meta.citations.length).toBeGreaterThan(0);

      ws.send(JSON.stringify({ type: 'send', clientId: 'c2', conversationId: frames.find((f) => f.type === 'ack')!.conversationId, text: 'I want to die.' }));
      await until(() => frames.some((f) => f.type === 'safety'));
      expect(frames.find((f) => f.type === 'safety')).toMatchObject({ level: 'crisis' });
      ws.close();
      const page = await fetch(server.url, { headers: { cookie } });
      expect(page.status).toBe(200);
    } finally {
      server.child.kill('SIGTERM');
      await once(server.child, 'exit');
    }
  });

  it('runs mend screen from the compiled CLI, with the learned layer loaded', () => {
    const run = spawnSync(process.execPath, [join(ROOT, 'bin', 'mend.js'), 'screen'], {
      cwd: mkdtempSync(join(tmpdir(), 'mend-cwd-')), encoding: 'utf8',
      // The second line is one only the learned layer reads as crisis (as in test/safety/cli.test.ts).
      input: `${JSON.stringify({ id: 'a', text: 'how do I get him to tidy his room?' })}\n${JSON.stringify({ id: 'b', text: 'the gun safe is open and the handgun is gone and so is he' })}\n`,
    });
    expect(run.status).toBe(0);
    const [calm, crisis] = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as { level: string; layer: string });
    expect(calm).toMatchObject({ level: 'calm', layer: 'none' });
    expect(crisis).toMatchObject({ level: 'crisis', layer: 'learned' });
  });
});
