import type { MessageRecord } from '../src/protocol/records.js';

/** Her side of a long conversation about her son, cycled with a turn number so no two match. */
const HER = [
  'He slammed his bedroom door again when I asked about his homework. I just stood on the landing feeling useless.',
  'His name is Sam, he is 15. He used to tell me everything and now he barely looks up from his phone.',
  'Last night he called me a nag in front of his little sister and I shouted back. I feel awful about it.',
  'I have tried taking his phone away at dinner but it just turned into another fight.',
  'I want us to be able to talk without it ending in a row every single time.',
  'Maybe I could try talking to him in the car on the way to football tomorrow?',
  'What if he just puts his earphones in and ignores me?',
  'I tried it in the car. He said school is pointless and stared out of the window.',
  'Then out of nowhere he asked if we could get chips on the way home, which surprised me.',
  'His dad says I am too soft on him and that makes me doubt everything I do.',
  'He has been staying up until 2am gaming and then he is impossible in the morning.',
  'Today he actually said thank you for dinner. Small thing, but it felt huge.',
];

/** A coach reply of a realistic length (about 170 words), the way a model answers. */
export function coachReply(turn: number): string {
  return [
    `That moment matters, and it makes sense that it stayed with you (${turn}).`,
    '**Communicate calmly** fits here: the next conversation has to start cooler than the last one ended. When a teenager feels cornered he defends himself, and the louder it gets the less either of you is heard.',
    'Before you raise it again, pick a time when neither of you is rushed or already cross: in the car, walking the dog, or late in the evening when he tends to be more open. Keep your voice low and your sentences short.',
    'You could try:',
    '> “I’m not trying to win here. I want us to sort this out together.”',
    'Then stop and let the silence do some work. If he shrugs or walks off, that is not failure; he heard you.',
    'How did it end last time: did one of you walk away, or is it still hanging in the air between you?',
  ].join('\n\n');
}

function record(seq: number, role: 'user' | 'assistant', text: string): MessageRecord {
  return {
    id: `m${seq}`, conversationId: 'bench', seq, role, text, mode: 'coach', safetyLevel: 'calm', status: 'complete',
    clientId: null, meta: { citations: [], steps: role === 'assistant' ? ['calm'] : [] }, createdAt: seq,
  };
}

/** Her message at a turn (1-based). */
export function herMessage(turn: number): string {
  return `${HER[(turn - 1) % HER.length]!} (${turn})`;
}

/** The stored history at the moment she sends message `turn`: her messages, replies between them, hers last. */
export function historyAtTurn(turn: number): MessageRecord[] {
  const messages: MessageRecord[] = [];
  for (let t = 1; t <= turn; t++) {
    messages.push(record(messages.length + 1, 'user', herMessage(t)));
    if (t < turn) messages.push(record(messages.length + 1, 'assistant', coachReply(t)));
  }
  return messages;
}
