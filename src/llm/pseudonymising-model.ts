import { BoundedMemo } from '../text/bounded-memo.js';
import type { ChatModel, KnownName, ModelInfo, ModelRequest } from './chat-model.js';

/**
 * Keeps the names she writes (her son's, her own, anyone else's) away from the model
 * provider: every request is masked with placeholders such as [SON] or [PERSON_1] before it
 * leaves, and the reply is unmasked on the way back, so she reads the real names and a hosted
 * provider never receives them.
 *
 * Detection is deliberately pattern-based (phrases that introduce or use a name), not "every
 * capitalised word": a masked place or brand costs little, but masking "Today" or the modal
 * "Will" would garble what the model reads.
 */

export interface FoundName {
  /** As she wrote it, e.g. "Jake" or "Mr Patel". */
  name: string;
  /** Relation when a phrase states it (SON, HUSBAND, FRIEND…); otherwise a numbered PERSON. */
  role?: string;
  /**
   * Only seen in weaker patterns ("Things felt…" could be one): masked only where written
   * exactly so, never as a lower-case word elsewhere.
   */
  exact?: boolean;
}

/** A name supplied from outside the text (memory facts, settings). */
export type { KnownName } from './chat-model.js';

const WORD = String.raw`\p{Lu}(?:['’]\p{Lu})?\p{Ll}+(?:\p{Lu}\p{Ll}+)?(?:-\p{Lu}\p{Ll}+)?`;
const TITLE = String.raw`(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?\s+`;
/** One name: a title and surname, or a first name with an optional surname. */
const NAME = String.raw`((?:${TITLE})?${WORD}(?:\s+${WORD})?)`;
/** Names typed in lower case, accepted only right after phrases like "his name is". */
const ANY_CASE_NAME = String.raw`(\p{L}+(?:-\p{L}+)?)`;
const B = String.raw`(?<![\p{L}\p{N}_])`;
const E = String.raw`(?![\p{L}\p{N}_])`;

/** Relation words and the placeholder each one gives the name that follows it. */
const RELATIONS: Record<string, string> = {
  son: 'SON', boy: 'SON', lad: 'SON', stepson: 'STEPSON',
  daughter: 'DAUGHTER', girl: 'DAUGHTER', stepdaughter: 'STEPDAUGHTER',
  teenager: 'CHILD', teen: 'CHILD', kid: 'CHILD', child: 'CHILD',
  husband: 'HUSBAND', wife: 'WIFE', partner: 'PARTNER', boyfriend: 'BOYFRIEND', girlfriend: 'GIRLFRIEND',
  fiance: 'PARTNER', 'fiancé': 'PARTNER', 'fiancée': 'PARTNER', ex: 'EX_PARTNER', 'ex-husband': 'EX_HUSBAND',
  'ex-wife': 'EX_WIFE', 'ex-partner': 'EX_PARTNER',
  mum: 'MOTHER', mom: 'MOTHER', mam: 'MOTHER', mother: 'MOTHER', stepmum: 'STEPMOTHER', stepmom: 'STEPMOTHER',
  stepmother: 'STEPMOTHER', dad: 'FATHER', father: 'FATHER', stepdad: 'STEPFATHER', stepfather: 'STEPFATHER',
  grandmother: 'GRANDMOTHER', grandma: 'GRANDMOTHER', gran: 'GRANDMOTHER', granny: 'GRANDMOTHER', nan: 'GRANDMOTHER',
  nana: 'GRANDMOTHER', nanna: 'GRANDMOTHER', grandfather: 'GRANDFATHER', grandad: 'GRANDFATHER', granddad: 'GRANDFATHER',
  grandpa: 'GRANDFATHER', brother: 'BROTHER', stepbrother: 'STEPBROTHER', 'half-brother': 'BROTHER',
  sister: 'SISTER', stepsister: 'STEPSISTER', 'half-sister': 'SISTER', uncle: 'UNCLE', aunt: 'AUNT', auntie: 'AUNT',
  aunty: 'AUNT', cousin: 'COUSIN', nephew: 'NEPHEW', niece: 'NIECE',
  friend: 'FRIEND', mate: 'FRIEND', pal: 'FRIEND', buddy: 'FRIEND', bestie: 'FRIEND',
  teacher: 'TEACHER', tutor: 'TEACHER', headteacher: 'TEACHER', principal: 'TEACHER', coach: 'COACH',
  counsellor: 'COUNSELLOR', counselor: 'COUNSELLOR', therapist: 'THERAPIST', doctor: 'DOCTOR', gp: 'DOCTOR',
  neighbour: 'NEIGHBOUR', neighbor: 'NEIGHBOUR', boss: 'BOSS', colleague: 'COLLEAGUE', 'social worker': 'SOCIAL_WORKER',
};
/** Her own mother or father, told apart from "his mum" (which is usually her). */
const HER_PARENT: Record<string, string> = { MOTHER: 'HER_MOTHER', FATHER: 'HER_FATHER' };

