import { PassThrough, Writable } from 'node:stream';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runChatCli } from '../../src/cli/chat.js';
import { main } from '../../src/cli/main.js';
import { openDatabase } from '../../src/store/database.js';

function terminal(lines: string[]) {
  const input = new PassThrough();
  let text = '';
  const output = new Writable({ write(chunk, _enc, done) { text += String(chunk); done(); } });
  input.end(lines.map((l) => `${l}\n`).join(''));
  return { input, output, read: () => text };
}

const ENV = { MEND_GUIDED_DELAY_MS: '0', MEND_PROVIDER: 'guided', LOG_LEVEL: 'silent' };

describe('mend chat, the terminal coach', () => {
  it('streams the coach’s reply with the step it used, and /quit ends the session', async () => {
    const t = terminal(['He lied to me about a party on Saturday.', '/quit', 'never sent']);
    const code = await runChatCli({ ...t, env: ENV, args: ['--memory'] });
    expect(code).toBe(0);
    const out = t.read();
    expect(out).toContain('Mend (guided)');
    expect(out).toContain('Mend: ');
    expect(out).toContain('lying and trust');
    expect(out).toMatch(/\(Step \d · [A-Z][^)]+\)/);
    expect(out).not.toContain('never sent');
  });

  it('/memory shows what it remembers and /new starts a fresh conversation with none of it', async () => {
    const t = terminal(['My son Jake is 15 and he swore at me.', '/memory', '/new', '/memory', 'hello']);
    await runChatCli({ ...t, env: ENV, args: ['--memory'] });
    const out = t.read();
    expect(out).toContain('His name: Jake');
    expect(out).toContain('His age: 15');
    expect(out).toContain('Started a new conversation.');
    expect(out.split('Started a new conversation.')[1]).toContain('Nothing yet');
    expect(out).toContain('Tell me about the last argument');
  });

  it('keeps the conversation in the configured database when not run with --memory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mend-cli-'));
    try {
      const path = join(dir, 'mend.db');
      const t = terminal(['He slammed the door on me.']);
      await runChatCli({ ...t, env: { ...ENV, DATABASE_PATH: path }, args: [] });
      const db = openDatabase(path);
      const count = db.prepare('SELECT COUNT(*) AS n FROM messages').get() as { n: number };
      db.close();
      expect(count.n).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a bad setting is reported in one line with exit code 2', async () => {
    const t = terminal([]);
    expect(await runChatCli({ ...t, env: { ...ENV, MEND_PROVIDER: 'nonsense' } })).toBe(2);
    expect(t.read()).toMatch(/^mend: Invalid MEND_PROVIDER/);
  });

  it('mend with no command prints usage; mend screen writes one verdict per JSON line', async () => {
    const t = terminal([]);
    expect(await main([], { ...t, env: ENV })).toBe(0);
    expect(t.read()).toContain('mend chat');
    const s = terminal(['{"text":"he said he wants to kill himself tonight"}', '{"text":"he left wet towels on the floor again"}', 'not json']);
    expect(await main(['screen'], { ...s, env: ENV })).toBe(0);
    const out = s.read().trim().split('\n').map((line) => JSON.parse(line) as { level?: string; error?: string });
    expect(out.map((o) => o.level ?? 'error')).toEqual(['crisis', 'calm', 'error']);
  });
});
