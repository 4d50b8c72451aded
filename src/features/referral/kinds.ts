import type { RiskSubject } from '../../protocol/safety.js';
import { asQuote, clausesOf, sentencesOf } from './her-words.js';

/** The kinds of professional Mend can point to, most urgent first (the order replies list them in). */
export const KIND_IDS = [
  'domestic-violence', 'substance-use', 'adolescent-psychiatrist', 'adolescent-psychologist',
  'family-therapist', 'school-counsellor', 'family-doctor',
] as const;
export type KindId = (typeof KIND_IDS)[number];

/** What in her words points to a kind of help. Plain patterns, so every suggestion can be explained. */
type Sign = 'threatened' | 'substances' | 'severe' | 'low-mood' | 'worn-out' | 'no-talking' | 'school';

interface SignPattern {
  pattern: RegExp;
  /** The clause must be about him: "I feel so low" is her, not a reason to find him a psychologist. */
  aboutHim?: boolean;
}

const HIM = /\b(?:he|he['’]s|him|his|himself|my son|our son)\b/i;

const SIGNS: Record<Sign, SignPattern> = {
  threatened: { pattern: /\b(?:hit|hits|hitting|punch(?:ed|es)?|kick(?:ed|s)?|shov(?:ed|es)|push(?:ed|es)|slapp?(?:ed|s)?|grabb?(?:ed|s)|chok(?:ed|es)|strangl\w*|physically hurt|threw (?:\w+ ){0,2}at) me\b|\bthreat\w* (?:me|to (?:hurt|kill|hit|smash))\b|\b(?:scared|afraid|frightened|terrified) (?:of (?:him|my son|what he)|to be (?:at home|alone with him)|he(?:'ll|’ll| will| might))/i },
  substances: { pattern: /\b(?:drugs?|weed|cannabis|marijuana|skunk|drinking|drunk|alcohol|booze|vap(?:e|es|ing)|pills|cocaine|ketamine|mdma|ecstasy|stoned)\b/i },
  severe: { pattern: /\b(?:psychiatri\w*|medication|meds|diagnos\w*|hearing voices|paranoi\w*|stopped eating|not eating|eating disorder)\b/i, aboutHim: true },
  'low-mood': {
    pattern: /\b(?:(?:feel\w*|seem\w*|look\w*|is|he['’]s|been|so|really|very) (?:so |really |very )?(?:low|down|sad|flat|empty|numb|miserable)|depress\w*|withdrawn|sleep(?:s|ing)? all day|stays? in (?:his room|bed)|in (?:his room|bed) all day|won['’]?t get out of bed|stopped (?:seeing (?:his )?friends|going out)|no friends|lonely|hopeless|anxi(?:ous|ety)|panic\w*|cries|crying|self[- ]harm\w*|cutting himself|hurt(?:ing)? himself|(?:doesn['’]?t|does not) want to (?:be here|live)|wants? to die)\b/i,
    aboutHim: true,
  },
  'worn-out': { pattern: /\b(?:I(?:['’]m| am| feel) (?:so |really |completely )?(?:exhausted|worn out|depressed|low|burnt out|burned out|at breaking point)|can['’]?t cope|cannot cope|at the end of my (?:rope|tether)|running on empty|I(?:['’]m| am) not sleeping|I can['’]?t sleep)\b/i },
  'no-talking': { pattern: /\b(?:haven['’]?t|hasn['’]?t|have not|has not|don['’]?t|doesn['’]?t|won['’]?t|didn['’]?t|can['’]?t|cannot) (?:really |even )?(?:spoken|speak|talked|talk|said a word|have a (?:civil |normal )?conversation)\b|\bnot (?:speaking|talking) to (?:me|each other)\b|\b(?:walk|storm)(?:s|ed|ing)? (?:out|off)\b|\bsilen(?:t|ce)\b|\bignor(?:es|ing|ed) me\b|\b(?:fight|argu|row|scream|shout|yell)\w* (?:all the time|constantly|every day|non-?stop)\b|\bscreaming match\w*|\bevery (?:conversation|time we talk)\b/i },
  school: { pattern: /\b(?:grades|failing|suspen(?:ded|sion)|expell?ed|exclu(?:ded|sion)|detentions?|truan\w*|skip\w* (?:school|class\w*|lessons)|bunk\w* off|bull(?:y|ied|ies|ying)|(?:won['’]?t|refuses to|doesn['’]?t want to) go to school|school (?:called|rang|phoned|emailed|wrote)|teachers? (?:say|said|says|called|rang|complain\w*)|(?:trouble|problems?) at school)\b/i },
};

const KINDS_FOR_SIGN: Record<Sign, KindId[]> = {
  threatened: ['domestic-violence'],
  substances: ['substance-use'],
  severe: ['adolescent-psychiatrist', 'family-doctor'],
  'low-mood': ['adolescent-psychologist', 'family-doctor'],
  'worn-out': ['family-doctor'],
  'no-talking': ['family-therapist'],
  school: ['school-counsellor'],
};

/** What the safety screen found counts even when her words did not match a pattern here. */
const SIGN_FOR_RISK: Partial<Record<RiskSubject, Sign>> = {
  'mother-safety': 'threatened',
  substance: 'substances',
  'son-self-harm': 'low-mood',
  relationship: 'no-talking',
};

const MAX_KINDS = 3;
const SAFETY_KINDS: ReadonlySet<KindId> = new Set(['domestic-violence', 'substance-use']);
const MAX_QUOTE_CHARS = 120;
/** When nothing she said points anywhere in particular: the relationship, and the easiest first door. */
const DEFAULT_KINDS: KindId[] = ['family-therapist', 'family-doctor'];

export interface FittingKind {
  id: KindId;
  /** Her words that point to this kind, quoted back so she sees why. */
  quote?: string;
}

/**
 * The kinds of help that fit what she has said in the whole conversation (her messages,
 * oldest first) and what the safety screen found. At most three, most urgent first.
 */
export function fittingKinds(herMessages: string[], atRisk: readonly RiskSubject[] = []): FittingKind[] {
  const quotes = new Map<KindId, string | undefined>();
  for (const sign of Object.keys(SIGNS) as Sign[]) {
    const quote = latestMatch(herMessages, SIGNS[sign]);
    const fromRisk = atRisk.some((r) => SIGN_FOR_RISK[r] === sign);
    if (quote === undefined && !fromRisk) continue;
    for (const kind of KINDS_FOR_SIGN[sign]) if (!quotes.get(kind)) quotes.set(kind, quote);
  }
  // Safety services always make the list; then kinds her own words point to, before kinds only the screen suggested.
  const ranked = [
    ...KIND_IDS.filter((k) => quotes.has(k) && SAFETY_KINDS.has(k)),
    ...KIND_IDS.filter((k) => quotes.get(k) && !SAFETY_KINDS.has(k)),
    ...KIND_IDS.filter((k) => quotes.has(k) && !quotes.get(k) && !SAFETY_KINDS.has(k)),
  ];
  const ids = ranked.length ? ranked : DEFAULT_KINDS;
  return ids.slice(0, MAX_KINDS).map((id) => ({ id, ...(quotes.get(id) ? { quote: quotes.get(id) } : {}) }));
}

/** Her words that match, from her most recent message that does: the sentence when short, else the clause. */
function latestMatch(herMessages: string[], sign: SignPattern): string | undefined {
  for (const message of [...herMessages].reverse()) {
    for (const sentence of sentencesOf(message)) {
      const clause = clausesOf(sentence).find((c) => sign.pattern.test(c) && (!sign.aboutHim || HIM.test(c)));
      if (clause) return asQuote(sentence.length <= MAX_QUOTE_CHARS ? sentence : clause);
    }
  }
  return undefined;
}