const RELATION = `(${Object.keys(RELATIONS).sort((a, b) => b.length - a.length).map(escape).join('|')})`;
const POSSESSOR = String.raw`([Mm]y|[Hh]is|[Hh]er|[Oo]ur|[Tt]heir|${WORD}['’]s)`;
const DESCRIBED = String.raw`(?:(?:\d{1,2}[- ]?(?:year[- ]old|yo)|eldest|oldest|youngest|younger|older|little|big|baby|teenage|teen|only|other|middle|best|new|old|late|former|step-?|half-)\s*)*`;

/** Verbs that need a person as their subject: "Jake said", "Faith told me". */
const PERSON_VERBS = String.raw`(?:said|says|told|tells|asked|asks|shouted|yelled|screamed|replied|texted|messaged|cried|laughed|refused|refuses|admitted|promised|lied|lies|swore|apologi[sz]ed|muttered|snapped|whispered|stormed|slammed|hugged|punched|kicked|sighed|grunted|shrugged|smiled|agreed|argued|complained|insisted|explained|thinks|thought|hates|hated|loves|loved|knows|knew|blamed|rolled (?:his|her) eyes)`;
const ADVERB = String.raw`(?:just |then |finally |even |actually |literally |never |always |suddenly |also |only |still |really |basically )?`;
/** Verbs and phrases that take a person as their object: "I told Jake", "angry with Mark". */
const PERSON_OBJECT = String.raw`(?:told|asked|texted|messaged|rang|phoned|hugged|thanked|blamed|said to|talked to|talking to|talk to|spoke to|speak to|speaking to|shouted at|yelled at|screamed at|angry with|upset with|argued with|arguing with|fight with|fighting with|fought with|lives with|living with|stays with|staying with)`;
/** What follows "Jake's" when Jake is a person: his things, people, or "Jake's been…". */
const AFTER_POSSESSIVE = String.raw`(?:room|bedroom|phone|friends?|mum|mom|dad|father|mother|school|teacher|girlfriend|boyfriend|birthday|behaviou?r|grades|attitude|party|house|place|game|games|bike|homework|been|got|gone|never|always|not|just|started|stopped|being|doing|going|getting|fine|okay|ok|upset|angry)`;

/** What a school's name ends with; the whole name is the placeholder's, never its first word alone. */
const SCHOOL_KIND = String.raw`(?:High School|Middle School|Primary School|Secondary School|Grammar School|Elementary School|School|High|Academy|College|Primary|Secondary|Grammar|Elementary|Prep)`;

interface Rule {
  pattern: RegExp;
  /** A multi-word name kept whole (a school): not trimmed, no first-word alias. */
  whole?: boolean;
  /** Which capture group holds the name. */
  group: number;
  role: (match: RegExpExecArray) => string | undefined;
  /** Accept names typed in lower case (only after an explicit "his name is"). */
  anyCase?: boolean;
  /** A pattern a capitalised common word can also fit: its names are matched exactly. */
  weak?: boolean;
}

const relationRole = (possessor: string | undefined, relation: string | undefined): string | undefined => {
  const role = RELATIONS[(relation ?? '').toLowerCase()];
  if (!role) return undefined;
  return possessor?.toLowerCase() === 'my' ? HER_PARENT[role] ?? role : role;
};

