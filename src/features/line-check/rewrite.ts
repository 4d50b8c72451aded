import { analyseLine, has, isClosing, normalise, sentencesOf, type LineAnalysis, type Signal } from './analyser.js';

/**
 * "Said another way": her message rewritten in her own voice. Parts that are fine stay word
 * for word; blame and "always" become an I-statement about the same worry; a threat becomes
 * "later"; orders become requests; sarcasm and lecture add-ons go; and it ends with one open
 * question, unless she already asked one.
 */
export interface Rewrite {
  text: string;
  /** Her clauses kept as she wrote them. */
  kept: string[];
  /** What was replaced or dropped, and why. */
  changes: Array<{ from: string; signal: Signal; to?: string }>;
  /** False when nothing in her message needed changing. */
  changed: boolean;
}

/** An I-statement for the worry under a complaint, found by the words of the complaint. */
const FEELINGS: Array<[RegExp, string]> = [
  [/\b(?:lie|lies|lied|lying|liar|truth|honest)\b/i, 'I want to be able to trust what you tell me.'],
  [/\b(?:respect|rude|attitude|disrespectful|speak to me|talk to me like|swear\w*)\b/i, 'It hurts when we speak to each other like that.'],
  [/\b(?:mess|messy|room|tidy|clean|chores|dishes|pigsty|help out)\b/i, 'I\'m finding the mess hard, and I could do with your help.'],
  [/\b(?:phone|screens?|gaming|games?|xbox|playstation|computer|console|tiktok)\b/i, 'I miss talking to you without a screen in the way.'],
  [/\b(?:late|curfew|out all night|where you (?:are|were))\b/i, 'I get frightened when I don\'t know where you are.'],
  [/\b(?:school|homework|grades|marks|teachers?|exams?|detention)\b/i, 'I\'m worried about how school is going.'],
  [/\b(?:vape|vaping|vapes|smok\w+|drink\w*|drunk|weed|drugs)\b/i, 'I\'m worried about your health.'],
  [/\b(?:selfish|care|ungrateful|everything I do|after all)\b/i, 'I\'m feeling taken for granted, and I don\'t want us to be like this.'],
  [/\b(?:listen|ignor\w+)\b/i, 'I\'d really like us to hear each other.'],
];
const DEFAULT_FEELING = 'I\'m upset about this, and I want to understand what\'s going on.';

/** One open question per conflict topic (knowledge/topics ids); all in our words. */
const QUESTIONS: Record<string, string> = {
  'vaping-and-substances': 'Can you tell me about it, from your side?',
  'phone-and-screens': 'What would make evenings work for you?',
  'grades-and-school': 'What\'s been the hardest part lately?',
  'curfew-and-going-out': 'What happened tonight, from your side?',
  'lying-and-trust': 'What made it hard to tell me?',
  chores: 'What would make it easier to get done?',
  gaming: 'What would a fair amount of gaming look like to you?',
  friends: 'What are they like, from your side?',
  'privacy-and-his-room': 'What would feel fair to you about your room?',
  'respect-and-rudeness': 'What was going on for you just then?',
  'anger-and-slammed-doors': 'What was going on for you just then?',
  'silent-treatment': 'What would make it easier to talk?',
};
const DEFAULT_QUESTION = 'What happened, from your side?';
const LATER = 'What happens next can wait until we\'ve talked.';
/** A lecture is cut to its first few sound sentences (knowledge: "Keep it short and clear"). */
const MAX_KEPT = 2;

export function rewriteLine(text: string, topicId?: string): Rewrite {
  const whole = analyseLine(text);
  const kept: string[] = [];
  const changes: Rewrite['changes'] = [];
  const feelings: string[] = [];
  let needLater = false;
  for (const clause of clausesOf(text)) {
    const a = analyseLine(clause);
    const fixed = fixClause(clause, a, text, topicId);
    if (fixed.feeling && !feelings.includes(fixed.feeling)) feelings.push(fixed.feeling);
    needLater ||= fixed.later;
    if (fixed.text) kept.push(fixed.text);
    if (fixed.signal) changes.push({ from: clause, signal: fixed.signal, ...(fixed.text ? { to: fixed.text } : {}) });
  }
  const changed = changes.length > 0 || has(whole, 'lecture');
  const body = has(whole, 'lecture') ? kept.slice(0, MAX_KEPT) : kept;
  if (body.length === 0 && feelings.length === 0) feelings.push(feelingFor(text, topicId));
  const sentences = [...body, ...(feelings.length && !body.some(isIStatement) ? [feelings[0]!] : []), ...(needLater ? [LATER] : [])];
  if (!sentences.some((s) => s.endsWith('?') || asksOpenly(s))) sentences.push(QUESTIONS[topicId ?? ''] ?? DEFAULT_QUESTION);
  return { text: sentences.join(' '), kept: kept.filter((k) => !changes.some((c) => c.to === k)), changes, changed };
}

