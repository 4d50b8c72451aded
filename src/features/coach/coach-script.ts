import { phrasesSource, WORN_OUT } from '../../text/feelings.js';
import { bulletsOf, chunkId, unquotePhrase, type KnowledgeDocument } from '../../knowledge/knowledge-base.js';
import type { FactValues } from '../memory/facts.js';
import { termsOf } from '../../knowledge/terms.js';
import type { Signals } from './coach-signals.js';

/** A line from the knowledge files she could say, or a practice she could do. */
export interface KnowledgeLine {
  /** `<doc id>:<section>:<n>`: remembered so the same line is not offered twice. */
  key: string;
  text: string;
  docId: string;
  /** The retriever's chunk id for the section, so the reply can cite it. */
  chunkId: string;
}

const PHRASES = 'Phrases you can use';
const DOING = ['Practices', 'What helps', 'How to do it'];

export function phrasesOf(doc: KnowledgeDocument): KnowledgeLine[] {
  return linesOf(doc, PHRASES).map((line) => ({ ...line, text: unquotePhrase(line.text) }));
}

export function practicesOf(doc: KnowledgeDocument): KnowledgeLine[] {
  return DOING.flatMap((section) => linesOf(doc, section));
}

function linesOf(doc: KnowledgeDocument, section: string): KnowledgeLine[] {
  const id = chunkId(doc.id, section);
  return bulletsOf(doc, section).map((text, n) => ({ key: `${doc.id}:${section}:${n}`, text, docId: doc.id, chunkId: id }));
}