const RULES: Rule[] = [
  // "my son Jake", "his friend Tom", "my 15-year-old son, Jake"
  { pattern: rx(String.raw`${B}${POSSESSOR}\s+${DESCRIBED}${RELATION},?\s+${NAME}${E}`), group: 3, role: (m) => relationRole(m[1], m[2]) },
  // "Jake, my son, …" and "Jake (my son)"
  { pattern: rx(String.raw`${B}${NAME}(?:,\s+|\s+\()${POSSESSOR}\s+${DESCRIBED}${RELATION}\s*[,.)]`), group: 1, role: (m) => relationRole(m[2], m[3]) },
  // Herself: "I'm Sarah,", "my name is Sarah", "Sarah here"
  { pattern: rx(String.raw`${B}(?:I['’]?m|I am)\s+${NAME}(?=\s*(?:[,.;:!?)—–-]|$|and\b|here\b|by the way\b))`), group: 1, role: () => 'MOTHER' },
  { pattern: rx(String.raw`${B}(?:[Mm]y name is|[Mm]y name['’]s|[Cc]all me|I['’]m called|I am called)\s+${ANY_CASE_NAME}${E}`), group: 1, role: () => 'MOTHER', anyCase: true },
  { pattern: rx(String.raw`^\s*${NAME}\s+here\s*[,—–-]`, 'm'), group: 1, role: () => 'MOTHER' },
  // Naming him: "his name is Jake", "he's called Jake"
  { pattern: rx(String.raw`${B}(?:[Hh]is name is|[Hh]is name['’]s|[Hh]e is called|[Hh]e['’]s called|[Mm]y son is called|[Mm]y son['’]s name is)\s+${ANY_CASE_NAME}${E}`), group: 1, role: () => 'SON', anyCase: true },
  { pattern: rx(String.raw`${B}(?:named|called)\s+${NAME}${E}`), group: 1, role: () => undefined, weak: true },
  // A person doing or being done to: "Jake said", "I told Tom", "Jake's room", "me and Jake"
  { pattern: rx(String.raw`${B}${NAME}\s+${ADVERB}${PERSON_VERBS}${E}`), group: 1, role: () => undefined, weak: true },
  { pattern: rx(String.raw`${B}${PERSON_OBJECT}\s+${NAME}${E}`), group: 1, role: () => undefined, weak: true },
  { pattern: rx(String.raw`${B}${NAME}['’]s\s+${AFTER_POSSESSIVE}${E}`), group: 1, role: () => undefined, weak: true },
  { pattern: rx(String.raw`${B}${NAME}\s+and\s+(?:I|me)${E}`), group: 1, role: () => undefined, weak: true },
  { pattern: rx(String.raw`${B}(?:[Mm]e|I)\s+and\s+${NAME}${E}`), group: 1, role: () => undefined, weak: true },
  // A title makes a name whatever follows: "Mr Okafor rang", "Mrs Dale from school"
  { pattern: rx(String.raw`${B}(${TITLE}${WORD}(?:-${WORD})?)${E}`), group: 1, role: () => undefined },
  // Schools: "Oakwood High", "St Mary's", "Riverside Academy", "Hill Park Primary School"
  { pattern: rx(String.raw`${B}((?:(?:St|Saint)\.?\s+)?${WORD}(?:['’]s)?(?:\s+${WORD}){0,2}\s+${SCHOOL_KIND})${E}`), group: 1, role: () => 'SCHOOL', whole: true },
  { pattern: rx(String.raw`${B}((?:St|Saint)\.?\s+${WORD}['’]s)${E}`), group: 1, role: () => 'SCHOOL', whole: true },
  // Speaking to someone: "Jake, can we talk…" at the start of a message or sentence, "Hi Jake", "Thanks Jake"
  { pattern: rx(String.raw`(?:^|[.!?…]\s+|\n\s*)${NAME},\s`, 'm'), group: 1, role: () => undefined, weak: true },
  { pattern: rx(String.raw`${B}(?:[Hh]i|[Hh]ey|[Hh]ello|[Dd]ear|[Tt]hanks|[Ss]orry|[Oo]h)\s+${NAME}${E}`), group: 1, role: () => undefined, weak: true },
];

/** Relations whose name she may type in lower case ("my son jayden said…"). */
const CLOSE_RELATION = String.raw`(son|stepson|daughter|stepdaughter|husband|wife|partner|boyfriend|girlfriend|ex|friend|brother|sister|mum|mom|dad)`;
/** What may follow a lower-case name right after "my son": a verb of his, or the end of the clause. */
const AFTER_LOWER_NAME = String.raw`(?=\s*(?:[,.;:!?)]|$)|\s+(?:is|was|has|had|and|who|keeps|will|would|won['’]t|doesn['’]t|didn['’]t|can['’]t|isn['’]t|${PERSON_VERBS})${E})`;
/** Sign-off words: the name after one, at the end of her message, is hers. */
const SIGN_OFF = String.raw`(?:[Tt]hanks|[Tt]hank you|[Tt]hanks again|[Cc]heers|[Ll]ove|[Bb]est|[Bb]est wishes|[Kk]ind regards|[Rr]egards|[Ww]armly|[Tt]hanks so much|[Mm]any thanks)`;
/** Words that can follow a sign-off but are not a name. */
const NOT_SIGNATURES = new Set(['bye', 'again', 'everyone', 'all', 'mend', 'you', 'so', 'much', 'lots', 'x', 'xx', 'xxx']);
/** Being with someone: "went out with Tyler", "staying at Liam's". */
const PERSON_COMPANY = String.raw`(?:out with|went out with|going out with|hanging out with|hangs out with|hung out with|playing with|plays with|played with|friends with|mates with|sleeping over at|stayed over at|staying over at|round at|over at|stayed at|staying at|dating|seeing)`;

