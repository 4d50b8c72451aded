import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';
import { loadKnowledgeDocuments } from '../../src/knowledge/knowledge-base.js';
import { KIND_IDS } from '../../src/features/referral/kinds.js';
import { REFERRAL_DOCS, ReferralKnowledge } from '../../src/features/referral/referral-knowledge.js';

/**
 * The referral replies quote knowledge/referral by page and heading. If a page or heading
 * is renamed, the replies would silently lose a part; these tests say which one.
 */
describe('knowledge/referral has every part the referral flow quotes', () => {
  const knowledge = new ReferralKnowledge(loadKnowledgeDocuments());

  it.each(KIND_IDS)('kinds-of-help.md has a section for %s', (kind) => {
    expect(knowledge.kind(kind)?.text.length).toBeGreaterThan(40);
  });

  it.each([
    [REFERRAL_DOCS.finding, 'Places to start'],
    [REFERRAL_DOCS.finding, 'Keeping the cost down'],
    [REFERRAL_DOCS.firstCall, 'Questions worth asking'],
    [REFERRAL_DOCS.inviting, 'Phrases you can use'],
    [REFERRAL_DOCS.refuses, 'Phrases you can use'],
    [REFERRAL_DOCS.refuses, 'Go on your own first'],
    [REFERRAL_DOCS.bring, 'Your worries'],
    [REFERRAL_DOCS.urgent, 'Call emergency services now'],
  ])('%s.md has "%s" with content', (doc, heading) => {
    expect(knowledge.bullets(doc, heading).length).toBeGreaterThan(0);
  });
});

describe('GET /api/referral: the Find help view without a conversation', () => {
  let h: Harness;
  afterEach(async () => { await h.close(); });

  it('lists the kinds of help, how to find them in her region, emergency numbers and the guides', async () => {
    h = await createHarness();
    const response = await h.app.inject({ method: 'GET', url: '/api/referral?region=uk', headers: { cookie: h.cookie } });
    expect(response.statusCode).toBe(200);
    const body = response.json() as {
      region: string; where: string;
      kinds: Array<{ id: string; name: string; markdown: string; resources: Array<{ name: string }> }>;
      finding: { healthRoute: string; resources: Array<{ name: string }> };
      emergency: Array<{ phone: string }>;
      guides: Array<{ id: string; title: string; markdown: string }>;
    };
    expect(body.region).toBe('UK');
    expect(body.where).toBe('in the UK');
    // An ordinary search: everyday help first, domestic-abuse and drug services last (all of them listed).
    expect(body.kinds.map((k) => k.id)).toEqual(['family-therapist', 'adolescent-psychologist', 'school-counsellor', 'family-doctor', 'adolescent-psychiatrist', 'substance-use', 'domestic-violence']);
    expect([...body.kinds.map((k) => k.id)].sort()).toEqual([...KIND_IDS].sort());
    expect(body.kinds.find((k) => k.id === 'family-doctor')!.name).toBe('Your GP');
    expect(body.kinds.find((k) => k.id === 'family-therapist')!.resources.map((r) => r.name)).toEqual(['NHS urgent mental health help']);
    expect(body.finding.healthRoute).toMatch(/NHS/);
    expect(body.emergency.map((e) => e.phone)).toEqual(['999']);
    expect(body.guides.map((g) => g.id)).toEqual(['finding-someone', 'first-call', 'inviting-your-son', 'if-he-refuses', 'what-to-bring', 'when-it-is-urgent']);
  });

  it.each([
    ['uk', { 'domestic-violence': 'Domestic abuse services', 'substance-use': 'Drug and alcohol services for young people', 'school-counsellor': 'His school’s pastoral team or counsellor' }],
    ['us', { 'domestic-violence': 'Domestic-violence services', 'substance-use': 'Substance-use services for young people', 'school-counsellor': 'His school counselor' }],
  ] as const)('calls each kind of help what it is called in the %s', async (region, names) => {
    h = await createHarness();
    const body = (await h.app.inject({ method: 'GET', url: `/api/referral?region=${region}`, headers: { cookie: h.cookie } })).json() as { kinds: Array<{ id: string; name: string }> };
    for (const [id, name] of Object.entries(names)) expect(body.kinds.find((k) => k.id === id)!.name).toBe(name);
  });

  it('uses the configured region by default and rejects an unknown one', async () => {
    h = await createHarness();
    expect((await h.app.inject({ method: 'GET', url: '/api/referral' })).json().region).toBe('US');
    const bad = await h.app.inject({ method: 'GET', url: '/api/referral?region=FR' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('bad_request');
  });
});
