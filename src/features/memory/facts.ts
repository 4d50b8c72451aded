import type { TopicMatcher } from '../../knowledge/topic-matcher.js';

/** What Mend may remember about her situation, in the order she sees it. */
export const FACT_KEYS = ['son_name', 'son_age', 'topics', 'he_said', 'ending', 'feeling', 'tried', 'wants'] as const;
export type FactKey = (typeof FACT_KEYS)[number];

export const FACT_LABELS: Record<FactKey, string> = {
  son_name: 'His name',
  son_age: 'His age',
  topics: 'What the arguments are about',
  he_said: 'What he said',
  ending: 'How it ended',
  feeling: 'How you feel',
  tried: 'What you have tried',
  wants: 'What you want now',
};

export interface Fact {
  key: FactKey;
  label: string;
  value: string;
}

export type FactValues = Partial<Record<FactKey, string>>;

export const FACT_MAX_CHARS = 200;
/** Facts that collect several items over a conversation instead of being replaced. */
export const LIST_FACTS: ReadonlySet<FactKey> = new Set(['topics', 'tried']);
export const LIST_LIMIT: Record<'topics' | 'tried', number> = { topics: 4, tried: 3 };

/** Capitalised words that follow "my son" but are not names. */
const NOT_NAMES = new Set(`He She I My Mum Mom Dad Mother Father Son Boy The And But So When Then Today Tonight Yesterday
Monday Tuesday Wednesday Thursday Friday Saturday Sunday Christmas Easter God Mend It This That Is Has Was Who What
Why How Always Never Just Also Sorry Please Thanks Hi Hello Maths Math English Science History French Spanish School`.split(/\s+/));

const NUMBER_WORDS: Record<string, number> = {
  ten: 10, eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17,
  eighteen: 18, nineteen: 19, twenty: 20,
};
const AGE = String.raw`(\d{1,2}|${Object.keys(NUMBER_WORDS).join('|')})`;
const NAME = String.raw`([A-Z][a-z]+(?:-[A-Z][a-z]+)?)`;

const NAME_PATTERNS: RegExp[] = [
  new RegExp(String.raw`\b[Mm]y (?:\d{1,2}|${Object.keys(NUMBER_WORDS).join('|')})[- ]?(?:year[- ]old|yo) ${NAME}\b`),
  new RegExp(String.raw`\b[Mm]y (?:(?:\d{1,2}|${Object.keys(NUMBER_WORDS).join('|')})[- ]?(?:year[- ]old |yo )?|teenage |teen |eldest |oldest |youngest |younger |older |only |little |big )?(?:son|boy|lad|teenager|kid)(?:,)? ${NAME}\b`),
  new RegExp(String.raw`\b(?:his name is|his name's|he is called|he's called|my son is called|my son's name is|named) ([A-Za-z]+(?:-[A-Za-z]+)?)`, 'i'),
  new RegExp(String.raw`\b${NAME} \(\s*\d{1,2}\s*\)`),
  new RegExp(String.raw`\b${NAME}, (?:who is |who's |aged )?\d{1,2}\b`),
  new RegExp(String.raw`\b${NAME} (?:is|was|just turned|turned|has just turned) \d{1,2}\b`),
  new RegExp(String.raw`\b${NAME}['’]s \d{1,2}\b`),
  // "Ethan, he's 15." and "He's 14, Noah."
  new RegExp(String.raw`\b${NAME}, he(?:'s|’s| is) \d{1,2}\b`),
  new RegExp(String.raw`\b[Hh]e(?:'s|’s| is) \d{1,2},? ${NAME}\b`),
];

const AGE_PATTERNS: RegExp[] = [
  new RegExp(String.raw`\b[A-Z][a-z]+ \(\s*(\d{1,2})\s*\)`),
  new RegExp(String.raw`\b${AGE}[- ](?:year|yr)s?[- ]old\b`, 'i'),
  new RegExp(String.raw`\bhe(?:'s| is| was) (?:only |just |nearly |almost |now )?${AGE}\b(?! (?:minutes|hours|days|weeks|months|times|percent|%|quid|pounds|dollars|euros|o'clock))`, 'i'),
  new RegExp(String.raw`\b(?:aged|just turned|turned) ${AGE}\b`, 'i'),
  new RegExp(String.raw`\b[A-Z][a-z]+, (?:who is |who's |aged )?(\d{1,2})\b`),
  new RegExp(String.raw`\b(?:my son|[A-Z][a-z]+) is ${AGE}\b(?! (?:minutes|hours|days|weeks|months))`),
  // "my son have 15 years" (second-language English)
  new RegExp(String.raw`\b(?:he|my son|[A-Z][a-z]+) (?:has|have|is having) ${AGE} years\b`, 'i'),
  // "Liam's 16 and…"
  new RegExp(String.raw`\b[A-Z][a-z]+['’]s ${AGE}\b(?! (?:minutes|hours|days|weeks|months|times|percent|%|quid|pounds|dollars|euros|o'clock))`),
];