/** Further patterns: lower-case names after a close relation, sign-offs, company, and pairs of names. */
const MORE_RULES: Rule[] = [
  // "my son jayden said…", "my friend liam, who…"
  { pattern: rx(String.raw`${B}([Mm]y|[Hh]is|[Hh]er|[Oo]ur)\s+${DESCRIBED}${CLOSE_RELATION},?\s+(\p{Ll}+)${AFTER_LOWER_NAME}`), group: 3, role: (m) => relationRole(m[1], m[2]), anyCase: true },
  // "Thanks, Sarah" / "Love, sarah x" at the end of her message
  { pattern: rx(String.raw`(?:^|[.!?\n]\s*)${SIGN_OFF}[,!.]?\s+(\p{L}+(?:-\p{L}+)?)\s*[.!x]*\s*$`), group: 1, role: () => 'MOTHER', anyCase: true },
  // "went out with Tyler and Liam", "staying at Liam's"
  { pattern: rx(String.raw`${B}${PERSON_COMPANY}\s+${NAME}${E}`), group: 1, role: () => undefined, weak: true },
  // The second of two names joined by "and": "Tyler and Liam", "with Tyler, Liam and Sam"
  { pattern: rx(String.raw`${B}${NAME}(?:,\s+${WORD})*\s+(?:and|&)\s+${NAME}${E}`), group: 2, role: () => undefined, weak: true },
  { pattern: rx(String.raw`${B}(?:with|and|or|to|from|like|at)\s+${NAME}(?=(?:,\s+${WORD})*\s+(?:and|&)\s+${WORD}${E})`), group: 1, role: () => undefined, weak: true },
  // The middle of a list of names: "Tyler, Liam and Noah"
  { pattern: rx(String.raw`(?<=${WORD},\s+)${NAME}(?=(?:,\s+${WORD})*\s+(?:and|&)\s+${WORD}${E})`), group: 1, role: () => undefined, weak: true },
];

/** Capitalised words that these patterns can meet but that are never names. */
const NOT_NAMES = new Set(`
I Im He She It We They You Me Him Her Us Them My His Its Our Their Your This That These Those The A An Some Any All
Every Each No None Nobody Noone Nothing Everyone Everybody Everything Someone Somebody Something Anyone Anybody Anything
Who What When Where Why How Which Whatever Whoever There Here Then Now And But Or So If Because Since After Before While
Though Although Also Just Only Even Still Yet Again Always Never Sometimes Often Maybe Perhaps Please Thanks Thank Sorry
Yes Yeah Ok Okay Well Oh Hi Hey Hello Dear Honestly Actually Basically Literally Anyway Apparently Obviously
Unfortunately Luckily Finally Suddenly Later Earlier Today Tonight Tomorrow Yesterday Morning Afternoon Evening Night
Weekend Week Month Year Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March September
October November December Christmas Easter Halloween Thanksgiving Diwali Eid Ramadan Hanukkah God Jesus Lord Mend
Mum Mom Mam Mummy Mommy Mother Dad Daddy Father Son Daughter Brother Sister Grandma Granny Gran Nan Nana Grandad
Grandpa Grandmother Grandfather Aunt Auntie Uncle Cousin Husband Wife Partner Teacher Sir Coach Doctor Doc Police
School College University Uni Homework Maths Math English Science History Geography French Spanish German Music Drama
Xbox PlayStation Playstation Nintendo Fortnite Minecraft Roblox TikTok Instagram Snapchat YouTube Discord WhatsApp
Facebook Netflix Google Apple Android Internet Covid Step Steps Not Is Was Are Were Has Had Have Do Does Did Can
Could Would Should Shall Might Must Let Lets Being Getting Going Trying Feeling Tired Angry Upset Fine Good Great Bad
Sad Happy Done Back Home Out Up Down In On At To For With Without About From Into Of Off Over Under Like Than As By
Help Love Hate Talk Listen Stop Look Wait Really Very Too More Most Much Many Lot Lots First Second Last Next Other
Another Both Same Different Own Mine Yours Ours Theirs Hers Himself Herself Myself Ourselves Themselves Yourself Alone
Together Dinner Breakfast Lunch Bed Bedroom Room Phone Car Game Games Party Friends Friend Boy Girl Kids Kid Teen
Teens Teenager Teenagers People Family Parent Parents Children Child Ai Siri Alexa Chatgpt System Assistant
User Ignore Print Reveal Pretend Act Say Tell Ask Said Told Asked Exhausted Worried Scared Lost Stuck Broken Fed Sick
Irish Polish Scottish Welsh British Italian Dutch American Canadian Australian Indian Pakistani Muslim Jewish Christian
Catholic Protestant Hindu Sikh Buddhist Autistic Single Divorced Separated Widowed Pregnant Either Neither Whichever Struggling Desperate Furious Heartbroken Confused Overwhelmed Devastated Frustrated Ashamed Guilty Afraid Hurt Sure Glad
Right Alright Cool Wow Seriously Ugh Um Uh Hmm Ah Darling Sweetheart Sweetie Babe Kiddo Buddy Mate Dude Bro Guys Everyone
Remember Listen Look Sorry Thanks Honey Love Also Besides Plus Meanwhile Otherwise Instead Therefore However Again Still
`.split(/\s+/).filter(Boolean));

