import { sentencesOf } from '../../text/sentences.js';
/**
 * Reads how a mother says something to her son: the habits that make a teenager close up
 * (blame, "always", sarcasm, orders, threats, lectures) and the ones that open him up
 * (validation, I-statements, curiosity, apology, appreciation, a promise to stay calm,
 * brevity). Rule-based and deterministic, so the scripted son, the coach notes, the debrief
 * and the draft check all agree on what she said.
 */

/** Strongest first: the order the son reacts in and the notes pick from. */
export const CLOSING_SIGNALS = ['blame', 'threat', 'shouting', 'sarcasm', 'absolute', 'lecture', 'command', 'why', 'but'] as const;
export const OPENING_SIGNALS = ['validation', 'reassurance', 'apology', 'iStatement', 'curiosity', 'appreciation', 'fact', 'closedQuestion', 'brief'] as const;
export type ClosingSignal = (typeof CLOSING_SIGNALS)[number];
export type OpeningSignal = (typeof OPENING_SIGNALS)[number];
export type Signal = ClosingSignal | OpeningSignal;

export interface Finding {
  signal: Signal;
  /** Her words that carry the signal, as she wrote them. */
  match: string;
}

export interface LineAnalysis {
  findings: Finding[];
  words: number;
  sentences: number;
  /** How much the line pushes him away; 0 when nothing does. */
  heat: number;
  /** How much the line invites him in. */
  warmth: number;
}

/** Weights: how strongly one instance moves a teenager; blame and threats weigh most. */
const WEIGHT: Record<Signal, number> = {
  blame: 2, absolute: 1.5, sarcasm: 2, threat: 2, shouting: 1.5, command: 1, lecture: 1.5, why: 1, but: 1,
  validation: 2, apology: 2, iStatement: 1.5, curiosity: 1.5, reassurance: 1.5, appreciation: 1.5, fact: 0.5, closedQuestion: 0.5, brief: 1,
};
/** A signal repeated three times is not three times worse; it is the same habit. */
const MAX_COUNTED = 2;
/** Past this he stops hearing words (knowledge: "Keep it short and clear"). */
const LECTURE_WORDS = 60;
const LECTURE_SENTENCES = 5;
const BRIEF_WORDS = 35;

const NAMES = String.raw`selfish|lazy|rude|useless|ungrateful|(?:a )?liar|disrespectful|impossible|pathetic|spoil(?:ed|t)|a disgrace|an idiot|stupid|ridiculous|unbelievable|out of control|a nightmare|a joke|hopeless|irresponsible|careless|a mess`;

