import { afterEach, describe, expect, it } from 'vitest';
import { marked, type Token, type Tokens } from 'marked';
import { ChatClient, createHarness, type Harness } from '../helpers/harness.js';
import { BRIEF_HEADINGS, NOT_DISCUSSED } from '../../src/features/referral/brief.js';
import { referralChat, type ReplyEnd } from './referral-helpers.js';

let h: Harness;
afterEach(async () => { await h.close(); });

const HER_STORY = [
  'We haven\'t spoken in three weeks and every time I try he walks out.',
  'It started after his dad moved out last year. I tried taking his phone away but it made things worse.',
  'I\'m scared he will drop out of school. I just want us to eat dinner together without a row.',
];

async function conversationWith(messages: string[], mode = 'coach'): Promise<string> {
  h = await createHarness();
  const ends: ReplyEnd[] = await referralChat(h, messages, { mode });
  return ends[0]!.conversationId;
}

const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, cookie = h.cookie) =>
  h.app.inject({ method, url, headers: { cookie }, ...(payload === undefined ? {} : { payload: payload as object }) });

/** Her words, normalised the way the brief may lightly trim them. */
const normalise = (text: string) => text.toLowerCase().replace(/[’]/g, '\'').replace(/[^a-z0-9' ]+/g, ' ').replace(/\s+/g, ' ').trim();

function sectionsOf(markdown: string): Map<string, string[]> {
  const sections = new Map<string, string[]>();
  let current = '';
  for (const token of marked.lexer(markdown)) {
    if (token.type === 'heading' && token.depth === 2) sections.set(current = token.text, []);
    else if (current && token.type === 'list') sections.get(current)!.push(...(token as Tokens.List).items.map((i) => i.text));
    else if (current && token.type === 'paragraph') sections.get(current)!.push(token.text);
  }
  return sections;
}

describe('the counsellor brief, guided mode', () => {
  it('is drafted only when she asks, from her own sentences under the five headings, with nothing invented', async () => {
    const id = await conversationWith(HER_STORY);
    expect((await call('GET', `/api/conversations/${id}/brief`)).statusCode).toBe(404);

    const drafted = await call('POST', `/api/conversations/${id}/brief`);
    expect(drafted.statusCode).toBe(201);
    const { brief } = drafted.json() as { brief: { markdown: string; createdAt: number; edited: boolean } };
    expect(brief.edited).toBe(false);
    const sections = sectionsOf(brief.markdown);
    expect([...sections.keys()]).toEqual([...BRIEF_HEADINGS]);
    expect(sections.get('How long')).toEqual(['We haven\'t spoken in three weeks.', 'It started after his dad moved out last year.']);
    expect(sections.get('What has been happening')).toEqual(['Every time I try he walks out.']);
    expect(sections.get('What I have tried')).toEqual(['I tried taking his phone away but it made things worse.']);
    expect(sections.get('What worries me most')).toEqual(['I\'m scared he will drop out of school.']);
    expect(sections.get('What I hope for')).toEqual(['I just want us to eat dinner together without a row.']);

    const hers = normalise(HER_STORY.join(' '));
    for (const item of [...sections.values()].flat()) expect(hers).toContain(normalise(item));
  });

  it('leaves a heading she has not talked about for her to fill in instead of guessing', async () => {
    const id = await conversationWith(['He slams his door every night when I ask about homework.']);
    const { brief } = (await call('POST', `/api/conversations/${id}/brief`)).json() as { brief: { markdown: string } };
    const sections = sectionsOf(brief.markdown);
    expect(sections.get('What has been happening')).toEqual(['He slams his door every night when I ask about homework.']);
    for (const heading of ['How long', 'What I have tried', 'What worries me most', 'What I hope for']) {
      expect(sections.get(heading)).toEqual([NOT_DISCUSSED]);
    }
  });

  it('keeps what she types as text: no headings, HTML or links sneak in from her words', async () => {
    const id = await conversationWith(['# He wrote <script>alert(1)</script> on my [mirror](http://x.test) and *laughed* about it']);
    const { brief } = (await call('POST', `/api/conversations/${id}/brief`)).json() as { brief: { markdown: string } };
    const tokens = marked.lexer(brief.markdown);
    const all = (list: Token[]): Token[] => list.flatMap((t) => [t, ...all(('tokens' in t && t.tokens) || []), ...all(('items' in t && (t as Tokens.List).items) || [])]);
    expect(all(tokens).filter((t) => t.type === 'heading')).toHaveLength(1 + BRIEF_HEADINGS.length);
    const lists = tokens.filter((t): t is Tokens.List => t.type === 'list');
    expect(all(lists).some((t) => t.type === 'html' || t.type === 'link' || t.type === 'em')).toBe(false);
    expect(marked.parse(brief.markdown)).toContain('<li># He wrote &lt;script&gt;alert(1)&lt;/script&gt; on my [mirror](http://x.test) and *laughed* about it.</li>');
  });

  it('downloads as a well-formed Markdown attachment', async () => {
    const id = await conversationWith(HER_STORY);
    await call('POST', `/api/conversations/${id}/brief`);
    const download = await call('GET', `/api/conversations/${id}/brief.md`);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(download.headers['content-disposition']).toBe('attachment; filename="mend-counsellor-brief.md"');
    const body = download.body;
    expect(body.endsWith('\n')).toBe(true);
    const tokens = marked.lexer(body);
    const headings = tokens.filter((t): t is Tokens.Heading => t.type === 'heading');
    expect(headings.map((t) => [t.depth, t.text])).toEqual([[1, 'Counsellor brief'], ...BRIEF_HEADINGS.map((t) => [2, t])]);
    expect(body).toContain('Drafted with Mend on 25 November 2026');
    expect(tokens.filter((t) => t.type === 'list').length).toBe(BRIEF_HEADINGS.length);
  });

  it('saves her edits, marks them as hers, and lets her delete the brief', async () => {
    const id = await conversationWith(HER_STORY);
    const { brief: drafted } = (await call('POST', `/api/conversations/${id}/brief`)).json() as { brief: { markdown: string; createdAt: number } };
    const mine = drafted.markdown.replace('- Every time I try he walks out.', '- Every time I try he walks out, and his sister cries.');
    const saved = await call('PUT', `/api/conversations/${id}/brief`, { markdown: mine });
    expect(saved.statusCode).toBe(200);
    expect(saved.json().brief).toMatchObject({ edited: true, createdAt: drafted.createdAt });
    expect((await call('GET', `/api/conversations/${id}/brief`)).json().brief.markdown).toContain('his sister cries');
    expect((await call('GET', `/api/conversations/${id}/brief.md`)).body).toContain('his sister cries');

    expect((await call('DELETE', `/api/conversations/${id}/brief`)).statusCode).toBe(204);
    expect((await call('GET', `/api/conversations/${id}/brief`)).statusCode).toBe(404);
    expect((await call('GET', `/api/conversations/${id}/brief.md`)).statusCode).toBe(404);
  });

  it('rejects an edit that is empty or longer than 20,000 characters, keeping the saved brief', async () => {
    const id = await conversationWith(HER_STORY);
    await call('POST', `/api/conversations/${id}/brief`);
    const tooLong = await call('PUT', `/api/conversations/${id}/brief`, { markdown: 'a'.repeat(20_001) });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error).toMatchObject({ code: 'bad_request', message: 'markdown: markdown is longer than 20000 characters' });
    expect((await call('PUT', `/api/conversations/${id}/brief`, { markdown: '   ' })).statusCode).toBe(400);
    expect((await call('PUT', `/api/conversations/${id}/brief`, { text: 'x' })).statusCode).toBe(400);
    expect((await call('GET', `/api/conversations/${id}/brief`)).json().brief.edited).toBe(false);
  });

  it('belongs to her browser only, and her words never reach the logs', async () => {
    const id = await conversationWith(HER_STORY);
    await call('POST', `/api/conversations/${id}/brief`);
    const stranger = String((await h.app.inject({ method: 'GET', url: '/api/health' })).headers['set-cookie']).split(';')[0]!;
    for (const [method, url] of [['GET', 'brief'], ['GET', 'brief.md'], ['POST', 'brief'], ['DELETE', 'brief']] as const) {
      const response = await call(method, `/api/conversations/${id}/${url}`, undefined, stranger);
      expect(response.statusCode).toBe(404);
    }
    expect((await call('PUT', `/api/conversations/${id}/brief`, { markdown: 'mine now' }, stranger)).statusCode).toBe(404);
    expect((await call('GET', `/api/conversations/${id}/brief`)).json().brief.edited).toBe(false);
    expect(h.logs.join('\n')).not.toMatch(/walks out|dinner together|drop out of school/);
  });

  it('leaves out lines she rehearsed for him: only her own account goes in', async () => {
    h = await createHarness();
    const client = await ChatClient.open(h);
    const first = await client.say('He has been skipping school for two months.');
    const rehearse = { conversationId: first.conversationId, mode: 'rehearse' };
    await client.say('I want to tell him I miss him', { ...rehearse, options: { scene: 'I want to tell him I miss him', age: 15, temperament: 'withdrawn' } });
    await client.say('I really love you and I miss our talks, can we try again', rehearse);
    client.close();
    const { brief } = (await call('POST', `/api/conversations/${first.conversationId}/brief`)).json() as { brief: { markdown: string } };
    expect(brief.markdown).toContain('He has been skipping school for two months.');
    expect(brief.markdown).not.toContain('miss our talks');
  });
});
