import type { ChatMode, ReplyMeta } from '../../protocol/frames.js';
import { MAX_AGE, MIN_AGE, TEMPERAMENTS } from './state.js';

/**
 * Rehearsal and the draft check from `mend chat`: what each slash command asks the terminal
 * session to do. The session owns the socket; this only reads her command.
 */
export type TerminalCommand =
  /** Start a new conversation in `mode` with this first send. */
  | { kind: 'start'; mode: ChatMode; text: string; options?: Record<string, unknown> }
  | { kind: 'action'; action: 'rehearsal.end' | 'rehearsal.rewind' }
  /** Send this with her next line (notes on or off). */
  | { kind: 'options'; options: Record<string, unknown>; message: string }
  | { kind: 'error'; message: string };

export const REHEARSAL_HELP = [
  `/rehearse AGE TEMPERAMENT SCENE  practise a talk: Mend plays your son (age ${MIN_AGE}-${MAX_AGE}; ${TEMPERAMENTS.join(', ')})`,
  '/rewind  take back your last line    /end  end the rehearsal with a debrief    /notes on|off  coach notes',
  '/draft MESSAGE  check a message before you say or send it',
].join('\n');

/** The command in her line, or undefined when the line is not one of these commands. */
export function rehearsalCommand(line: string): TerminalCommand | undefined {
  const [command, ...rest] = line.trim().split(/\s+/);
  switch (command) {
    case '/rehearse': return rehearse(rest);
    case '/rewind': return { kind: 'action', action: 'rehearsal.rewind' };
    case '/end': return { kind: 'action', action: 'rehearsal.end' };
    case '/notes': return notes(rest[0]);
    case '/draft': return rest.length ? { kind: 'start', mode: 'draft', text: rest.join(' ') } : { kind: 'error', message: 'Usage: /draft MESSAGE' };
    default: return undefined;
  }
}

function rehearse([age, temperament, ...scene]: string[]): TerminalCommand {
  const usage = `Usage: /rehearse AGE TEMPERAMENT SCENE, for example: /rehearse 16 explosive I want to talk about the vape I found`;
  if (!age || !temperament || scene.length === 0) return { kind: 'error', message: usage };
  const text = scene.join(' ');
  return { kind: 'start', mode: 'rehearse', text, options: { scene: text, age: Number(age), temperament: temperament.toLowerCase() } };
}

function notes(value: string | undefined): TerminalCommand {
  if (value !== 'on' && value !== 'off') return { kind: 'error', message: 'Usage: /notes on, or /notes off' };
  return { kind: 'options', options: { notes: value === 'on' }, message: `Coach notes ${value} from your next line.` };
}

/** Who is speaking, for the terminal's line prefix. */
export function speakerLabel(voice: ReplyMeta['voice']): string {
  switch (voice) {
    case 'son': return 'Him';
    case 'coach-note': return 'Coach note';
    case 'debrief': return 'Debrief';
    default: return 'Mend';
  }
}