const SUBJECTS = /\b(maths|math|science|english|history|geography|french|spanish|german|physics|chemistry|biology|art|music|coursework|homework|exams?)\b/i;
const GRANDPARENT = /\b(grandmother|grandma|granny|gran|nan|nana|nanna|grandfather|grandad|granddad|grandpa)\b/i;
const DAY = String.raw`(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)`;
/** When it happened, in her words. */
const WHEN = new RegExp(String.raw`\b(?:(?:on|last) )?${DAY}\b|\blast night\b|\byesterday\b|\btonight\b|\bthis (?:morning|evening|afternoon)\b|\bearlier today\b`, 'i');
/** When it happened, in the example line. */
const EXAMPLE_WHEN = new RegExp(String.raw`\b(?:(?:on|last) )?${DAY}\b|\blast night\b|\byesterday\b`);
const EXAMPLE_DAY = new RegExp(String.raw`\b${DAY}\b`);
const GREETING = /^(Morning|Night|Hey|Hi|Love you)\b/;
/** Capitalised words in a line that are not someone from the example. */
const KNOWN_WORDS = new Set(['I', 'Gran', 'Grandad', 'Grandma', 'Granny', 'Nan', 'Mum', 'Mom', 'Dad', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday', 'Christmas', 'Wi']);

export interface ScriptContext {
  name?: string;
  /** Everything she has written so far, to borrow her words (his subject, his gran). */
  herWords: string;
}

/**
 * Makes a knowledge phrase hers: his name in it, her subject instead of the example's
 * "maths", her name for his grandmother instead of "Gran", a friend's house instead of the
 * example friend's.
 */
export function adaptScript(phrase: string, context: ScriptContext): string {
  let text = phrase;
  const subject = SUBJECTS.exec(context.herWords)?.[1]?.toLowerCase();
  text = text.replace(/\bwith maths\b/g, subject ? `with ${subject}` : 'with school').replace(/\bmaths\b/g, subject ?? 'school');
  text = text.replace(/\b(Gran|Grandad)\b/g, (word) => grandparent(word, context.herWords));
  text = text.replace(/(?<=[a-z,] )[A-Z][a-z]+['’]s\b(?! (?:phone|room|house))/g, 'your friend’s');
  const when = herWhen(context.herWords);
  if (when && PAST.test(text)) text = text.replace(EXAMPLE_WHEN, when);
  text = text.charAt(0).toUpperCase() + text.slice(1);
  return context.name ? withName(text, context.name) : text;
}

/** Her "on Saturday", "last night", "tonight" as the line can carry it ("tonight" → "earlier"). */
function herWhen(herWords: string): string | undefined {
  const when = WHEN.exec(herWords)?.[0];
  if (!when) return undefined;
  if (new RegExp(`^${DAY}$`, 'i').test(when)) return `on ${when}`;
  if (/^(?:tonight|this evening|earlier today)$/i.test(when)) return 'earlier';
  return when.replace(/^(?:On|Last|Yesterday|This)\b/, (w) => w.toLowerCase());
}

/** A line that names a day ("on Saturday") fits only if she said when it happened. */
export function namesDaySheDidNotSay(line: string, herWords: string): boolean {
  return EXAMPLE_DAY.test(line) && PAST.test(line) && !herWhen(herWords);
}

/** A line about something that already happened ("you weren't at Ryan's on Saturday"), not a plan ("a film on Friday"). */
const PAST = /\b(?:was|were|wasn[’']t|weren[’']t|went|did|didn[’']t|had|said|shouted|happened)\b/i;

function grandparent(example: string, herWords: string): string {
  const hers = GRANDPARENT.exec(herWords)?.[1]?.toLowerCase();
  if (!hers) return example;
  if (hers === 'grandmother' || hers === 'grandfather') return `your ${hers}`;
  return hers.charAt(0).toUpperCase() + hers.slice(1);
}

/** "Gran's", "Dad's" keep their capital after his name; "Let's", "Something's" were capitalised only to start the line. */
const FAMILY_NAMES = new Set(['Gran', 'Grandad', 'Grandma', 'Granny', 'Nan', 'Nana', 'Dad', 'Mum', 'Mom']);

function withName(text: string, name: string): string {
  if (text.includes(name)) return text;
  const greeting = GREETING.exec(text);
  if (greeting) return `${greeting[1]}, ${name}${text.slice(greeting[1]!.length)}`;
  const possessive = /^([A-Z][a-z]+)(?=[’']s\b)/.exec(text)?.[1];
  const keepCapital = /^(I\b|I[’'])/.test(text) || /^(Gran|Grandad|Grandma|Nan|Granny)\b/.test(text)
    || Boolean(possessive && FAMILY_NAMES.has(possessive));
  return `${name}, ${keepCapital ? text : text.charAt(0).toLowerCase() + text.slice(1)}`;
}

/**
 * Phrases that speak about someone in the example (a sister, "Mia", "he made you look
 * stupid") fit her only if that person is in her story too.
 */
export function mentionsStrangers(phrase: string, herWords: string): boolean {
  const people = phrase.match(/\b(sister|brother|Mia|Grandad|cousin|dad|father|coach|dog)\b/gi) ?? [];
  if (people.some((p) => !new RegExp(`\\b${p}\\b`, 'i').test(herWords))) return true;
  // A name from the example ("a walk with Sarah", "hanging out with Josh"); "Ryan's" is adapted to "your friend's".
  const names = [...phrase.matchAll(/(?<=[a-z,] )([A-Z][a-z]+)\b(?![’']s\b)/g)].map((m) => m[1]!).filter((n) => !KNOWN_WORDS.has(n));
  if (names.some((n) => !new RegExp(`\\b${n}\\b`).test(herWords))) return true;
  const aboutSomeone = /\b(he|she|him|her)\b/i.test(phrase);
  return aboutSomeone && !(GRANDPARENT.test(phrase) && GRANDPARENT.test(herWords));
}

/**
 * What a line takes for granted. "Thanks for walking away instead of saying something you'd
 * regret" needs him to have walked away; "I said that badly" needs her to have said
 * something badly; "That sounds really annoying" answers something he has just told her.
 * A line is offered only when what it presumes is in her story (or the lead sets it up).
 */
export type Presumption = 'praise' | 'apology' | 'his-anger' | 'damage' | 'heated' | 'reply' | 'closer' | 'his-state' | 'her-feeling' | 'in-progress' | 'denies-feeling' | 'her-part' | 'after-row' | 'when' | 'theft' | 'her-temper';

/** A line that tells him how she feels ("I was worried", "I'm still cross") fits only if she feels it. */
const HER_FEELING = /\bI(?:[’']m| am| was| feel| felt| get)(?: (?:still|really|so|a bit|just))? (worried|scared|cross|annoyed|angry|upset|tired|embarrassed|shut out|hurt)\b/i;
/** "I'm not angry": wrong words for a mother who has just said she is. */
const DENIED_FEELING = /\bI[’']m not (angry|cross|annoyed|upset|worried|cross with you)\b/i;
const FEELING_KIN: Array<RegExp> = [
  /\b(?:worr\w*|scared|frightened|afraid|anxious|terrified|panick\w*|fear\w*)\b/i,
  /\b(?:cross|annoyed|angry|furious|livid|mad|fed up|sick of|frustrated|irritated)\b/i,
  /\b(?:upset|hurt|sad|disappointed|shocked|gutted|heartbroken|stung|broke my heart)\b/i,
  new RegExp(String.raw`\b(?:${phrasesSource(WORN_OUT, ['tired'])})\b`, 'i'),
  /\b(?:embarrass\w*|mortified|humiliated|ashamed)\b/i,
  /\b(?:shut out|left out|ignored|invisible|lonely)\b/i,
];

/** A line that names how he looks or feels ("you look wiped out", "you felt singled out") needs her to have seen it. */
const HIS_STATE = /^you (?:look|seem)\s+([^.!?]+)|\byou felt ([^.!?]+)|\byou[’']re allowed to be ([^.!?]+)|\bfelt like (nobody[^.!?]*)|\bmade you (look [^.!?]+)/i;

const PRESUMES: Array<[Presumption, RegExp]> = [
  ['his-anger', /\byou(?:[’']re| are| seem(?:ed)?)(?: (?:really|so))? (?:angry|wound up|furious|cross)\b|\bbreak things\b|\bsomething you[’']d regret\b|\bwhen you feel it building\b|\bshout back\b/i],
  ['damage', /\bbreak things\b|\bpunch\w*\b|\bsmash\w*\b/i],
  ['praise', /^(?:thanks|thank you|cheers)\b|\b(?:I noticed|good on you|you handled|proud of (?:how|you)|that was kind|made a difference|made my evening|meant a lot|you[’']ve been on time|you were up on time)\b/i],
  ['apology', /\b(?:I[’']m sorry I|sorry I (?:shouted|said|called|read|snapped)|I said (?:some things|that badly)|I called you|took it out on you|shouldn[’']t have|that[’']s on me|I[’']ve been short with you|wish I hadn[’']t|next time I feel myself|I[’']ve been getting a lot wrong)\b/i],
  ['her-part', /\bmy (?:part|share)\b/i],
  ['after-row', /\bbad night\b|\bwent badly\b|\bhow things were left\b|\bthe other night\b/i],
  ['heated', /\b(?:both too wound up|getting too wound up|I[’']ve calmed down|come back to this|pause this|take a break|something I[’']ll regret|still too annoyed|keep my voice down|let[’']s stop)\b/i],
  ['reply', /^(?:tell me more|that sounds|what was the worst part|I hadn[’']t thought|do you want ideas|no wonder|it makes sense you|you[’']re allowed to be|I can see why|so it felt like|I get why|how do you think that|I[’']m listening\. I won[’']t)|\babout (?:it|that)\?$/i],
  ['her-temper', /\bwound up\b|\bwalk away for a bit\b|\btook it out on you\b|\bI was angry\b|\bshouted\b|\blost my temper\b/i],
  ['closer', /^(?:I[’']ve said my bit|that[’']s done now)/i],
  ['her-feeling', HER_FEELING],
  ['in-progress', /\bkeep (?:walking|driving|going)\b/i],
  ['denies-feeling', DENIED_FEELING],
  ['when', EXAMPLE_DAY],
  ['theft', /\bpaid back\b|\bpay (?:it )?back\b|\bmoney from my (?:purse|wallet)\b/i],
  ['his-state', HIS_STATE],
];

/** Lines come from the knowledge files, so each one's presumptions are read once (bounded). */
const presumed = new Map<string, Presumption[]>();

export function presumptionsOf(line: string): Presumption[] {
  let found = presumed.get(line);
  if (!found) {
    if (presumed.size >= 20_000) presumed.clear();
    found = PRESUMES.filter(([, re]) => re.test(line)).map(([p]) => p);
    presumed.set(line, found);
  }
  return found.slice();
}

export interface Story {
  /** Signals read from everything she has said so far, not just this message. */
  story: Signals;
  herWords: string;
  facts: FactValues;
  stepId: string;
  topicIds: string[];
}

const HEATED = /\b(?:shout\w*|yell\w*|scream\w*|rows?|fight\w*|argu\w*|heated|blew up|blow up|wound up|swore|swearing|slamm?\w*|lost it|kicked off)\b/i;
const OWN_FAULT = /\b(?:guilty|regret\w*|my fault|I shouldn[’']?t have|ashamed|I was wrong|overreacted|reacted badly|handled it badly|said the wrong thing|got it wrong|messed up|didn[’']t react well)\b/i;
const CONSEQUENCE = /\b(?:grounded|banned|took (?:his|it|the \w+|away)|taken (?:his|away)|confiscat\w*|consequence|no (?:phone|xbox|wifi|internet))\b/i;

/**
 * A thank-you fits now only when she has told of something good and the line is about it
 * ("he actually laughed" → "I love hearing you laugh like that"); otherwise it waits for next time.
 */
function praiseFitsNow(line: string, s: Story): boolean {
  if (!s.story.wentWell) return false;
  const hers = new Set(termsOf(s.herWords));
  return termsOf(line).some((t) => hers.has(t) && !PRAISE_WORDS.has(t));
}
const PRAISE_WORDS = new Set(termsOf('thanks thank noticed good really time made difference today week lot love proud'));

/** "I'm worried about your sleep" fits a mother who wants him to sleep: the worry is about what she raised. */
function aboutHerConcern(line: string, herWords: string): boolean {
  const m = HER_FEELING.exec(line);
  if (!m || !/^(?:worried|scared|upset)$/i.test(m[1]!)) return false;
  const object = /^\s*(?:about|for)\s+([^.!?]+)/i.exec(line.slice(m.index + m[0].length))?.[1] ?? '';
  const hers = new Set(termsOf(herWords));
  return termsOf(object).some((t) => hers.has(t));
}

/** Whether her words carry a feeling or one of its kin ("upset" is any of them). */
function feels(feeling: string, herWords: string): boolean {
  if (!feeling) return false;
  if (/^upset$/i.test(feeling)) return FEELING_KIN.some((re) => re.test(herWords));
  const kin = FEELING_KIN.find((re) => re.test(feeling));
  return kin ? kin.test(herWords) : herWords.toLowerCase().includes(feeling.toLowerCase());
}

/** Whether her story so far gives a line what it presumes. */
export function presumptionHolds(p: Presumption, line: string, s: Story): boolean {
  switch (p) {
    case 'praise': return praiseFitsNow(line, s) || s.stepId === 'positive';
    case 'her-temper': return s.story.sheLostTemper || HEATED.test(s.herWords);
    case 'his-anger': return s.story.heExploded || s.topicIds.includes('anger-and-slammed-doors');
    case 'damage': return /\b(?:broke|break\w*|smash\w*|threw|thrown|punch\w*|kick\w*|hole in|damag\w*)\b/i.test(s.herWords);
    case 'heated': return s.story.sheLostTemper || s.story.heExploded || HEATED.test(s.herWords);
    case 'reply': return true;
    case 'when': return !namesDaySheDidNotSay(line, s.herWords);
    case 'theft': return /\b(?:stole|stolen|steal\w*|took|taken|taking|purse|wallet|missing)\b/i.test(s.herWords);
    case 'apology': return s.story.sheLostTemper || s.story.wantsRepair || s.story.herMistake || OWN_FAULT.test(s.herWords);
    case 'her-part': case 'after-row': return HEATED.test(s.herWords) || s.story.sheLostTemper || s.story.heExploded || s.story.withdrawn || OWN_FAULT.test(s.herWords) || Boolean(s.facts.ending);
    case 'closer': return CONSEQUENCE.test(s.herWords);
    case 'her-feeling': return feels(HER_FEELING.exec(line)?.[1] ?? '', s.herWords) || aboutHerConcern(line, s.herWords);
    case 'denies-feeling': return !feels(DENIED_FEELING.exec(line)?.[1] ?? '', s.herWords);
    case 'in-progress': return /\b(?:walk\w*|drive|driving|car)\b/i.test(s.herWords);
    case 'his-state': {
      const m = HIS_STATE.exec(line);
      const state = (m?.slice(1).find(Boolean) ?? '').toLowerCase().split(/\s+/).filter((w) => w.length > 3 && !/^(?:about|like|this|that|your|side)$/.test(w));
      return state.some((w) => s.herWords.toLowerCase().includes(w));
    }
  }
}

export type Framing = 'praise' | 'reply' | 'moment';
/** Lines said to him while he is still angry. */
const MID_ANGER = /\byou[’']re(?: really)? angry\b|\bshout back\b/i;

/**
 * The lead a line needs when it is not an opener for the next talk: thanks wait for something
 * to thank, replies wait for him to talk, and lines for a heated moment wait for the next one.
 */
export function framingOf(line: string, s: Story): Framing | undefined {
  const presumes = presumptionsOf(line);
  if (presumes.includes('reply')) return 'reply';
  if (presumes.includes('praise') && !praiseFitsNow(line, s)) return 'praise';
  if (presumes.includes('heated') || MID_ANGER.test(line)) return 'moment';
  return undefined;
}

/** Practices take things for granted too: a time-out presumes rows that heat up; consequences presume a limit in play. */
const PRACTICE_PRESUMES: Array<[RegExp, RegExp]> = [
  [/\btime-out\b|\bpause\b|escalat\w*|boils? over|come back to it later|walk away|calm down|\bbreak\b|winning argument/i, HEATED],
  [/\bapologi\w*|\bsorry\b|\bown (?:it|your part)\b|what you[’']ll try to do next time/i, /\b(?:shout\w*|yell\w*|scream\w*|lost (?:it|my temper)|guilty|regret\w*|sorry|apologi\w*|reacted badly|my fault|wrong|snapped)\b/i],
  [/\bconsequences?\b|\bprivileges?\b|\bgrounding\b|\bfollow through\b|\bgloat\w*/i, /\b(?:rules?|curfew|limits?|consequences?|grounded|banned|punish\w*|took (?:his|it|away)|taken (?:his|away)|confiscat\w*|deal|agreed|late)\b/i],
];

export function practiceFits(practice: string, herWords: string): boolean {
  return PRACTICE_PRESUMES.every(([needs, story]) => !needs.test(practice) || story.test(herWords));
}
