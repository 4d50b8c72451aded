import { sentencesOf } from '../../text/sentences.js';
/**
 * Reflecting her words back: the clause that carries what happened, turned from her point
 * of view to Mend's ("I asked" → "you asked"), and nothing added that she did not say.
 */

const FLIPS: Array<[RegExp, string]> = [
  // "what you said" means what Mend said: it becomes "what I suggested" before "I" turns into "you".
  [/\bwhat you (?:said|suggested|told me)\b/gi, 'what I suggested'],
  [/\bI am\b/g, 'you are'],
  [/\bI was\b/g, 'you were'],
  [/\bI wasn[’']t\b/g, 'you weren’t'],
  [/\bI[’']m\b/g, 'you’re'],
  [/\bI[’']ve\b/g, 'you’ve'],
  [/\bI[’']d\b/g, 'you’d'],
  [/\bI[’']ll\b/g, 'you’ll'],
  [/\bI\b/g, 'you'],
  [/\bme\b/gi, 'you'],
  [/\bmy\b/gi, 'your'],
  [/\bmine\b/gi, 'yours'],
  [/\bmyself\b/gi, 'yourself'],
  // "We" may be her and him, or her and his dad: "you" fits either.
  [/\bwe[’']re\b/gi, 'you’re'],
  [/\bwe[’']ve\b/gi, 'you’ve'],
  [/\bwe[’']d\b/gi, 'you’d'],
  [/\bwe[’']ll\b/gi, 'you’ll'],
  [/\bwe\b/gi, 'you'],
  [/\bus\b/gi, 'you'],
  [/\bour\b/gi, 'your'],
  [/\bam\b/g, 'are'],
];

/** Her words from Mend's side: "I asked about my son's grades" → "you asked about your son's grades". */
export function flipPerspective(text: string): string {
  // Placeholders keep one flip from being flipped again ("I" → "you" must not meet a later rule).
  const out: string[] = [];
  // "We're still married, I mean his dad is my husband": the aside marker is hers, not Mend's.
  let result = text.replace(/,\s*I mean,?\s+/g, ': ');
  FLIPS.forEach(([pattern, replacement]) => {
    result = result.replace(pattern, () => {
      out.push(replacement);
      return `\u0000${out.length - 1}\u0000`;
    });
  });
  return result.replace(/\u0000(\d+)\u0000/g, (_, i: string) => out[Number(i)]!);
}

const EVENT = /\b(said|says|told|called|slammed|slams|lied|lies|lying|ignor\w*|rude|swore|won[’']t|wont|hasn[’']t|refus\w*|shout\w*|yell\w*|scream\w*|walked|stormed|snapped|rolled|phone|grades?|school|party|silent|silence|spoken|grand\w*|door|room|dinner|laughed|smiled|hugged|thanked|apologi[sz]ed)\b/i;
const WANT = /\bI(?: (?:just |really |only |honestly )?(?:want|wish|hope|need)|[’']d (?:really )?(?:like|love)| would (?:really )?(?:like|love))\b/i;
const INTENTION = /\b(?:I(?: could| will| might| can| am going to|[’']ll|[’']m going to)(?![’']t)|maybe I)\b/i;
/** "His name is Jake, he is 15": an introduction, thanked for elsewhere rather than mirrored. */
const INTRODUCTION = /\b(?:name|called|years? old|aged|(?:is|he[’']s) \d{1,2})\b/i;
const FEELING_WORDS = String.raw`(?:hurt|angry|furious|exhausted|tired|worried|scared|frightened|afraid|terrified|guilty|ashamed|sad|heartbroken|lost|helpless|hopeless|frustrated|upset|embarrassed|humiliated|useless|lonely|anxious|stressed|overwhelmed|devastated|drained|disappointed|gutted|mortified|betrayed|shocked|livid|crushed|awful|terrible|horrible|miserable|broken|desperate|confused|torn|annoyed|cross|mad|panicking|beside myself|at a loss|at my wits|worn out|fed up|sick of|done)`;
/** "I feel…", or "I'm / I am / I was" with a feeling ("I'm so tired of it"), or "it hurt": not "I'm going to…". */
const FEELING = new RegExp(String.raw`\bI (?:feel|felt)\b|\bI(?:[’']m| am| was) (?:(?:so|really|just|completely|totally|absolutely|a bit|a little|quite|very|pretty|honestly|actually|still|now|also|both) )*${FEELING_WORDS}\b|\b(?:it|that) (?:really )?(?:hurt|hurts|stung|stings|broke my heart)\b`, 'i');

export interface Reflection {
  /** The clause about what happened, from Mend's side. */
  event?: string;
  /** Her feeling, from Mend's side, when she named one. */
  feeling?: string;
  /** What she wants, from Mend's side, when she said it. */
  want?: string;
  /** What she says she will try ("I could talk to him in the car"). */
  intention?: string;
  /** She asked something rather than told something. */
  question?: string;
}

/** Words that answer Mend rather than tell something ("Not really, he just went upstairs"): not mirrored. */
const ANSWER_WORDS = /^(?:not really|not exactly|no|nope|nah|yes|yeah|yep|yup|well|ok|okay|um+|erm+|hmm+|oh|honestly|to be honest|I mean|sort of|kind of)\s*(?:[,.!:;–—-]+\s*|\s+(?=and\b|but\b|he\b|she\b|we\b|I\b))/i;

export function reflectionOf(text: string, name?: string): Reflection {
  const sentences = sentencesOf(text).map(withoutAnswerWords).filter(Boolean);
  const question = sentences.find((s) => s.endsWith('?'));
  const feeling = sentences.find((s) => FEELING.test(s) && !s.endsWith('?'));
  const want = sentences.find((s) => WANT.test(s) && s !== feeling && !s.endsWith('?'));
  const intention = sentences.find((s) => INTENTION.test(s) && s !== feeling && s !== want && !s.endsWith('?'));
  // Her first sentence usually says what happened; later ones add detail.
  const telling = sentences.filter((s) => s !== feeling && s !== want && s !== intention && !s.endsWith('?'));
  const event = telling
    .map((s) => ({ s, w: eventWeight(s) + (s === sentences[0] ? 3 : 0) }))
    .sort((a, b) => b.w - a.w)[0]?.s;
  const story = event && EVENT.test(event) ? event : telling.find((s) => s.split(/\s+/).length >= 5 && !INTRODUCTION.test(s));
  return {
    intention: intention ? clip(flipPerspective(stripEnd(clauseFrom(intention, INTENTION)))) : undefined,
    want: want ? clip(flipPerspective(stripEnd(clauseFrom(want, WANT)))) : undefined,
    event: story ? named(clip(flipPerspective(stripEnd(story))), name) : undefined,
    feeling: feeling ? lowerFirst(clip(flipPerspective(stripEnd(clauseFrom(feeling, FEELING))))) : undefined,
    question: question ? clip(flipPerspective(question)) : undefined,
  };
}

function withoutAnswerWords(sentence: string): string {
  return sentence.replace(ANSWER_WORDS, '').replace(/^(?:and|but|so)\s+/i, '');
}

function eventWeight(sentence: string): number {
  const hits = sentence.match(new RegExp(EVENT.source, 'gi'))?.length ?? 0;
  return hits * 3 + (/\b(he|his|him)\b/i.test(sentence) ? 2 : 0);
}

/** "Honestly, I feel like a failure" → "I feel like a failure". */
function clauseFrom(sentence: string, start: RegExp): string {
  const at = sentence.search(start);
  return at > 0 ? sentence.slice(at) : sentence;
}

/** His name for the first "he" when the clause starts with him: "he called you a nag" → "Jake called you a nag". */
function named(clause: string, name?: string): string {
  const lowered = lowerFirst(clause);
  return name ? lowered.replace(/^he\b/, name) : lowered;
}

/** Sentence starters that are ordinary words, lowered mid-sentence; anything else capitalised is likely a name. */
const STARTERS = new Set(`he she we it they the this that these those so and but then when my your you our his her a an
last yesterday today tonight every over on at after since for just even all now again well in because if what how
why once whenever sometimes there each some most nothing everything never always not no another one two both
instead also still only during before while until as with without from by about into`.split(/\s+/));

function lowerFirst(text: string): string {
  const first = /^[A-Za-z]+/.exec(text)?.[0] ?? '';
  const ordinary = STARTERS.has(first.toLowerCase()) || /ly$/.test(first) || first === first.toLowerCase();
  return ordinary ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}

function stripEnd(text: string): string {
  return text.replace(/[\s.!,;:]+$/, '');
}

function clip(text: string, max = 200): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  return `${cut.slice(0, cut.lastIndexOf(' ')).replace(/[,;:]$/, '')}…`;
}

/** Intro words about him that tell nothing yet: "he's 15", "he is called Jake", "my son is 14". */
const INTRO_ONLY = /\b(?:[Hh]e|[Mm]y (?:son|boy|lad)(?:,? [A-Z][a-z]+)?)(?:[’']s| is)\s+(?:only |just |nearly |almost )?(?:\d{1,2}|called|named|[a-z]+teen)\b|\b[Mm]y (?:son|boy|lad),? [A-Z][a-z]+\b/g;
/** He (or my son) doing something: "he won't shower", "my son and I keep fighting". */
const HE_DOES = /\b(?:he|my (?:son|boy|lad|teenager|teen))\s+[\w’']+/i;

/** Whether a message tells something that happened, rather than only greeting or introducing him. */
export function tellsSomething(text: string): boolean {
  const rest = text.replace(INTRO_ONLY, '');
  return EVENT.test(rest) || HE_DOES.test(rest);
}