interface FixedClause {
  text?: string;
  feeling?: string;
  later: boolean;
  signal?: Signal;
}

function fixClause(clause: string, a: LineAnalysis, message: string, topicId: string | undefined): FixedClause {
  // Capitals first: the quieter clause is then judged on its words alone.
  if (has(a, 'shouting')) {
    // Every word in capitals, short ones too ("GIVE IT TO ME"), but never "I".
    const quieter = clause.replace(/\b(?!I\b)[A-Z][A-Z']+\b/g, (w) => w.toLowerCase());
    const fixed = fixClause(quieter, analyseLine(quieter), message, topicId);
    return { ...fixed, signal: fixed.signal ?? 'shouting' };
  }
  if (has(a, 'blame') || has(a, 'absolute')) return { feeling: feelingFor(clause, topicId, message), later: false, signal: has(a, 'blame') ? 'blame' : 'absolute' };
  if (has(a, 'threat')) {
    // "Clean your room or I'm taking your phone": the request stays, the threat waits.
    const demand = /^(.+?),?\s+or\s+(?:else|I\b|I'm|I'll|you)/i.exec(clause)?.[1];
    const request = demand ? asRequest(demand) : undefined;
    return { ...(request ? { text: request } : {}), later: true, signal: 'threat' };
  }
  if (has(a, 'sarcasm')) return { later: false, signal: 'sarcasm' };
  if (has(a, 'lecture')) return { later: false, signal: 'lecture' };
  if (has(a, 'why')) return { later: false, signal: 'why' };
  if (has(a, 'command')) {
    const request = asRequest(clause);
    return request ? { text: request, later: false, signal: 'command' } : { later: false, signal: 'command' };
  }
  return { text: sentence(clause), later: false };
}

/** The worry under a complaint: from the complaint's own words, then the rest of her message, then the topic. */
export function feelingFor(clause: string, topicId?: string, message = clause): string {
  const byWords = FEELINGS.find(([pattern]) => pattern.test(clause))?.[1] ?? FEELINGS.find(([pattern]) => pattern.test(message))?.[1];
  if (byWords) return byWords;
  const byTopic = topicId ? FEELINGS.find(([pattern]) => pattern.test(topicId.replace(/-/g, ' ')))?.[1] : undefined;
  return byTopic ?? DEFAULT_FEELING;
}

/** An order turned into a request in her words: "Put it down" → "I'd like you to put it down." */
function asRequest(clause: string): string | undefined {
  const bare = clause.replace(/\b(?:because I said so|right now|now|please)\b,?/gi, '').replace(/\s+([.!?,])/g, '$1').replace(/[.!?]+$/, '').trim();
  const dont = /^(?:don't|do not)\s+(.+)$/i.exec(bare);
  if (dont) return `I'd rather you didn't ${dont[1]}.`;
  const must = /^you (?:will|are going to|need to|have to|must|had better|better)\s+(.+)$/i.exec(bare);
  if (must) return `I need you to ${must[1]}.`;
  if (/^(?:go|give|get|put|stop|hand|turn|clean|tidy|come|sit|listen|answer|leave|take|show|empty|switch)\b/i.test(bare)) return `I'd like you to ${lowerFirst(bare)}.`;
  return undefined;
}

/**
 * Sentences, and comma splices inside them ("You always lie to me, I found your vape,
 * you're grounded"), each judged on its own. "X, but Y" becomes "X. And Y": the "but" no
 * longer cancels a kind X (knowledge: "Use 'and', or pause before moving on").
 */
export function clausesOf(text: string): string[] {
  return sentencesOf(normalise(text)).flatMap((s) => s
    .split(/,\s*but\s+|\s+but\s+(?=(?:you|I|it|that|this|we)\b)/i)
    .map((part, i) => (i > 0 ? `and ${part}` : part))
    .flatMap((part) => part.split(/,\s*(?=(?:and |so )?(?:you|you're|you've|I|I'm|I've|I'll|we|it's|this|that)\b)/i))
    .map((c) => c.trim()).filter((c) => c.replace(/[.!?]/g, '').trim().length > 0));
}

function sentence(clause: string): string {
  const trimmed = clause.trim().replace(/[,;:]+$/, '');
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

function lowerFirst(text: string): string {
  return /^I\b/.test(text) ? text : text.charAt(0).toLowerCase() + text.slice(1);
}

function isIStatement(text: string): boolean {
  return has(analyseLine(text), 'iStatement');
}

function asksOpenly(text: string): boolean {
  return has(analyseLine(text), 'curiosity');
}