/** Clause patterns; each match runs to the end of its clause. */
const CLAUSES: Record<'he_said' | 'ending' | 'feeling' | 'tried' | 'wants', RegExp[]> = {
  he_said: [
    /\b(?:he|[Hh]e|[Mm]y son|[A-Z][a-z]+) (?:just |then |even |actually |literally )?(?:said|says|told (?:me|her|him|them|us)|called (?:me|her|him|them)|shouted|yelled|screamed|snapped|swore at (?:me|her|him|them)|muttered|replied|kept saying|accused me)\b/,
  ],
  ending: [
    /\b(?:he |and |then )?(?:slammed|slams|banged) (?:the|his|a|my) (?:bedroom |front |car )?door\b/i,
    /\b(?:he |and |then )?(?:stormed|walked|ran|went) (?:off|out|away|upstairs)\b/i,
    /\b(?:he |and |then )?(?:went|stomped|disappeared|retreated) (?:up )?(?:to|into) his room\b/i,
    /\b(?:he |and |then )?(?:hung up|left the house|locked himself in|shut himself in|put his (?:headphones|earphones|earbuds) (?:in|on))\b/i,
    /\b(?:he |we )?(?:hasn't|hasnt|haven't|havent|has not|have not|didn't|won't|wont) (?:spoken|talked|said a word|speak|talk)(?: to me| to each other)?\b/i,
    /\b(?:it |we )?ended (?:up )?(?:in|with) \w+/i,
    /\bwe (?:ended up|were both|were) (?:shouting|screaming|yelling)\b/i,
    /\b(?:she|i|my mother|his grandmother|his gran|his nan|grandma) (?:was|were|ended up) in tears\b/i,
  ],
  feeling: [
    /\bI (?:feel|felt|am feeling|'m feeling|was feeling)\b/i,
    /\bI(?:'m| am| was) (?:so |really |just |completely |totally |absolutely |a bit |quite |very |pretty |honestly )*(?:hurt|angry|furious|exhausted|tired|worried|scared|frightened|guilty|ashamed|sad|heartbroken|lost|helpless|hopeless|frustrated|upset|embarrassed|humiliated|useless|lonely|anxious|stressed|overwhelmed|devastated|drained|disappointed|gutted|mortified|betrayed|shocked|livid|crushed|awful|terrible|horrible|miserable|broken|desperate|beside myself|at a loss|at my wits'? end|worn out|fed up|sick of)\b/i,
    /\b(?:it|that) (?:really )?(?:hurt|hurts|stung|stings|broke my heart)\b/i,
    /\bI (?:cried|was in tears|couldn't stop crying)\b/i,
  ],
  tried: [
    /\bI(?:'ve| have)? (?:already |also |even |really )?tried\b/i,
    /\bI(?:'ve| have)? (?:already )?(?:took|taken|take) (?:away )?his \w+/i,
    /\bI(?:'ve| have)? (?:already )?grounded him\b/i,
    /\bI(?:'ve| have) (?:already )?(?:talked|spoken|written|left (?:him )?a note|sent (?:him )?a (?:text|message)|apologi[sz]ed|said sorry)\b/i,
  ],
  wants: [
    /\bI (?:just |really |only |honestly )?(?:want|wish|hope|need) (?:us|him|things|to|for|that|my son|[A-Z][a-z]+ to)\b/,
    /\bI(?:'d| would) (?:really )?(?:love|like) (?:us|him|things|to|for)\b/i,
    /\ball I (?:want|need) is\b/i,
    /\bI don't want to (?:lose|fight|argue|push)\b/i,
  ],
};

/** Ends a clause: sentence end, a semicolon, or a turn like "but", "when", "because". */
const CLAUSE_END = /[.!?;\n]| but | when | because | so that | until | after | while |, (?:and |then |but |so )?(?:i|he|we|she)\b| and (?:then )?(?:i|he|we|she|slammed|stormed|walked|went|told|called|said|shouted)\b/i;

/** Facts stated in one message of hers. Deterministic: the same words always give the same facts. */
export function extractFacts(text: string, topics?: Pick<TopicMatcher, 'match'>): FactValues {
  const found: FactValues = {};
  const name = nameIn(text);
  if (name) found.son_name = name;
  const age = ageIn(text);
  if (age) found.son_age = String(age);
  for (const key of ['he_said', 'ending', 'feeling', 'tried', 'wants'] as const) {
    const clauses = clausesIn(text, CLAUSES[key]);
    if (clauses.length) found[key] = clip(key === 'tried' ? clauses.join('; ') : clauses[0]!);
  }
  const matched = topics?.match(text) ?? [];
  if (matched.length) found.topics = matched.slice(0, LIST_LIMIT.topics).map((m) => m.doc.title).join(', ');
  return found;
}

export function nameIn(text: string): string | undefined {
  for (const pattern of NAME_PATTERNS) {
    const raw = pattern.exec(text)?.[1];
    if (!raw) continue;
    const name = raw[0]!.toUpperCase() + raw.slice(1);
    if (!NOT_NAMES.has(name) && name.length >= 2 && name.length <= 20) return name;
  }
  return undefined;
}

export function ageIn(text: string): number | undefined {
  for (const pattern of AGE_PATTERNS) {
    const raw = pattern.exec(text)?.[1]?.toLowerCase();
    if (!raw) continue;
    const age = NUMBER_WORDS[raw] ?? Number(raw);
    if (age >= 10 && age <= 25) return age;
  }
  return undefined;
}

function clausesIn(text: string, patterns: RegExp[]): string[] {
  const found: Array<{ at: number; clause: string }> = [];
  for (const pattern of patterns) {
    const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
    for (const match of text.matchAll(global)) {
      const at = match.index;
      if (found.some((f) => at >= f.at && at < f.at + f.clause.length)) continue;
      found.push({ at, clause: clauseFrom(text, at, match[0].length) });
    }
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.clause).filter((c) => c.split(/\s+/).length >= 2);
}

function clauseFrom(text: string, start: number, minLength: number): string {
  const rest = text.slice(start);
  const end = CLAUSE_END.exec(rest.slice(minLength));
  const clause = end ? rest.slice(0, minLength + end.index) : rest;
  return clause.replace(/^(?:and|then|but|so)\s+/i, '').replace(/[\s,:-]+$/, '').trim();
}

function clip(value: string): string {
  return value.length > FACT_MAX_CHARS ? `${value.slice(0, FACT_MAX_CHARS - 1).trimEnd()}…` : value;
}
