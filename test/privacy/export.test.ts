import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportRoutes } from '../../src/http/routes/export.js';
import { memoryOf } from '../../src/features/memory/index.js';
import { BRIEF_SLOT } from '../../src/features/referral/brief.js';
import type { ConversationStore } from '../../src/store/conversation-store.js';
import { tinyApp, type TinyApp } from './tiny-app.js';
import { ChatClient, createHarness } from '../helpers/harness.js';

let t: TinyApp;
beforeEach(async () => { t = await tinyApp((app, { store, clock }) => exportRoutes(app, { store, clock })); });
afterEach(async () => { await t.close(); });

/** The owner id inside a signed identity cookie (`owner.kind.signature`). */
const ownerOf = (cookie: string) => cookie.split('=')[1]!.split('.')[0]!;
const base = { mode: 'coach' as const, safetyLevel: 'calm' as const, status: 'complete' as const };

function seed(store: ConversationStore, owner: string, advance: (ms: number) => void) {
  const grades = store.createConversation(owner, { title: 'Grades' });
  store.appendMessage(grades.id, { ...base, role: 'user', text: 'He called me a nag.\n# not a heading' });
  store.appendMessage(grades.id, { ...base, role: 'assistant', text: 'That stings. **Step 2 · Listen actively**', meta: { steps: ['listen'] } });
  memoryOf(store, grades.id).correct([{ key: 'son_name', value: 'Jake' }]);
  store.writeSlot(grades.id, BRIEF_SLOT, { markdown: '# Counsellor brief\n\n## What has been happening\nArguments about grades.', createdAt: 0, updatedAt: 0, edited: true });
  advance(60_000);
  const crisis = store.createConversation(owner, { title: 'Late night' });
  store.appendMessage(crisis.id, { ...base, role: 'user', text: 'I cannot do this any more.', safetyLevel: 'crisis' });
  store.appendMessage(crisis.id, { ...base, role: 'safety', text: 'If you are in danger, call 999.', safetyLevel: 'crisis' });
  store.appendMessage(crisis.id, { ...base, role: 'assistant', text: 'I am here with you', status: 'incomplete' });
  return { grades, crisis };
}

const get = (url: string, cookie: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });

describe('exporting her conversations', () => {
  it('downloads everything of hers as JSON, newest first, with messages in order and what Mend remembered', async () => {
    const her = await t.browser();
    const other = await t.browser();
    const { grades, crisis } = seed(t.store, ownerOf(her), t.clock.advance);
    t.store.createConversation(ownerOf(other), { title: 'Someone else' });

    const res = await get('/api/export?format=json', her);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="mend-export-2026-11-25.json"');
    expect(res.headers['cache-control']).toBe('no-store');
    const data = res.json();
    expect(data).toMatchObject({ format: 'mend-export', version: 1, exportedAt: '2026-11-25T09:01:00.000Z' });
    expect(data.conversations.map((c: { id: string }) => c.id)).toEqual([crisis.id, grades.id]);
    expect(data.conversations[1].messages.map((m: { role: string; text: string }) => [m.role, m.text])).toEqual([
      ['user', 'He called me a nag.\n# not a heading'], ['assistant', 'That stings. **Step 2 · Listen actively**'],
    ]);
    expect(data.conversations[1].memory.facts).toEqual([{ label: 'His name', value: 'Jake' }]);
    expect(data.conversations[1].brief).toEqual({ markdown: '# Counsellor brief\n\n## What has been happening\nArguments about grades.', updatedAt: '1970-01-01T00:00:00.000Z' });
    expect(data.conversations[0].brief).toBeNull();
    expect(data.conversations[0].messages[2]).toMatchObject({ role: 'assistant', status: 'incomplete' });
    expect(res.body).not.toContain('Someone else');
  });

  it('defaults to JSON when no format is given', async () => {
    const res = await get('/api/export', await t.browser());
    expect(res.statusCode).toBe(200);
    expect(res.json().conversations).toEqual([]);
  });

  it('downloads a readable Markdown transcript: titles, dates, who said what, safety notices set apart', async () => {
    const her = await t.browser();
    seed(t.store, ownerOf(her), t.clock.advance);
    const res = await get('/api/export?format=markdown', her);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="mend-export-2026-11-25.md"');
    const md = res.body;
    expect(md).toMatch(/^# Your conversations with Mend\n\nExported 25 November 2026, 09:01\. 2 conversations\./);
    expect(md).toContain('## Late night\n\nStarted 25 November 2026, 09:01');
    expect(md).toContain('**You** · 25 Nov 2026, 09:00\n\n> He called me a nag.\n> # not a heading');
    expect(md).toContain('**Mend** · 25 Nov 2026, 09:00\n\nThat stings. **Step 2 · Listen actively**');
    expect(md).toContain('> **Safety notice** · 25 Nov 2026, 09:01\n>\n> If you are in danger, call 999.');
    expect(md).toContain('I am here with you\n\n_(This reply was cut off before it finished.)_');
    expect(md).toContain('- His name: Jake');
    expect(md).toContain('**Your counsellor brief** (last changed 1 January 1970, 00:00):\n\n> # Counsellor brief\n>\n> ## What has been happening');
    expect(md.indexOf('## Late night')).toBeLessThan(md.indexOf('## Grades'));
  });

  it('says so when there is nothing to export', async () => {
    const res = await get('/api/export?format=markdown', await t.browser());
    expect(res.body).toContain('0 conversations');
    expect(res.body).toContain('There were no conversations to export.');
  });

  it.each(['pdf', '', 'JSON'])('refuses format=%s with a clear 400', async (format) => {
    const res = await get(`/api/export?format=${format}`, await t.browser());
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: { code: 'bad_request', message: 'format: format must be json or markdown' } });
  });
});

describe('in the whole app', () => {
  it('exports what she said over the chat socket, and nothing of another browser\'s', async () => {
    const h = await createHarness();
    try {
      const client = await ChatClient.open(h);
      const end = await client.say('He called me a nag and slammed the door.');
      client.close();
      const other = String((await h.app.inject({ method: 'GET', url: '/api/health' })).headers['set-cookie']).split(';')[0]!;
      const mine = await h.app.inject({ method: 'GET', url: '/api/export?format=markdown', headers: { cookie: h.cookie } });
      expect(mine.statusCode).toBe(200);
      expect(mine.headers['content-disposition']).toBe('attachment; filename="mend-export-2026-11-25.md"');
      expect(mine.body).toContain('> He called me a nag and slammed the door.');
      expect(mine.body).toContain(end.text.split('\n')[0]);
      const theirs = await h.app.inject({ method: 'GET', url: '/api/export', headers: { cookie: other } });
      expect(theirs.json().conversations).toEqual([]);
    } finally {
      await h.close();
    }
  });
});
