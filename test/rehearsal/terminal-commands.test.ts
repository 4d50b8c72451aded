import { describe, expect, it } from 'vitest';
import { rehearsalCommand, speakerLabel } from '../../src/features/rehearse/terminal-commands.js';

describe('rehearsal commands in `mend chat`', () => {
  it('/rehearse starts a rehearsal with the scene as the first send and the settings as options', () => {
    expect(rehearsalCommand('/rehearse 16 Explosive I want to talk about the vape I found')).toEqual({
      kind: 'start', mode: 'rehearse', text: 'I want to talk about the vape I found',
      options: { scene: 'I want to talk about the vape I found', age: 16, temperament: 'explosive' },
    });
  });

  it.each([['/rehearse'], ['/rehearse 16'], ['/rehearse 16 explosive']])('%s without a scene explains the usage', (line) => {
    expect(rehearsalCommand(line)).toMatchObject({ kind: 'error', message: expect.stringMatching(/^Usage: \/rehearse AGE TEMPERAMENT SCENE/) });
  });

  it('maps /rewind, /end, /notes and /draft, and leaves everything else alone', () => {
    expect(rehearsalCommand('/rewind')).toEqual({ kind: 'action', action: 'rehearsal.rewind' });
    expect(rehearsalCommand('/end')).toEqual({ kind: 'action', action: 'rehearsal.end' });
    expect(rehearsalCommand('/notes off')).toMatchObject({ kind: 'options', options: { notes: false } });
    expect(rehearsalCommand('/notes maybe')).toMatchObject({ kind: 'error' });
    expect(rehearsalCommand('/draft You never listen')).toEqual({ kind: 'start', mode: 'draft', text: 'You never listen' });
    expect(rehearsalCommand('/memory')).toBeUndefined();
    expect(rehearsalCommand('He slammed the door')).toBeUndefined();
  });

  it('labels who is speaking', () => {
    expect(['son', 'coach-note', 'debrief', 'coach', undefined].map((v) => speakerLabel(v as never))).toEqual(['Him', 'Coach note', 'Debrief', 'Mend', 'Mend']);
  });
});
