import type { MessageRecord } from '../../src/protocol/records.js';

const HER = [
  'He called me a nag and slammed the door when I asked about his grades.',
  'His name is Jake, he is 15. Honestly I feel like a failure.',
  'I just want us to be able to talk without fighting.',
  'I have tried taking his phone away but it made things worse.',
  'I could try talking to him in the car tomorrow, after football.',
  'What if he just puts his earphones in and ignores me?',
  'I tried it in the car. He said school is pointless and stared out of the window.',
  'Then he asked if we could get chips on the way home, which surprised me.',
];

/**
 * A long conversation as the store would hold it: her messages (cycling through a realistic
 * set) and coach replies of a realistic length, `turns` exchanges in all.
 */
export function syntheticHistory(turns: number): MessageRecord[] {
  const messages: MessageRecord[] = [];
  for (let t = 0; t < turns; t++) {
    const her = `${HER[t % HER.length]!} (${t + 1})`;
    messages.push(record(messages.length + 1, 'user', her, []));
    if (t < turns - 1) messages.push(record(messages.length + 1, 'assistant', coachReply(t), ['calm']));
  }
  return messages;
}

function coachReply(t: number): string {
  return [
    `So that happened, and it matters (${t}).`,
    '**Step 3 · Communicate calmly** is the step that fits now, because the next conversation has to start cooler than the last one finished. When a teenager feels attacked, he defends.',
    'Keep your voice low and steady, and try:',
    '> “I’m not trying to win here. I want us to sort it out.”',
    'How did it end: did one of you walk away, or is it still hanging in the air between you?',
  ].join('\n\n');
}

function record(seq: number, role: 'user' | 'assistant', text: string, steps: string[]): MessageRecord {
  return {
    id: `m${seq}`, conversationId: 'c1', seq, role, text, mode: 'coach', safetyLevel: 'calm', status: 'complete',
    clientId: null, meta: { citations: [], steps }, createdAt: seq,
  };
}
