import type { MessageRecord } from '../../protocol/records.js';
import type { SpokenLine } from './requests.js';
import type { RehearsalState } from './state.js';

/** His lines in this rehearsal, oldest first. */
export function hisLines(history: MessageRecord[], state: RehearsalState): MessageRecord[] {
  return history.filter((m) => m.seq >= state.startSeq && m.role === 'assistant' && m.meta.voice === 'son' && m.status !== 'failed' && m.text.trim());
}

/**
 * The rehearsal as the son hears it: her lines and his, in order. Coach notes, debriefs,
 * safety notices and paused lines are not part of it; he never sees them.
 */
export function spokenLines(history: MessageRecord[], state: RehearsalState): SpokenLine[] {
  const hers = new Set(state.turns.map((t) => t.seq));
  const his = new Set(hisLines(history, state).map((m) => m.id));
  return history
    .filter((m) => (m.role === 'user' && hers.has(m.seq)) || his.has(m.id))
    .map((m) => ({ speaker: m.role === 'user' ? 'her' : 'him', text: m.text }));
}

/** What he said back to each line of hers: her line's sequence number → his next line. */
export function repliesBySeq(history: MessageRecord[], state: RehearsalState): Map<number, string> {
  const his = hisLines(history, state);
  return new Map(state.turns.flatMap((t) => {
    const reply = his.find((m) => m.seq > t.seq);
    return reply ? [[t.seq, reply.text] as [number, string]] : [];
  }));
}
