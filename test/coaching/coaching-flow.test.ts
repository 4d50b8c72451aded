import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKnowledgeDocuments } from '../../src/knowledge/knowledge-base.js';
import { FLOW_PATH, loadCoachingFlow } from '../../src/features/coach/coaching-flow.js';
import { CoachKnowledge } from '../../src/features/coach/coach-knowledge.js';

const documents = loadKnowledgeDocuments();
const shipped = JSON.parse(readFileSync(FLOW_PATH, 'utf8')) as Record<string, any>;

function withChange(change: (flow: Record<string, any>) => void): string {
  const flow = structuredClone(shipped);
  change(flow);
  const path = join(mkdtempSync(join(tmpdir(), 'mend-flow-')), 'flow.json');
  writeFileSync(path, JSON.stringify(flow));
  return path;
}

describe('the coaching flow is data, checked at start-up', () => {
  it('the shipped flow loads, and every intent the classifier knows has an entry', () => {
    const flow = loadCoachingFlow(documents);
    expect([...flow.intents.keys()].sort()).toEqual(['check', 'close', 'greet', 'help', 'limit', 'plan', 'question', 'rehearse', 'repair', 'understand', 'vent']);
    expect(flow.offers.deepen).toBe('alternate');
  });

  it.each([
    ['a step that does not exist', (f: any) => { f.intents.limit.steps.shout = 1; }, /intents\.limit\.steps: "shout" is not one of the seven steps/],
    ['a page that does not exist', (f: any) => { f.signals.refuses.pages['no-such-page'] = 1; }, /signals\.refuses\.pages: "no-such-page" is not a page in knowledge/],
    ['an unknown signal', (f: any) => { f.signals.sheCried = { steps: {} }; }, /signals\.sheCried: "sheCried" is not a known signal/],
    ['an unknown intent', (f: any) => { f.intents.scold = { steps: {} }; }, /intents\.scold: "scold" is not a known intent/],
    ['an unknown fact', (f: any) => { f.stages.gather.needs.push(['shoe_size']); }, /stages\.gather\.needs: "shoe_size" is not a fact Mend keeps/],
    ['an unknown offer', (f: any) => { f.stages.plan.offer = 'lecture'; }, /stages\.plan\.offer/],
    ['a missing stage', (f: any) => { delete f.stages.deepen; }, /stages\.deepen/],
  ])('%s stops start-up with the file and the place named', (_what, change, message) => {
    const path = withChange(change);
    expect(() => new CoachKnowledge(documents, path)).toThrow(message);
    expect(() => new CoachKnowledge(documents, path)).toThrow(path);
  });
});
