import { negatesWhatFollows, phrasesSource, WORN_OUT } from '../../text/index.js';
/**
 * What her message says about where she is, beyond its topic: did she lose her temper, is
 * she reporting back on something she tried, is she out of hope? The guided coach uses these
 * to choose a step and a way in; each is a plain pattern so the choice can be explained.
 */
export interface Signals {
  sheLostTemper: boolean;
  heExploded: boolean;
  withdrawn: boolean;
  hopeless: boolean;
  exhausted: boolean;
  lie: boolean;
  nagged: boolean;
  hurtOther: boolean;
  /** She is telling how it went after trying something. */
  reportBack: boolean;
  wentWell: boolean;
  wentBadly: boolean;
  asksWhatToSay: boolean;
  /** She fears he won't respond at all ("what if he just walks off?"). */
  fearsNoResponse: boolean;
  asksWhatToDo: boolean;
  /** He was rude to her, to her face: swore at her, mocked her, rolled his eyes. */
  heRude: boolean;
  /** He refuses to stop or come off something (the Xbox at midnight): a limit to hold, calmly. */
  refuses: boolean;
  /** She wants to apologise or put right something she did. */
  wantsRepair: boolean;
  /** She has found something out and not raised it with him yet. */
  notRaised: boolean;
  /** She says she got it wrong ("I reacted badly", "I said the wrong thing"), without a raised voice. */
  herMistake: boolean;
  thanks: boolean;
  /** A short reply ("ok", "yes", "I'll try"): nothing new to reflect. */
  brief: boolean;
}

