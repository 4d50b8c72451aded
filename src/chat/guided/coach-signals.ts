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
  thanks: boolean;
  /** A short reply ("ok", "yes", "I'll try"): nothing new to reflect. */
  brief: boolean;
}

const PATTERNS: Record<Exclude<keyof Signals, 'brief' | 'reportBack'>, RegExp> = {
  sheLostTemper: /\bI (?:\w+ )?(?:shouted|yelled|screamed|snapped|swore|lost (?:it|my temper|my cool)|exploded|blew up|called him|said things I)|\bwe (?:both |ended up |were )*(?:shouting|screaming|yelling)|\bI shouted back\b/i,
  heExploded: /\bslam\w* (?:the|his|a|my) (?:\w+ )?door|\b(?:he|[A-Z][a-z]+) (?:\w+ )?(?:storm\w*|shout\w*|yell\w*|scream\w*|swore|punch\w*|kick\w*|threw|smash\w*|exploded|lost it|blew up)\b/,
  withdrawn: /\b(?:silent|silence|won't (?:speak|talk|look)|wont (?:speak|talk)|hasn't (?:spoken|said|talked)|has not (?:spoken|talked)|ignor\w+|blanks? me|shut (?:himself|me) out|stays? in his room|one-word answers|grunts?|withdrawn|cold shoulder)\b/i,
  hopeless: /\b(?:tried everything|nothing (?:works|is working|helps|changes)|giving up|give up|hopeless|losing hope|never change|no point|pointless|back to square one|at my wits'? end)\b/i,
  exhausted: /\b(?:can't cope|cannot cope|can't do this|exhausted|worn out|running on empty|burn(?:ed|t)? out|falling apart|breaking point|not sleeping|can't sleep)\b/i,
  lie: /\b(?:lie|lied|lying|lies|liar|sneaked|snuck|behind my back|wasn't where|was not where)\b/i,
  nagged: /\b(?:nag|nagging|nags|on his back|go on at him|keep on at him|moaning)\b/i,
  hurtOther: /\b(?:rude to|disrespectful to|swore at|mean to|nasty to) (?:his |her |my )?(?:grand\w*|gran|nan|nana|granny|grandad|grandpa|sister|brother|aunt\w*|uncle|teacher|dad|father|step\w*)\b/i,
  wentWell: /\b(?:it (?:went|was) (?:well|ok|okay|better|good|great)|worked|he (?:actually |even )?(?:talked|opened up|listened|laughed|smiled|hugged|apologi[sz]ed|said sorry|came down|replied|answered|thanked)|went better|much better|a good chat|we talked)\b/i,
  wentBadly: /\b(?:didn't work|did not work|went badly|it was awful|worse|blew up again|ignored me again|same as always|made (?:it|things) worse|just walked off again|back to square one)\b/i,
  asksWhatToSay: /\b(?:what (?:should|do|can|could) I (?:say|tell)|how (?:do|should|can|could) I (?:say|tell|word|phrase|start|bring|raise|approach|talk)|what words)\b/i,
  asksWhatToDo: /\b(?:what (?:should|do|can|could) I do|should I\b|how (?:do|should|can) I (?:handle|deal|get|stop|make)|any (?:ideas|advice|tips))\b/i,
  thanks: /\b(?:thanks|thank you|that helps|helpful)\b/i,
  fearsNoResponse: /\bwhat if he (?:just |only |still )?(?:ignores|walks|puts|says nothing|won[’']?t|doesn[’']?t|refuses|shrugs|grunts|storms|laughs|tells me to)|\bhe(?:[’']ll| will) (?:just )?(?:ignore|walk off|shrug|grunt)/i,
};

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
};

const TRIED_IT = /\bI (?:tried|did|used|said|sent|wrote) (?:it|that|this|what you (?:said|suggested)|the (?:text|note|message))\b|\b(?:so|and) I (?:tried|did)\b|\bit (?:went|worked|didn[’']?t work)\b|\bwhen I (?:tried|said) (?:it|that)\b/i;

/** `coached`: Mend has already suggested something, so she may be telling how it went. */
export function readSignals(text: string, coached: boolean): Signals {
  const found = Object.fromEntries(Object.entries(PATTERNS).map(([k, re]) => [k, re.test(text)])) as Omit<Signals, 'brief' | 'reportBack'>;
  const words = text.trim().split(/\s+/).filter(Boolean).length;
  const reportBack = coached && (TRIED_IT.test(text) || found.wentWell || found.wentBadly);
  return { ...found, reportBack, brief: words <= 4 };
}