/**
 * Names that are also everyday words. They count as names only in a name pattern, and
 * when masking, a sentence-initial one ("Will he ever…", "Hope is…") is left alone unless
 * something after it marks a person ("Will said").
 */
const WORD_NAMES = new Set(`
Will Hope Faith Grace Joy Charity Patience Prudence Mercy Constance Honor Honour May June April August Mark Rose Bill
Jack Frank Grant Miles Chase Hunter Sky Autumn Summer Winter Ray Guy Don Sue Pat Rob Art Gene Dean Ivy Holly Daisy
Poppy Amber Ruby Pearl Jade Crystal Olive Ginger Honey Sunny Candy Angel Star Storm River Rain Reed Heath Forest Glen
Cliff Dale Brook Wade Lane Page Buck Bob Bud Nick Kit Sandy Rusty Rocky Sonny Penny Dawn Iris Lily Skye Max Drew Bear
`.split(/\s+/).filter(Boolean));

/** Every name the patterns find in these texts, in order of first appearance, with roles where stated. */
export function findNames(texts: string[]): FoundName[] {
  return mergeNames(texts.flatMap((text) => NAMES_OF_TEXT.get(text, namesInOneText)));
}

/**
 * Her earlier messages are read again at every turn (and system text at every request), so
 * each text's sightings are worked out once. Texts up to a long message's length are kept.
 */
const NAMES_OF_TEXT = new BoundedMemo<readonly FoundName[]>(4_000, 20_000);

/** The sightings in one text, in the order they appear. */
function namesInOneText(text: string): FoundName[] {
  const hits: Array<{ at: number; found: FoundName }> = [];
  // A shouted message ("JAYDEN SAID…") is also read with its words in title case.
  for (const read of SHOUTED.test(text) ? [text, unshout(text)] : [text]) {
    for (const rule of ALL_RULES) {
      for (const match of read.matchAll(rule.pattern)) {
        if (NOT_SIGNATURES.has((match[rule.group] ?? '').toLowerCase())) continue;
        const name = rule.whole ? cleanSchool(match[rule.group]) : cleanName(match[rule.group], rule.anyCase === true);
        if (!name) continue;
        const role = rule.role(match as RegExpExecArray);
        hits.push({ at: match.index, found: { name, ...(role ? { role } : {}), ...(rule.weak ? { exact: true } : {}) } });
      }
    }
  }
  return hits.sort((a, b) => a.at - b.at).map((h) => h.found);
}

/** Every rule with its pattern made global once, for matchAll (which copies it, so sharing is safe). */
const ALL_RULES: Rule[] = [...RULES, ...MORE_RULES].map((rule) => ({ ...rule, pattern: new RegExp(rule.pattern.source, `${rule.pattern.flags}g`) }));

const SHOUTED = /(?<![\p{L}])\p{Lu}{3,}(?![\p{L}])/u;

/**
 * "JAYDEN SAID I NEVER LISTEN" → "Jayden said i never listen": shouted words are read in lower
 * case, and a word a person verb follows gets its capital back, so the name patterns see it.
 */
function unshout(text: string): string {
  const lowered = text.replace(/(?<![\p{L}])\p{Lu}{2,}(?![\p{L}])/gu, (word) => word.toLowerCase());
  return lowered.replace(SHOUTED_SUBJECT, (_m, first: string, rest: string) => first.toUpperCase() + rest);
}
const SHOUTED_SUBJECT = new RegExp(String.raw`${B}(\p{Ll})(\p{Ll}+)(?=\s+${ADVERB}${PERSON_VERBS}${E})`, 'gu');

