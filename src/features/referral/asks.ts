/**
 * What her message asks of the referral flow. Plain patterns, so a hand-over from the
 * coach or a jump to one topic can always be explained.
 */

const HELP_WORDS = /\b(?:therap(?:y|ist|ists)|counsell?(?:or|ors|ing)|psycholog(?:ist|ists)|psychiatrists?|professional help|outside help|(?:see|talk to|speak to) (?:someone|somebody|a professional)|get(?:ting)? (?:some |professional |outside )?help(?! with)|find (?:someone|help)|need (?:some )?help(?! with))\b/i;
const ASKING = /\?|\b(?:should|could|would|shall|do (?:we|I) need|need|want|where|how (?:do|can|would)|find|recommend|looking for|thinking (?:about|of)|maybe|is it time)\b/i;
/** Talk about help she already has is not a request for a referral. */
const REPORTING = /\b(?:(?:his|the|our|my) (?:school )?(?:counsell?or|therapist|psychologist|psychiatrist) (?:said|says|told|thinks|called|rang|emailed)|(?:already|currently) (?:sees?|seeing|has|have|going to) (?:a |his |our )?(?:counsell?or|therapist|psychologist))\b/i;

/**
 * True when she is asking whether or how to get professional help ("should we see
 * someone?", "do we need a therapist", "family therapy?"): the coach hands the turn to the
 * referral flow.
 */
export function asksForReferral(text: string): boolean {
  if (!HELP_WORDS.test(text)) return false;
  if (REPORTING.test(text) && !text.includes('?')) return false;
  return ASKING.test(text) || /\bfamily therapy\b/i.test(text);
}

export const TOPIC_IDS = ['kinds', 'finding', 'first-call', 'inviting', 'refuses', 'bring', 'cost', 'urgent'] as const;
export type TopicId = (typeof TOPIC_IDS)[number];

const TOPIC_ASKS: Record<TopicId, RegExp> = {
  kinds: /\b(?:what|which) (?:kind|sort|type)s? of\b|\bwho should (?:we|I|he) see\b|\bdifference between\b|\b(?:psychologist|therapist|counsell?or) or (?:a )?(?:psychologist|psychiatrist|therapist|counsell?or|doctor)\b/i,
  finding: /\b(?:find|where (?:do|can|should|would) (?:I|we)|search|director(?:y|ies)|near (?:me|us)|locally|look(?:ing)? for)\b/i,
  'first-call': /\bfirst (?:call|phone call)\b|\bwhat (?:do|should|would) I (?:ask|say) (?:them|when I (?:call|ring|phone))|\bquestions? (?:to|should I|do I) ask\b|\b(?:call|ring|phone)(?:ing)? (?:them|a therapist|a counsell?or|someone)\b/i,
  inviting: /\bhow (?:do|can|should|would) I (?:ask|tell|get|invite|suggest|raise|bring (?:it|this) up|persuade|convince|talk (?:him|to him))\b|\binvit\w* him\b|\bget him to (?:go|come|agree)\b|\bsuggest (?:it|therapy|counsell?ing) to him\b/i,
  refuses: /\brefus\w*|\bwon['’]?t (?:go|come|agree)\b|\b(?:doesn['’]?t|does not) want to (?:go|come)\b|\bsa(?:ys|id) no\b|\bwhat if he (?:says no|won['’]?t|doesn['’]?t|says it['’]?s stupid)/i,
  bring: /\bbring\b|\bprepare\b|\bbefore the (?:first )?(?:appointment|session)\b|\bwhat (?:do|should) I (?:tell|say) (?:at|in) the (?:first )?(?:appointment|session)\b/i,
  cost: /\b(?:costs?|afford|expensive|price|pay for|fees?|insurance|cheap(?:er)?|for free|is it free|free (?:of charge|sessions?|services?|counsell?ing|therapy))\b/i,
  urgent: /\b(?:urgent|emergency|immediately|can['’]?t wait)\b/i,
};

/** The topics her message asks about explicitly, in the flow's order. */
export function topicsAskedFor(text: string): TopicId[] {
  return (Object.keys(TOPIC_ASKS) as TopicId[]).filter((t) => TOPIC_ASKS[t].test(text));
}

const YES = /^\s*(?:yes|yeah|yep|yup|sure|please|go ahead|do it|that would (?:help|be (?:good|great|helpful|lovely|useful))|i(?:['’]d| would) (?:like|love) (?:that|it|one)|why not)\b/i;
/** "ok" alone accepts the offer; "ok, what next?" only moves on. */
const BARE_OK = /^\s*(?:ok(?:ay)?|sounds good|great|good idea)[\s.!]*$/i;
const NO = /^\s*(?:no|nope|not (?:now|yet|really|right now)|maybe later|later|no thanks|i['’]?m (?:ok|fine|good))\b/i;
const ASKS_FOR_BRIEF = /\b(?:summary|brief|write (?:it|this|that|things) (?:up|down)|draft (?:it|one|that|the)|one[- ]page)\b/i;
const NEGATED = /\b(?:no|not|don['’]?t|do not)\b/i;

/** Her answer to "would you like me to draft a one-page summary?" ('none' when she did not answer it). */
export function answerToBriefOffer(text: string, offered: boolean): 'yes' | 'no' | 'none' {
  if (ASKS_FOR_BRIEF.test(text)) return NEGATED.test(text) ? 'no' : 'yes';
  if (!offered) return 'none';
  if (NO.test(text)) return 'no';
  return YES.test(text) || BARE_OK.test(text) ? 'yes' : 'none';
}
