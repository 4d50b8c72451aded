import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runScreenCli } from '../../src/safety/index.js';

async function runLines(lines: string[]) {
  const input = new PassThrough();
  const output = new PassThrough();
  const chunks: string[] = [];
  output.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
  const done = runScreenCli(input, output);
  input.end(lines.join('\n') + '\n');
  const result = await done;
  output.end();
  const out = chunks.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  return { result, out };
}

describe('runScreenCli', () => {
  it('passes every input field through and says which layer set the level', async () => {
    const { out } = await runLines([
      JSON.stringify({ id: 'a1', label: 'crisis', text: 'the gun safe is open and the handgun is gone and so is he' }),
      JSON.stringify({ id: 'a2', text: 'how do I get him to tidy his room?' }),
      JSON.stringify({ id: 'a3', text: 42 }),
    ]);
    expect(out[0]).toMatchObject({ id: 'a1', label: 'crisis', level: 'crisis', layer: 'learned' });
    expect(out[1]).toMatchObject({ id: 'a2', level: 'calm', layer: 'none' });
    expect(out[2]).toMatchObject({ id: 'a3', line: 3 });
  });

  it('writes one JSON line per input line, and carries on past malformed lines', async () => {
    const { result, out } = await runLines([
      JSON.stringify({ text: 'He said he wants to kill himself', region: 'UK' }),
      '{ not json',
      JSON.stringify({ text: 'how do I get him to tidy his room?' }),
      JSON.stringify({ nope: 1 }),
      '',
      JSON.stringify({ text: 'He pushed me last night', region: 'mars' }),
      JSON.stringify({ text: 'He pushed me last night', region: 'us' }),
      '[1,2]',
    ]);
    expect(result).toEqual({ lines: 7, errors: 4 });
    expect(out).toHaveLength(7);
    expect(out[0]).toMatchObject({ level: 'crisis', atRisk: ['son-self-harm'] });
    expect(Array.isArray(out[0]!.reasons)).toBe(true);
    expect(Object.keys(out[0]!).sort()).toEqual(['atRisk', 'layer', 'level', 'reasons', 'region']);
    expect(out[0]!.layer).toBe('rules');
    expect(out[1]).toMatchObject({ line: 2 });
    expect(String(out[1]!.error)).toMatch(/invalid JSON/);
    expect(out[2]).toMatchObject({ level: 'calm', atRisk: [] });
    expect(out[3]).toMatchObject({ line: 4, error: 'missing "text" (a string)' });
    expect(out[4]).toMatchObject({ line: 6 });
    expect(String(out[4]!.error)).toMatch(/region/);
    expect(out[5]).toMatchObject({ level: 'high', atRisk: ['mother-safety'] });
    expect(out[6]).toMatchObject({ line: 8, error: 'expected a JSON object' });
  });

  it('screens thousands of lines a second', async () => {
    const samples = [
      'He slammed his door again because I asked him to empty the dishwasher.',
      "We can't have a single conversation without it turning into a screaming match.",
      'I found weed in his room and he smells of it most evenings.',
      'I could kill him when he leaves wet towels on the floor',
      "he's been giving his things away and said goodbye to his gran in a weird way",
    ];
    const lines = Array.from({ length: 5000 }, (_, i) => JSON.stringify({ text: `${samples[i % samples.length]} (${i})`, region: 'US' }));
    // CPU time, not the clock: other work on a shared two-core machine must not fail this.
    const start = process.cpuUsage();
    const { result, out } = await runLines(lines);
    const used = process.cpuUsage(start);
    const seconds = (used.user + used.system) / 1e6;
    const perSecond = 5000 / seconds;
    console.log(`mend screen: ${Math.round(perSecond)} lines/second`);
    expect(result).toEqual({ lines: 5000, errors: 0 });
    expect(out).toHaveLength(5000);
    expect(perSecond).toBeGreaterThan(2000);
  });
});