const PATTERNS: Record<Exclude<Signal, 'lecture' | 'brief' | 'but' | 'closedQuestion'>, RegExp[]> = {
  blame: [
    /\bI'm (?:so |really )?(?:sick|tired) of (?:it|this|you|your)\b|\bI'm (?:so |really )?fed up\b/i,
    new RegExp(String.raw`\byou(?:'re| are) (?:so |such |being |always |just |completely |totally )*(?:${NAMES})\b`, 'i'),
    /\b(?:it's|this is|that's) (?:all )?your (?:own )?fault\b/i,
    /\bwhat(?:'s| is) wrong with you\b/i,
    // Swearing at him or exasperated outrage lands as an attack, however short.
    /\bwhat the (?:hell|heck|fuck|f|frig)\b|\bfor (?:god's|christ's|fuck's|goodness') sake\b|\bare you (?:stupid|deaf|kidding me|serious)\b/i,
    // A label is blame however it is dressed: "clearly something is wrong with you".
    /\b(?:there(?:'s| is) )?something(?:'s| is)? (?:seriously |really |very |clearly )?wrong with you\b/i,
    /\byou (?:always |never |just )?(?:lie|lied|lying|cheat|steal|stole)\b/i,
    /\bhow (?:could|dare) you\b/i,
    /\byou (?:don't|do not|never|didn't) (?:care|listen|think|help|respect|talk|even try)\b/i,
    /\b(?:that's|it's|that is|it is) (?:so |really |just |absolutely )?(?:rude|selfish|disrespectful|lazy|pathetic|ridiculous|disgusting|unacceptable|childish)\b/i,
    /\byou make me (?:so )?(?:angry|sick|mad|furious|ashamed)\b/i,
    /\bafter (?:everything|all) (?:I've|I have|I) (?:done|do)\b/i,
    /\bwhy can't you (?:just )?be (?:more )?like\b/i,
    /\byou only (?:care|think) about\b/i,
    /\bI feel (?:like|that) you\b/i,
    /\bdo you think I'm (?:stupid|an idiot|blind)\b/i,
    /\byou've ruined\b/i,
  ],
  absolute: [
    /\byou(?:'re| are)? (?:always|never|constantly|forever)\b/i,
    /\bevery (?:single )?time (?:you|I ask)\b/i,
    /\byou\b[^.!?]{0,40}\ball the time\b/i,
    /\byou (?:do|did|say|said) nothing\b/i,
    /\bnot once\b/i,
  ],
  sarcasm: [
    /\boh,? (?:great|wonderful|brilliant|perfect|lovely|fantastic|well done|sure|right)\b/i,
    /\bthanks a lot\b/i,
    /\bgenius\b/i,
    /\bso you do know (?:how|where|what)\b/i,
    /\b(?:what a|surprise,?) surprise\b/i,
    /\bfinally\b/i,
    /\byeah,? right\b/i,
    /\bI'm sure you (?:did|were|are|will)\b/i,
    /\bof course you (?:did|didn't|were|are)\b/i,
    /\bsilly me\b/i,
    /\bmust be nice\b/i,
    /\bwhatever you say\b/i,
    /\bhis majesty\b|\byour highness\b/i,
  ],
  threat: [
    /\b(?:you're|you are|you'll be|you will be|you're so) grounded\b/i,
    /\bgrounded (?:for|until)\b/i,
    /\bor else\b/i,
    /\bor you(?:'ll| will| can| lose| won't| don't get| get| are| can forget)\b/i,
    /\bif you (?:don't|do that again|ever)\b[^.!?]*\b(?:I'll|I will|you'll|you will)\b/i,
    /\bI(?:'ll| will|'m going to) (?:take|throw|kick|ban|cancel|smash|sell)\b/i,
    /\bkick you out\b/i,
    /\bor (?:I'm|I am|I'll|I will) (?:taking|take|throwing|throw|cancell?ing|cancel|selling|sell|banning|ban|changing the wifi|turning off|switching off)\b/i,
    /\bconfiscat\w*/i,
    /\b(?:no|without) (?:phone|xbox|playstation|wifi|internet|pocket money|going out|console|laptop)s? (?:for|until)\b/i,
    /\buntil (?:christmas|you're (?:18|eighteen)|further notice|I say so)\b/i,
    /\b(?:you're|you are) banned\b/i,
    // Ultimatums: "call me now or you can forget about Saturday".
    /\bor (?:you can |you might as well )?forget (?:about )?\w+/i,
    /\bor (?:you(?:'re| are| will|'ll|'re not| won't| can't)) (?:not )?(?:going|be going|lose|losing|grounded|staying|coming|getting)\b/i,
    /\bor (?:there(?:'s| is| will be) )?no (?:more )?\w+/i,
  ],
  // Words in capitals read as shouting ("call me NOW"); short acronyms are not.
  shouting: [
    /\b(?!(?:ADHD|GCSE|GCSES|SATS|ASAP|NHS|GP|TV|PS5|USA|UK|OK|OMG|LOL|IDK|BTW)\b)[A-Z]{3,}\b/,
  ],
  command: [
    /^(?:go|give|get|put|stop|hand|turn|clean|tidy|come|sit|look at me|listen|tell(?! me (?:more|about|what|how))|answer|apologi[sz]e|don't(?! worry)|do not|leave|take(?! your time)|show|shut|empty|switch|be quiet|be honest)\b/i,
    /\byou (?:will|are going to|need to|have to|must|had better|better)\b(?! not worry)/i,
    /\bbecause I said so\b/i,
    /\bright now\b/i,
    /\bdo as you're told\b/i,
  ],
  why: [/\bwhy (?:on earth |the hell |in god's name )?(?:would|did|do|are|can't|won't|didn't|don't|were|is|have|haven't|must)\b/i],
  validation: [
    /\b(?:that|it|this) (?:sounds|must be|must have been|seems|must feel|might feel) (?:really |so |pretty |a bit |quite |very )?(?:hard|tough|rough|awful|horrible|frustrating|annoying|embarrassing|unfair|stressful|difficult|rubbish|scary|lonely|a lot|like a lot|confusing|humiliating)\b/i,
    /\bno wonder\b/i,
    /\bI know (?:you're|you are|you feel|it's|this is|that's) (?:really |so |pretty )?(?:upset|angry|annoyed|hard|tough|frustrated|fed up|embarrassed|gutted|stressed|not easy|unfair|a lot)\b/i,
    /\b(?:it )?makes sense (?:that )?you\b/i,
    /\bI (?:get|understand|can see|see|can understand) (?:why|how)\b/i,
    /\bI can (?:see|hear|tell) (?:you're|you are|that you|how)\b/i,
    /\byou're allowed to\b/i,
    /\bI'd (?:be|feel) (?:annoyed|upset|angry|fed up|the same|gutted)\b/i,
    /\bof course you (?:feel|felt|want|wanted)\b/i,
    /\bthat's (?:hard|tough|rough|unfair|a lot)\b/i,
    /\bI hear you\b/i,
    /\bI know (?:how much )?(?:[\w']+ ){1,5}(?:matters|means a lot|is important) to you\b/i,
    /\bI (?:get|understand) (?:that|it)\b(?! you (?:always|never))/i,
    /\bI hadn't thought of it like that\b/i,
  ],
  apology: [
    /\b(?:I'm|I am) (?:really |so |truly )?sorry (?!(?:you feel|that you feel|if you|you think|you're))/i,
    /\b(?:I'm|I am) (?:really |so |truly )?sorry\s*[.!]?$/i,
    /\bI apologi[sz]e\b/i,
    /\bI (?:was|got (?:it|that)) wrong\b/i,
    /\bthat wasn't (?:okay|ok|fair|right)\b/i,
    /\bI shouldn't have\b/i,
    /\bI said (?:that|it) badly\b/i,
    /\bthat's on me\b/i,
  ],
  iStatement: [
    /\bI(?:'m| am| was|'ve been| have been| feel| felt| get| got) (?:really |so |very |a bit |just |quite |pretty |honestly |)?(?:worried|scared|frightened|upset|sad|hurt|disappointed|anxious|concerned|tired|angry|cross|confused|embarrassed|frustrated|afraid|nervous|shocked|lonely|shut out|let down|exhausted)\b/i,
    /\bI (?:need|would like|'d like|want) (?:to (?:understand|hear|know|talk|trust|be able)|us to|a (?:text|message|call))\b/i,
    /\bI care about\b/i,
    /\bwhen you [^.!?]{1,60}, I (?:feel|felt|get|got|was|am|'m)\b/i,
    /\bI miss (?:you|us|talking|how)\b[^.!?,;]*/i,
  ],
  curiosity: [
    /\b(?:tell me (?:more|about|what)|help me understand|walk me through)\b/i,
    /\bI(?:'d| would)? (?:like|want|love) to (?:hear|understand|know)(?= (?:your|what|how|more|about|why)\b)[^.!?,;]*/i,
    /\b(?:your side|from your side|your version)\b/i,
    /\bI'm listening\b/i,
    /\bwhat do you (?:think|reckon)\b/i,
  ],
  reassurance: [
    /\bI(?:'m| am) not (?:going to|gonna) (?:yell|shout|scream|lose it|get angry|go mad|lecture|punish|freak out|go on)\b/i,
    /\bI (?:won't|will not) (?:yell|shout|scream|lecture|go mad|freak out|jump in|be angry|get angry)\b/i,
    /\byou(?:'re| are) not in trouble\b/i,
    /\bI(?:'m| am) not (?:angry|mad|cross)\b/i,
    /\b(?:no pressure|no rush|whenever you(?:'re| are) ready|take your time)\b/i,
    /\bI(?:'m| am) not trying to (?:win|control|catch you out)\b/i,
    /\bI(?:'m| am) on your side\b/i,
  ],
  /** Saying plainly what happened ("I found a vape in your jacket"): knowledge, "Describe what he did, not what he is". */
  fact: [/\bI (?:found|saw|noticed|heard|got a (?:call|message|text|letter|email)|smelt|smelled)\b[^.!?,;]*/i],
  appreciation: [
    /\bthank(?:s| you)\b(?! a lot)/i,
    /\bI(?:'m| am) (?:so |really )?(?:proud|glad|grateful|lucky)\b/i,
    /\b(?:I )?love you\b/i,
    /\bI (?:appreciate|noticed you|like spending)\b/i,
    /\byou (?:handled|did) (?:that|it|this) (?:really )?(?:well|brilliantly)\b/i,
    /\byou(?:'re| are) (?:really )?(?:good at|kind|great at)\b/i,
  ],
};

/** Reads one line of hers; the same line always gets the same reading. */
export function analyseLine(text: string): LineAnalysis {
  const clean = normalise(text);
  const sentences = sentencesOf(clean);
  const words = clean.split(/\s+/).filter(Boolean).length;
  const findings = sentences.flatMap(findingsIn);
  if (words > LECTURE_WORDS || sentences.length > LECTURE_SENTENCES) findings.push({ signal: 'lecture', match: `${words} words` });
  findings.push(...lectureHabits(clean));
  const closing = findings.some((f) => isClosing(f.signal));
  if (words <= BRIEF_WORDS && !closing) findings.push({ signal: 'brief', match: `${words} words` });
  return { findings, words, sentences: sentences.length, heat: weigh(findings, isClosing), warmth: weigh(findings, (s) => !isClosing(s)) };
}

export function isClosing(signal: Signal): signal is ClosingSignal {
  return (CLOSING_SIGNALS as readonly string[]).includes(signal);
}

export function has(analysis: LineAnalysis, signal: Signal): boolean {
  return analysis.findings.some((f) => f.signal === signal);
}

/** The closing habits in a line, strongest first, one finding per habit. */
export function closingFindings(findings: Finding[]): Finding[] {
  const closing = findings.filter((f) => isClosing(f.signal));
  const rank = (f: Finding) => (CLOSING_SIGNALS as readonly string[]).indexOf(f.signal);
  return closing.filter((f, i) => closing.findIndex((g) => g.signal === f.signal) === i).sort((a, b) => rank(a) - rank(b));
}

/** Warmth minus heat: above zero the line invites him in, below it pushes him off. */
export function toneOf(analysis: LineAnalysis): number {
  return analysis.warmth - analysis.heat;
}

export function normalise(text: string): string {
  return text.replace(/[’‘]/g, "'").replace(/[“”]/g, '"').replace(/\s+/g, ' ').trim();
}

export { sentencesOf };

function findingsIn(sentence: string): Finding[] {
  const found: Finding[] = [];
  for (const [signal, patterns] of Object.entries(PATTERNS) as Array<[Signal, RegExp[]]>) {
    for (const pattern of patterns) {
      const match = pattern.exec(sentence);
      if (match && !overlaps(found, signal, match[0])) found.push({ signal, match: match[0] });
    }
  }
  return [...withoutMasked(found, sentence), ...questionOf(sentence, found)];
}

/**
 * What a sentence's other signals cancel: sarcasm turns "thanks" and "well done" into a jab;
 * an accusation in the same breath empties an I-statement ("I feel like you never…"); and
 * "but" after validation or an apology wipes out the first half (knowledge: "The instant 'but'").
 */
function withoutMasked(found: Finding[], sentence: string): Finding[] {
  const sarcastic = found.some((f) => f.signal === 'sarcasm');
  const blaming = found.some((f) => f.signal === 'blame');
  const kept = found.filter((f) => !(sarcastic && (f.signal === 'appreciation' || f.signal === 'validation'))
    && !(blaming && f.signal === 'iStatement' && /\b(?:like|that) you\b/i.test(f.match)));
  const cancelled = kept.filter((f) => (f.signal === 'validation' || f.signal === 'apology') && followedByBut(sentence, f.match));
  if (cancelled.length === 0) return kept;
  return [...kept.filter((f) => !cancelled.includes(f)), { signal: 'but', match: butClause(sentence, cancelled[0]!.match) }];
}

function followedByBut(sentence: string, match: string): boolean {
  const at = sentence.toLowerCase().indexOf(match.toLowerCase());
  return at >= 0 && /[,\s]but\b/i.test(sentence.slice(at + match.length));
}

function butClause(sentence: string, match: string): string {
  const at = sentence.toLowerCase().indexOf(match.toLowerCase());
  const rest = sentence.slice(at);
  const but = rest.search(/[,\s]but\b/i);
  return rest.slice(0, but + 4).replace(/[,\s]+but$/i, ', but').trim();
}

/** Questions: "what happened?" invites a story; "did you…?" a yes or no; "why did you…?" sounds like a charge. */
function questionOf(sentence: string, found: Finding[]): Finding[] {
  if (!sentence.endsWith('?')) return [];
  if (found.some((f) => f.signal === 'why' || f.signal === 'sarcasm' || f.signal === 'blame')) return [];
  if (/^(?:so |and |ok,? |okay,? )?(?:what|how|tell me|which|where|who|when)\b/i.test(sentence)) {
    return found.some((f) => f.signal === 'curiosity') ? [] : [{ signal: 'curiosity', match: sentence }];
  }
  return [{ signal: 'closedQuestion', match: sentence }];
}

function lectureHabits(text: string): Finding[] {
  const habit = /\b(?:when I was your age|and another thing|how many times (?:have I|do I have to)|let me tell you something|you need to understand that)\b/i.exec(text);
  return habit ? [{ signal: 'lecture', match: habit[0] }] : [];
}

function overlaps(found: Finding[], signal: Signal, match: string): boolean {
  return found.some((f) => f.signal === signal && (f.match.includes(match) || match.includes(f.match)));
}

function weigh(findings: Finding[], include: (s: Signal) => boolean): number {
  const counts = new Map<Signal, number>();
  for (const f of findings) if (include(f.signal)) counts.set(f.signal, Math.min(MAX_COUNTED, (counts.get(f.signal) ?? 0) + 1));
  return [...counts].reduce((sum, [signal, n]) => sum + WEIGHT[signal] * n, 0);
}