/** One entry per name (case-insensitive), first spelling kept; a stated role and a strong sighting win. */
export function mergeNames(names: FoundName[]): FoundName[] {
  const merged = new Map<string, FoundName>();
  for (const n of names) {
    const key = n.name.toLowerCase();
    const existing = merged.get(key);
    if (!existing) merged.set(key, { ...n });
    else {
      if (!existing.role && n.role) existing.role = n.role;
      if (!n.exact) delete existing.exact;
    }
  }
  return [...merged.values()];
}

/** Drops captures that are not names; trims a trailing capitalised non-name ("Jake Today" → "Jake"). */
function cleanName(raw: string | undefined, anyCase: boolean): string | undefined {
  if (!raw) return undefined;
  const words = raw.trim().split(/\s+/);
  if (!anyCase && !/^\p{Lu}/u.test(words[0]!)) return undefined;
  if (words.length === 2 && !/^(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?$/.test(words[0]!) && NOT_NAMES.has(words[1]!)) words.pop();
  const first = words[0]!;
  const head = first[0]!.toUpperCase() + first.slice(1);
  if (NOT_NAMES.has(head) || first.length < 2 || raw.length > 40) return undefined;
  if (anyCase && first === first.toLowerCase() && WORD_NAMES.has(head)) return undefined;
  return words.join(' ');
}

function cleanSchool(raw: string | undefined): string | undefined {
  const name = raw?.trim().replace(/\s+/g, ' ');
  if (!name || name.length > 60) return undefined;
  const first = name.split(' ')[0]!;
  // "The High School", "His School": a description, not a name.
  return NOT_NAMES.has(first) && !/^(?:St|Saint)\.?$/.test(first) ? undefined : name;
}

interface Entry {
  name: string;
  label: string;
  /** Introduced with a relation ("his dad Mark"): used as a name even at a sentence start. */
  related: boolean;
  /** Matched only as written (a name that is also a word, or one seen only in weak patterns). */
  exact: boolean;
  /** A name that is also a word: not masked at a bare sentence start ("Will he…"). */
  wordLike: boolean;
}

/**
 * A consistent mapping between names and placeholders for one request. The same name always
 * gets the same placeholder; a role taken by another name gets a number ([SON_2]).
 */
export class Pseudonymiser {
  private readonly entries: Entry[] = [];
  private readonly labels = new Map<string, string>();
  private readonly matcher: RegExp | undefined;

  constructor(names: FoundName[]) {
    const ordered = [...names.filter((n) => n.role), ...names.filter((n) => !n.role)];
    let people = 0;
    for (const { name, role, exact } of ordered) {
      if (this.entries.some((e) => e.name.toLowerCase() === name.toLowerCase())) continue;
      const label = role ? this.freeLabel(role) : `PERSON_${++people}`;
      this.add(name, label, exact === true, Boolean(role));
      const first = name.split(/\s+/)[0]!;
      const titled = /^(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|St|Saint)\.?$/.test(first);
      if (!titled && role !== 'SCHOOL' && first !== name && !NOT_NAMES.has(first)) this.add(first, label, exact === true, Boolean(role), false);
    }
    const alternatives = this.entries.map((e) => e.name).sort((a, b) => b.length - a.length).map((n) => escape(n).replace(/\s+/g, String.raw`\s+`));
    this.matcher = alternatives.length ? new RegExp(`${B}(?:${alternatives.join('|')})${E}`, 'giu') : undefined;
  }

  /**
   * Names for a whole request: her messages and the replies first, then system text, whose
   * names (a worked example in the knowledge base) are masked but never given a relation, so
   * "Liam" from an example can never become her son's [SON].
   */
  static forRequest(request: ModelRequest, known: KnownName[] = []): Pseudonymiser {
    const of = (roles: string[]) => request.messages.filter((m) => roles.includes(m.role)).map((m) => m.content);
    const given = known.map((k) => (typeof k === 'string' ? { name: k } : k)).map((k) => ({ ...k, name: k.name.trim() })).filter((k) => k.name.length >= 2);
    const system = findNames(of(['system'])).map(({ role: _role, ...rest }) => rest);
    return new Pseudonymiser(mergeNames([...given, ...findNames([...of(['user']), ...of(['assistant'])]), ...system]));
  }

  /** Finds names in the texts and adds the known ones (known first, so their roles win). */
  static fromTexts(texts: string[], known: KnownName[] = []): Pseudonymiser {
    const given = known.map((k) => (typeof k === 'string' ? { name: k } : k)).map((k) => ({ ...k, name: k.name.trim() })).filter((k) => k.name.length >= 2)
      .map(({ exact, ...k }) => (exact ? { ...k, exact } : k));
    return new Pseudonymiser(mergeNames([...given, ...findNames(texts)]));
  }

  /** Placeholder → the name it stands for. */
  get mapping(): ReadonlyMap<string, string> {
    return this.labels;
  }

  mask(text: string): string {
    if (!this.matcher) return text;
    return text.replace(this.matcher, (match, offset: number) => {
      const entry = this.entryFor(match);
      if (!entry) return match;
      const spelled = match.replace(/\s+/g, ' ');
      if (entry.exact && spelled !== entry.name && spelled !== entry.name.toUpperCase()) return match;
      if (entry.wordLike && atSentenceStart(text, offset) && !personFollows(text, offset + match.length)
        && !(entry.related && !wordFollows(text, offset + match.length))) return match;
      return `[${entry.label}]`;
    });
  }

  /**
   * Placeholders back to names. One the model misspelt ("[son]", "[PERSON1]", "[ SON ]") is
   * restored when it matches one of ours; one that looks like ours but stands for nobody
   * ("[PERSON_9]", "[TEACHER]" when none was masked) is removed, never shown raw.
   */
  unmask(text: string): string {
    return text.replace(/\[\s*([A-Za-z][A-Za-z0-9_ -]{0,30}?)\s*\]/g, (match, label: string) => {
      const exact = this.labels.get(label.toUpperCase());
      if (exact) return exact;
      const key = placeholderKey(label);
      for (const [known, name] of this.labels) if (placeholderKey(known) === key) return name;
      const shape = PLACEHOLDER_SHAPE.exec(label.toUpperCase().replace(/[ -]/g, '_'));
      return shape ? GENERIC_WORDS[shape[1]!] ?? '' : match;
    }).replace(/ {2,}(?=\S)/g, ' ').replace(/ +([,.!?;:])/g, '$1');
  }

  streamingUnmasker(): StreamingUnmasker {
    return new StreamingUnmasker((text) => this.unmask(text));
  }

  private add(name: string, label: string, exact: boolean, related: boolean, display = true): void {
    const wordLike = WORD_NAMES.has(name);
    this.entries.push({ name, label, related, wordLike, exact: exact || wordLike });
    if (display && !this.labels.has(label)) this.labels.set(label, label.startsWith('SCHOOL') ? name : displayName(name));
  }

  private entryFor(match: string): Entry | undefined {
    const normal = match.replace(/\s+/g, ' ').toLowerCase();
    return this.entries.find((e) => e.name.toLowerCase() === normal);
  }

  private freeLabel(role: string): string {
    if (!this.labels.has(role)) return role;
    for (let n = 2; ; n++) if (!this.labels.has(`${role}_${n}`)) return `${role}_${n}`;
  }
}

/** Every label we hand out: relation roles, HER_…, PERSON and SCHOOL, with an optional number. */
const LABEL_WORDS = new Set([...Object.values(RELATIONS), ...Object.values(HER_PARENT), 'PERSON', 'SCHOOL']);
const PLACEHOLDER_SHAPE = new RegExp(`^(${[...LABEL_WORDS].join('|')})(?:_?\\d+)?$`);
/** What stands in for a placeholder that names nobody she mentioned: plain words, not a gap. */
const GENERIC_WORDS: Record<string, string> = {
  SON: 'your son', CHILD: 'your child', DAUGHTER: 'your daughter', MOTHER: 'you', FATHER: 'his dad', HUSBAND: 'your husband',
  PARTNER: 'your partner', EX_PARTNER: 'his other parent', TEACHER: 'his teacher', SCHOOL: 'his school', FRIEND: 'his friend',
  BROTHER: 'his brother', SISTER: 'his sister', PERSON: 'them',
};

/** A label with case, spaces, underscores and a "_1"-style suffix written loosely, for matching. */
function placeholderKey(label: string): string {
  // The first of a role has no number, so "SON_1" is "SON"; likewise "PERSON" is "PERSON_1".
  return label.toUpperCase().replace(/[^A-Z0-9]/g, '').replace(/(?<=[A-Z])1$/, '');
}

/** What she reads back: the first name for a full name ("Mark Jones" → "Mark"), a titled name whole. */
function displayName(name: string): string {
  return /^(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?\s/.test(name) ? name : name.split(/\s+/)[0]!;
}

/** Longest placeholder we hold back for; anything longer cannot be one of ours. */
const MAX_PLACEHOLDER = 32;
const PARTIAL_PLACEHOLDER = new RegExp(`^\\[[A-Za-z0-9_ -]{0,${MAX_PLACEHOLDER}}$`);

/**
 * Unmasks a stream. A placeholder can arrive split across chunks ("[SO" + "N]"), so text from
 * an unclosed "[" that could still become a placeholder is held back until it is decided.
 */
export class StreamingUnmasker {
  private held = '';

  constructor(private readonly unmask: (text: string) => string) {}

  push(delta: string): string {
    const text = this.held + delta;
    const open = text.lastIndexOf('[');
    if (open >= 0 && PARTIAL_PLACEHOLDER.test(text.slice(open))) {
      this.held = text.slice(open);
      return this.unmask(text.slice(0, open));
    }
    this.held = '';
    return this.unmask(text);
  }

  flush(): string {
    const rest = this.unmask(this.held);
    this.held = '';
    return rest;
  }
}

export interface PseudonymisingOptions {
  /** Names known from outside the text for this request, besides the request's own `knownNames`. */
  names?: (request: ModelRequest) => KnownName[];
}

/** A ChatModel decorator: masks every request's messages, unmasks the streamed reply. */
export class PseudonymisingModel implements ChatModel {
  readonly info: ModelInfo;

  constructor(private readonly inner: ChatModel, private readonly options: PseudonymisingOptions = {}) {
    this.info = inner.info;
  }

  async *stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<string> {
    const known = [...(request.knownNames ?? []), ...(this.options.names?.(request) ?? [])];
    const names = Pseudonymiser.forRequest(request, known);
    const masked: ModelRequest = { ...request, messages: request.messages.map((m) => ({ ...m, content: names.mask(m.content) })) };
    const unmasker = names.streamingUnmasker();
    try {
      for await (const delta of this.inner.stream(masked, signal)) {
        const text = unmasker.push(delta);
        if (text) yield text;
      }
    } catch (error) {
      // What was held back is part of what she already half-saw; keep it before the failure.
      const rest = unmasker.flush();
      if (rest) yield rest;
      throw error;
    }
    const rest = unmasker.flush();
    if (rest) yield rest;
  }
}

function atSentenceStart(text: string, offset: number): boolean {
  const before = text.slice(0, offset);
  return !/\S/.test(before) || /(?:[.!?…]["'”’)]?\s+|\n\s*|["“(]\s*)$/.test(before.slice(-8));
}

function personFollows(text: string, offset: number): boolean {
  // "Mark said", "Mark's room", "Mark and I", and a verb with a person after it: "Mark lets him", "Will takes her".
  return new RegExp(String.raw`^(?:['’]s${E}|\s+and\s+(?:I|me)${E}|\s+${ADVERB}${PERSON_VERBS}${E}|\s+${ADVERB}\p{Ll}+s\s+(?:him|her|me|us|them|my|his|our)${E})`, 'u').test(text.slice(offset, offset + 40));
}

/** "Will you…", "Mark my words", "Hope this…": after these the capitalised word is the everyday one. */
function wordFollows(text: string, offset: number): boolean {
  return new RegExp(String.raw`^\s+(?:I|you|he|she|it|we|they|this|that|these|those|my|your|the|a|an|there|so|not)${E}`, 'iu').test(text.slice(offset, offset + 16));
}

function rx(source: string, flags = ''): RegExp {
  return new RegExp(source, `u${flags}`);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The names in these texts (her earlier messages), as names known to every request of the turn. */
export function namesIn(texts: readonly string[]): KnownName[] {
  return findNames([...texts]).map((n) => ({ name: n.name, ...(n.role ? { role: n.role } : {}), ...(n.exact ? { exact: true } : {}) }));
}

/**
 * A model whose every request also knows these texts' names, found once, and any names known
 * from before them (`older`, read at the first request): a name she gave twenty messages ago
 * ("I'm Sarah") stays masked after it leaves the recent window.
 */
export function withNamesFrom(model: ChatModel, texts: readonly string[], older?: () => KnownName[]): ChatModel {
  let names: KnownName[] | undefined;
  return {
    info: model.info,
    stream: (request, signal) => model.stream({ ...request, knownNames: [...(request.knownNames ?? []), ...(names ??= [...(older?.() ?? []), ...namesIn(texts)])] }, signal),
  };
}