const PATTERNS: Record<Exclude<keyof Signals, 'brief' | 'reportBack'>, RegExp> = {
  sheLostTemper: /\bI (?:\w+ )?(?:shouted|yelled|screamed|snapped|swore|lost (?:it|my temper|my cool)|exploded|blew up|called him|said things I)|\bwe (?:both |ended up |were )*(?:shouting|screaming|yelling)|\bI shouted back\b/i,
  heExploded: /\bslam\w* (?:the|his|a|my) (?:\w+ )?door|\b(?:he|[A-Z][a-z]+) (?:\w+ )?(?:storm\w*|shout\w*|yell\w*|scream\w*|swore|punch\w*|kick\w*|threw|smash\w*|exploded|lost it|blew up)\b/,
  withdrawn: /\b(?:silent|silence|won't (?:speak|talk|look)|wont (?:speak|talk)|hasn't (?:spoken|said|talked)|has not (?:spoken|talked)|ignor\w+|blanks? me|shut (?:himself|me) out|stays? in his room|one-word answers|grunts?|withdrawn|cold shoulder)\b/i,
  hopeless: /\b(?:tried everything|nothing (?:works|is working|helps|changes)|giving up|give up|hopeless|losing hope|never change|no point|pointless|back to square one|at my wits'? end)\b/i,
  exhausted: new RegExp(String.raw`\b(?:${phrasesSource(WORN_OUT, ["can't do this", 'falling apart', 'not sleeping', "can't sleep"])})\b`, 'i'),
  lie: /\b(?:lie|lied|lying|lies|liar|sneaked|snuck|behind my back|wasn't where|was not where)\b/i,
  nagged: /\b(?:nag|nagging|nags|on his back|go on at him|keep on at him|moaning)\b/i,
  hurtOther: /\b(?:rude to|disrespectful to|swore at|mean to|nasty to) (?:his |her |my )?(?:grand\w*|gran|nan|nana|granny|grandad|grandpa|sister|brother|aunt\w*|uncle|teacher|dad|father|step\w*)\b/i,
  wentWell: /\b(?:it (?:went|was) (?:well|ok|okay|better|good|great)|worked|he (?:actually |even )?(?:talked|opened up|listened|laughed|smiled|hugged|apologi[sz]ed|said sorry|came down|replied|answered|thanked)|went better|much better|a good chat|we talked)\b/i,
  wentBadly: /\b(?:didn't work|did not work|went badly|it was awful|worse|blew up again|ignored me again|same as always|made (?:it|things) worse|just walked off again|back to square one)\b/i,
  asksWhatToSay: /\b(?:what (?:should|do|can|could) I (?:say|tell)|how (?:do|should|can|could) I (?:say|tell|word|phrase|start|bring|raise|approach|talk|apologi[sz]e)|what words|don[’']?t know (?:what to say|how to (?:say|word|put|start|bring|raise|tell|apologi[sz]e)|where to start))\b|\b(?:say sorry|apologi[sz]e)\b[^.?!]*\bdon[’']?t know how\b/i,
  asksWhatToDo: /\b(?:what (?:should|do|can|could) I do|should I\b|how (?:do|should|can) I (?:handle|deal|get|stop|make)|any (?:ideas|advice|tips)|don[’']?t know what to do|what next|what now|where do (?:I|we) go from here)\b/i,
  heRude: /\b(?:swore at me|swears at me|call(?:ed|s) me (?!a nag)(?:a |an )?\w+|told me to (?:shut up|piss off|f\w* off|get lost|go away)|(?:rude|nasty|horrible|disrespectful) to me|mock\w* (?:me|my)|laugh\w* at (?:me|my)|makes? fun of (?:me|my)|talks? to me like)\b/i,
  refuses: /\b(?:won[’']?t|wont|refuses? to|refused to) (?:get off|come off|put (?:it|that|the \w+) down|turn (?:it|that|the \w+) off|go to (?:bed|sleep)|stop|give (?:it|the \w+) (?:up|back)|come (?:home|down|in))\b/i,
  wantsRepair: /\bI(?:[’']d| would)? (?:\w+ )?(?:want|need|like|should|ought|have|mean|plan|going) to (?:say sorry|apologi[sz]e|make it up to him|make (?:it|things) right|put (?:it|things) right|make amends)|\b(?:say sorry|apologi[sz]e) to him\b|\bhow (?:do|can|should) I (?:say sorry|apologi[sz]e)/i,
  herMistake: /\bI (?:\w+ )?(?:reacted badly|handled (?:it|that) (?:badly|wrong)|got it (?:all )?wrong|said the wrong thing|overreacted|messed (?:it )?up|was wrong|said something (?:awful|horrible|hurtful|stupid|cruel|I regret)|didn[’']t react well)\b/i,
  notRaised: /\b(?:doesn[’']?t know (?:I know|I found|yet)|hasn[’']?t (?:noticed|realised|realized)|(?:haven[’']?t|not|didn[’']?t) (?:said anything|told him|mentioned it|confronted him|raised it|brought it up|talked to him (?:about it )?yet)|before I (?:talk|speak) to him)\b/i,
  thanks: /\b(?:thanks|thank you|that helps|helpful)\b/i,
  fearsNoResponse: /\bwhat if he (?:just |only |still )?(?:ignores|walks|puts|says nothing|won[’']?t|doesn[’']?t|refuses|shrugs|grunts|storms|laughs|tells me to)|\bhe(?:[’']ll| will) (?:just )?(?:ignore|walk off|shrug|grunt)/i,
};

/** Every signal's name, for checking the coaching flow file against. */
export const SIGNAL_NAMES: ReadonlyArray<keyof Signals> = [...(Object.keys(PATTERNS) as Array<keyof Signals>), 'reportBack', 'brief'];

/**
 * Words a situation brings with it, added to hers when matching advice: a mother afraid he
 * will shrug her off is helped by the lines about shrugs and grunts, even if she never used
 * those words.
 */
export const SIGNAL_VOCABULARY: Partial<Record<keyof Signals, string>> = {
  fearsNoResponse: 'shrug grunt whatever reply answer response ready',
  sheLostTemper: 'sorry apologise repair temper regret',
  hopeless: 'setback progress hope months',
  withdrawn: 'silence space ready door open',
  lie: 'trust truth honest',
  nagged: 'notice good praise',
  hurtOther: 'example learning hurt message polite',
  wentWell: 'thank thanks noticed telling good handled',
  heRude: 'talking like that tone polite listen',
  refuses: 'answer no tonight sleep off',
  wantsRepair: 'sorry apologise repair wish',
  herMistake: 'sorry apologise repair wrong',
};

const TRIED_IT = /\bI (?:tried|did|used|sent|wrote) (?:it|that|this|what you (?:said|suggested)|the (?:text|note|message))\b|\bI said (?:it|that|this|what you (?:said|suggested))(?=\s*(?:[.!,;]|$|to him|and\b|but\b))|\b(?:so|and) I (?:tried|did)\b|\bit (?:went|worked|didn[’']?t work)\b|\bwhen I (?:tried|said) (?:it|that)\b/i;
/** She is trying out something Mend suggested, even in a new conversation. */
const TRIED_YOURS = /\bI (?:tried|did|used|said) what you (?:said|suggested)|\b(?:tried|did) your (?:idea|suggestion|advice)/i;

/** Signals a "not" cancels: "he didn't lie to me" is no lie, "he never shouted" no outburst. */
const NEGATABLE: ReadonlySet<string> = new Set(['lie', 'heExploded', 'heRude']);

/** The pattern matches somewhere not shortly after a negation in the same clause. */
function saidWithoutNegation(re: RegExp, text: string): boolean {
  const global = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
  for (const m of text.matchAll(global)) {
    if (!negatesWhatFollows(text.slice(0, m.index))) return true;
  }
  return false;
}

/** `coached`: Mend has already suggested something, so she may be telling how it went. */
export function readSignals(text: string, coached: boolean): Signals {
  const found = Object.fromEntries(Object.entries(PATTERNS).map(([k, re]) => [k, NEGATABLE.has(k) ? saidWithoutNegation(re, text) : re.test(text)])) as Omit<Signals, 'brief' | 'reportBack'>;
  const words = text.trim().split(/\s+/).filter(Boolean).length;
  // "I tried what you suggested" is a report however the conversation started.
  const reportBack = TRIED_YOURS.test(text) || (coached && (TRIED_IT.test(text) || found.wentWell || found.wentBadly));
  return { ...found, reportBack, brief: words <= 4 };
}
