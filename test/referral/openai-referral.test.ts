import { afterEach, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { createHarness, type Harness } from '../helpers/harness.js';
import { COMPLETIONS, mockServer, sseResponse, testModel, useModelMock } from '../helpers/openai-mock.js';
import { BRIEF_HEADINGS, NOT_DISCUSSED } from '../../src/features/referral/brief.js';
import { levelGate, referralChat, THREE_WEEKS } from './referral-helpers.js';

useModelMock();

let h: Harness | undefined;
afterEach(async () => { await h?.close(); h = undefined; });

type Body = { messages: Array<{ role: string; content: string }>; max_tokens?: number };
const isBrief = (body: Body) => body.messages[0]!.content.includes('prepare for a first appointment');

const MODEL_REPLY = 'A family therapist could help you both. Would you like me to draft a one-page summary you can bring?';
const MODEL_BRIEF = [
  '## What has been happening', '- Every time I try he walks out.', '',
  '## How long', '- We haven\'t spoken in three weeks.', '',
  '## What I have tried', NOT_DISCUSSED, '',
  '## What worries me most', NOT_DISCUSSED, '',
  '## What I hope for', NOT_DISCUSSED,
].join('\n');

/** Answers brief requests with `brief` (or a failure) and referral requests with a short reply; records both. */
function recordingModel(seen: { referral: Body[]; brief: Body[] }, brief: string | number = MODEL_BRIEF) {
  return http.post(COMPLETIONS, async ({ request }) => {
    const body = await request.json() as Body;
    if (isBrief(body)) {
      seen.brief.push(body);
      return typeof brief === 'number' ? HttpResponse.json({ error: { message: 'no' } }, { status: brief }) : sseResponse([brief]);
    }
    seen.referral.push(body);
    return sseResponse([MODEL_REPLY]);
  });
}

const gate = levelGate({
  'three weeks': { level: 'strained', atRisk: ['relationship'] },
  shoved: { level: 'high', atRisk: ['mother-safety'] },
});

async function start(): Promise<Harness> {
  h = await createHarness({ deps: { model: testModel(), safety: gate } });
  return h;
}

describe('Find help with an OpenAI-compatible model', () => {
  it('sends the referral prompt with the fitting kind, her words, the region\'s directories and the brief offer; her message last', async () => {
    const seen = { referral: [] as Body[], brief: [] as Body[] };
    mockServer.use(recordingModel(seen));
    const [end] = await referralChat(await start(), [THREE_WEEKS], { region: 'US' });
    expect(end!.text).toBe(MODEL_REPLY);
    expect(end!.meta.citations.map((c) => c.id)).toContain('kinds-of-help#family-therapist');
    const [system, ...rest] = seen.referral[0]!.messages;
    expect(system!.role).toBe('system');
    expect(system!.content).toContain('Never invent or guess a phone number');
    expect(system!.content).toContain('Talks between them are breaking down');
    expect(system!.content).toContain('**A family therapist** (she said: "we haven\'t spoken in three weeks and every time I try he walks out")');
    expect(system!.content).toContain('### Finding help in the US');
    expect(system!.content).toContain('**Psychology Today therapist finder**');
    expect(system!.content).toContain('"Would you like me to draft a one-page summary you can bring?"');
    expect(system!.content).not.toMatch(/\{\{|\}\}/);
    expect(rest.at(-1)).toEqual({ role: 'user', content: THREE_WEEKS });
    expect(seen.brief).toHaveLength(0);
  });

  it('at high, tells the model to open with calling the fitting line this week', async () => {
    const seen = { referral: [] as Body[], brief: [] as Body[] };
    mockServer.use(recordingModel(seen));
    await referralChat(await start(), ['He shoved me into the door and I am scared of him. Should we see someone?'], { region: 'US' });
    const system = seen.referral[0]!.messages[0]!.content;
    expect(system).toContain('The safety level is **high**');
    expect(system).toMatch(/call someone this week.*\*\*National Domestic Violence Hotline\*\*: call 1-800-799-7233/);
    expect(system).toContain('911 (Emergency services)');
    expect(system).not.toContain('Talks between them are breaking down');
  });

  it('on her "yes", drafts the brief with the model before replying, and the reply says it is ready', async () => {
    const seen = { referral: [] as Body[], brief: [] as Body[] };
    mockServer.use(recordingModel(seen));
    const [, yes] = await referralChat(await start(), [THREE_WEEKS, 'yes please'], { region: 'US' });
    expect(seen.brief).toHaveLength(1);
    expect(seen.referral[1]!.messages[0]!.content).toContain('She has just agreed to a counsellor brief');
    expect(yes!.meta).toMatchObject({ referral: { brief: 'drafted' } });
    const saved = await h!.app.inject({ method: 'GET', url: `/api/conversations/${yes!.conversationId}/brief`, headers: { cookie: h!.cookie } });
    expect(saved.json().brief.markdown).toContain(MODEL_BRIEF);
  });

  it('answers from the guided flow when the model fails, and says so', async () => {
    mockServer.use(http.post(COMPLETIONS, () => HttpResponse.json({ error: { message: 'down' } }, { status: 500 })));
    const [end] = await referralChat(await start(), [THREE_WEEKS], { region: 'UK' });
    expect(end!.meta.fallback).toBe(true);
    expect(end!.text).toContain('**A family therapist.**');
    expect(end!.text).toContain('Where to start in the UK');
  });
});

describe('the counsellor brief with an OpenAI-compatible model', () => {
  const draft = async (brief: string | number) => {
    const seen = { referral: [] as Body[], brief: [] as Body[] };
    mockServer.use(recordingModel(seen, brief));
    const [end] = await referralChat(await start(), [THREE_WEEKS], { region: 'US' });
    const response = await h!.app.inject({ method: 'POST', url: `/api/conversations/${end!.conversationId}/brief`, headers: { cookie: h!.cookie } });
    return { seen, response, markdown: (response.json() as { brief: { markdown: string } }).brief.markdown };
  };

  it('asks the model with the five headings and only her messages, and keeps its sections under our title', async () => {
    const { seen, response, markdown } = await draft(MODEL_BRIEF);
    expect(response.statusCode).toBe(201);
    const [system, user] = seen.brief[0]!.messages;
    for (const heading of BRIEF_HEADINGS) expect(system!.content).toContain(`## ${heading}`);
    expect(system!.content).toContain('never add a detail');
    expect(user).toEqual({ role: 'user', content: `My messages, oldest first:\n\n1. ${THREE_WEEKS}` });
    expect(JSON.stringify(seen.brief[0])).not.toContain(MODEL_REPLY);
    expect(markdown).toMatch(/^# Counsellor brief\n\n_In my own words/);
    expect(markdown).toContain(MODEL_BRIEF);
  });

  it('falls back to her own sentences when the model leaves out a section', async () => {
    const { markdown } = await draft('## What has been happening\n- He is lazy and has ADHD.');
    expect(markdown).not.toContain('ADHD');
    expect(markdown).toContain('- We haven\'t spoken in three weeks.');
    expect(markdown).toContain(`## What I hope for\n\n${NOT_DISCUSSED}`);
  });

  it('falls back to her own sentences when the model fails', async () => {
    const { response, markdown } = await draft(503);
    expect(response.statusCode).toBe(201);
    expect(markdown).toContain('- Every time I try he walks out.');
  });
});
