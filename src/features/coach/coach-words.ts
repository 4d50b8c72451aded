import { phrasesSource, WORN_OUT } from '../../text/feelings.js';
import type { Signals } from './coach-signals.js';
import type { CoachStage } from './coach-questions.js';

/**
 * Mend's own connecting words for the guided coach: why a step fits her situation, a line
 * that names what she may be feeling, how to lead into a script, and the gentle pointers to
 * step 4. The advice itself (scripts, practices, why it works) comes from knowledge/.
 */

export interface Keyed {
  key: string;
  text: string;
}

const FEELING_LINES: Array<[RegExp, string]> = [
  [/(?:scared|afraid|frightened|terrified) of him/i, 'Being afraid of your own son is a heavy thing to carry, and it is a reason to get help now rather than wait.'],
  [/fail|terrible (?:mother|mum|mom)|bad (?:mother|mum|mom)|useless|guilty|ashamed/i, 'Feeling like that doesn’t make you a bad mother. It’s what caring this much feels like when things go wrong.'],
  [/betrayed|lied to|fooled/i, 'Being lied to by your own child shakes the ground under you, and it’s natural to feel both angry and scared.'],
  [/hurt|stung|heartbroken|crushed|broke my heart/i, 'That would hurt anyone, and it says how much you care about him.'],
  [/fed up|sick of|tired of/i, 'Of course you’re fed up. Saying the same things again and again wears anyone down.'],
  [/angry|furious|livid|frustrated|mad\b/i, 'Of course you’re angry. Anyone would be, and it’s worth letting that settle before the next talk.'],
  [new RegExp(phrasesSource(WORN_OUT, ['tired', 'overwhelmed', 'wits']), 'i'), 'You sound worn out, and how you are matters here too.'],
  [/worried|scared|frightened|anxious|terrified/i, 'Not knowing what’s going on with him is frightening.'],
  [/hates? me|hate me/i, 'It’s awful to feel he hates you. What a teenager shows in a row is rarely all of what he feels.'],
  [/awful|dreadful|horrible|terrible|sick about/i, 'That’s a hard place to be, and you don’t have to work it out alone.'],
  [/disappoint|let down/i, 'Disappointment is heavy, because it comes from expecting better of someone you love.'],
  [/lost him|losing him|lost my (?:son|boy)/i, 'Feeling you’ve lost him is a lonely place to be, and it is rarely as final as it feels tonight.'],
  [/sad|lonely|miss|empty|gutted/i, 'Missing him while he’s right there in the house is its own kind of lonely.'],
  [/mortified|embarrassed|humiliated/i, 'Embarrassment like that is horrible to stand in, and it’s natural to want it fixed fast.'],
];

/** Whether a chosen empathy line already speaks to her feeling, so the reflection need not name it again. */
export function speaksToFeeling(text: string | undefined): boolean {
  return text !== undefined && FEELING_LINES.some(([, line]) => line === text);
}

/** Lines that fit a conflict topic; the first whose pattern matches her message (or has none) is used. */
const TOPIC_LINES: Record<string, Array<[RegExp | null, string]>> = {
  'anger-and-slammed-doors': [
    [/door/i, 'A slammed door after a question that came from worry really stings.'],
    [null, 'Living with that much anger in the house wears you down, even when you know he is still learning to handle it.'],
  ],
  'grades-and-school': [[null, 'Worry about school can come out sharper than we mean it, and he may only have heard the sharp part.']],
  'phone-and-screens': [
    [/\b(?:dinner|table|meal|tea)\b/i, 'Sitting across the table from someone who is looking at a screen can feel like being shut out.'],
    [null, 'Watching a screen win his attention, night after night, is wearing, and it’s natural to worry about what it’s doing to him.'],
  ],
  'lying-and-trust': [[null, 'Finding out about a lie brings fear about what could have happened and anger at being fooled, both at once.']],
  'silent-treatment': [
    [/\b(?:days?|weeks?|months?|since)\b/i, 'Silence in your own home, day after day, is long and hard to bear.'],
    [null, 'When he goes quiet and shuts you out, it can feel as if the door has closed on you too.'],
  ],
  'respect-and-rudeness': [
    [/\b(?:rude|disrespectful|nasty|mean|unkind|horrible|swore|swearing) (?:to|at) (?:his |her |my )?(?:grand\w*|gran|nan|nana|granny|sister|aunt\w*|teacher)\b/i, 'Watching him be unkind to someone you love hurts twice: for her, and for you.'],
    [null, 'Being spoken to with contempt by your own child is painful, and it’s natural to want to hit back.'],
  ],
  chores: [[null, 'Asking for the same thing again and again wears anyone down.']],
  'curfew-and-going-out': [[null, 'Waiting up and not knowing where he is does something to your stomach.']],
  gaming: [[null, 'Competing with a game for his attention is a lonely contest.']],
  friends: [[null, 'Worrying about who he spends time with, without being able to see it, is hard.']],
  'privacy-and-his-room': [[null, 'A closed door can feel like a wall when you are on the other side of it.']],
  'vaping-and-substances': [[null, 'Finding that out is frightening, and it’s right to take it seriously.']],
  'siblings-and-fairness': [[null, 'Being told you love one child more cuts deep, especially when you’ve tried so hard to be fair.']],
  'his-dads-rules': [[null, 'It’s hard to hold the line when the rules at his dad’s work against yours.']],
  'closer-to-his-dad': [[null, 'Watching him be easy and warm with his dad and cool with you is lonely, even when you’re glad they get on.']],
  'hygiene-and-self-care': [[null, 'It’s awkward to keep raising, and hard to let go when you can smell the problem from the landing.']],
  'hobbies-and-quitting': [[null, 'It’s hard to watch him walk away from something he’s put years into, and that you’ve put years into too.']],
  'pulling-away': [[null, 'Being kept at arm’s length by a boy who used to hold your hand stings, even when you know it’s part of growing up.']],
};

/** Lines for situations that matter more than the topic: danger, or her own lost temper. */
const SITUATION_LINES = {
  urgent: 'That sounds frightening, and you should not have to face it on your own.',
  progress: 'That is real progress, even if it felt small at the time.',
  setback: 'It’s discouraging to try something new and get so little back. That doesn’t mean it isn’t working.',
  'her-temper': 'Saying something you regret in a heated moment is human. It can be put right, and how you put it right will teach him more than the words did.',
};

/** A line that names what she may feel: hers when she said it, else one fitting the conflict. */
export type SituationLine = keyof typeof SITUATION_LINES;

export function empathyLine(
  feeling: string | undefined, topicIds: string[], userText: string,
  situation: SituationLine | undefined, used: ReadonlySet<string>,
): Keyed | undefined {
  const byFeeling = feeling ? FEELING_LINES.findIndex(([re]) => re.test(feeling)) : -1;
  if (byFeeling >= 0 && !used.has(`feel:${byFeeling}`)) return { key: `feel:${byFeeling}`, text: FEELING_LINES[byFeeling]![1] };
  if (situation) return used.has(`line:${situation}`) ? undefined : { key: `line:${situation}`, text: SITUATION_LINES[situation] };
  for (const topic of topicIds) {
    const lines = TOPIC_LINES[topic] ?? [];
    const n = lines.findIndex(([re]) => !re || re.test(userText));
    if (n >= 0 && !used.has(`topic-line:${topic}`)) return { key: `topic-line:${topic}`, text: lines[n]![1] };
  }
  return undefined;
}

export interface ReasonContext {
  signals: Signals;
  /** Her story so far has a row in it. */
  heated?: boolean;
  /** She has told of a silence lasting days or weeks. */
  longSilence?: boolean;
  ending?: string;
  topicIds: string[];
  stage: CoachStage;
}

type Reason = [applies: (c: ReasonContext) => boolean, text: (c: ReasonContext) => string];
const any = () => true;
const REASONS: Record<string, Reason[]> = {
  acknowledge: [
    [(c) => c.signals.withdrawn || Boolean(c.longSilence), () => 'when a silence has gone on this long, someone has to say out loud that things aren’t right, and it helps if that someone is you'],
    [(c) => c.signals.sheLostTemper, () => 'you’ve said it got heated on your side too, and owning your part first is what lets him lower his guard'],
    [(c) => c.signals.hurtOther, () => 'before anything is put right with her, it helps to name plainly, and privately, that something went wrong'],
    [(c) => Boolean(c.heated), () => 'after a row like this, naming it and owning your share is what lets you both start again'],
    [any, () => 'saying out loud that things aren’t right between you takes the weight off him, since most boys won’t risk raising it themselves'],
  ],
  listen: [
    [(c) => c.signals.nagged, () => 'when questions start to feel like nagging to him, the way back in is to ask less and hear more'],
    [(c) => c.topicIds.includes('phone-and-screens'), () => 'the phone is usually where his friends and his world are, and he’ll only let you into that if you’re curious rather than against it'],
    [any, () => 'you don’t yet know how this looks from his side, and he’ll only tell you if talking to you feels safe'],
    [any, () => 'a boy who feels heard lowers his guard faster than one who is argued with'],
  ],
  calm: [
    [(c) => c.signals.sheLostTemper, () => 'a calm repair now teaches him more than any lecture could'],
    [(c) => c.signals.lie, () => 'what you say in the first wave of anger is what he’ll remember, so the talk about the lie needs to happen when you’re steady'],
    [(c) => c.signals.hurtOther, () => 'rudeness answered with sharpness only teaches more sharpness, while your steady voice shows him what you expect'],
    [(c) => Boolean(c.ending), (c) => `it ended with ${endingNoun(c.ending!)}, so the next conversation has to start cooler than that one finished`],
    [any, () => 'you can say exactly what you think without it turning into a fight, and he’ll hear far more of it'],
    [any, () => 'whoever sets the temperature first decides how the talk goes, and right now that has to be you'],
  ],
  positive: [
    [(c) => c.signals.wentWell, () => 'something went right, and noticing it out loud is how you build on it'],
    [(c) => c.signals.nagged, () => 'if most of what he hears from you is about problems, even a fair question sounds like nagging to him'],
    [any, () => 'a little warmth in the bank makes the hard conversations land as care, not attack'],
    [any, () => 'he needs to hear about the good in him as often as he hears about the problems'],
  ],
  patience: [
    [(c) => c.signals.wentBadly || c.signals.hopeless, () => 'one bad evening doesn’t undo what you’ve built, and trust comes back through repetition, not one big talk'],
    [(c) => c.signals.lie, () => 'trust after a lie comes back bit by bit, through many small ordinary moments'],
    [any, () => 'this will mend over weeks, not in one conversation, and the small things you keep doing are what count'],
    [any, () => 'a flat or prickly response to something new doesn’t mean it’s failing; he may be checking whether it lasts'],
  ],
  love: [
    [(c) => c.signals.wentWell, () => 'things are a little warmer, and this is the moment to let him know he matters to you, whatever happens'],
    [any, () => 'he needs to know your love isn’t on the line every time you disagree'],
    [any, () => 'knowing he is loved even when he has messed up gives him a safe place to come back to'],
  ],
  'seek-help': [
    [(c) => c.signals.exhausted, () => 'you’re running on empty, and you deserve support too'],
    [any, () => 'what you’re describing is more than the two of you should have to carry alone'],
    [any, () => 'an outsider that neither of you has to win against can keep a hard conversation steady'],
  ],
};

/** Why this step fits her situation now, in one clause not used yet in this conversation. */
export function reasonFor(stepId: string, c: ReasonContext, used: ReadonlySet<string>): Keyed {
  const reasons = (REASONS[stepId] ?? [[any, () => 'it fits where the two of you are right now']] as Reason[])
    .map(([applies, text], i) => ({ key: `reason:${stepId}:${i}`, applies: applies(c), text }))
    .filter((r) => r.applies);
  const chosen = reasons.find((r) => !used.has(r.key)) ?? reasons.at(-1)!;
  return { key: chosen.key, text: chosen.text(c) };
}

const ENDINGS: Array<[RegExp, string]> = [
  [/slam|bang/i, 'a slammed door'],
  [/storm|walk|ran|went (?:off|out|away|upstairs)/i, 'him walking out'],
  [/room|locked|shut himself/i, 'him shutting himself away'],
  [/shout|scream|yell/i, 'raised voices'],
  [/tears/i, 'tears'],
  [/hung up/i, 'a phone hung up'],
  [/spoken|talk|speak|said a word/i, 'silence'],
  [/headphones|earphones|earbuds/i, 'his earphones going in'],
];

/** Her words for how it ended, as a noun phrase a sentence can carry ("a slammed door"). */
export function endingNoun(ending: string): string {
  return ENDINGS.find(([re]) => re.test(ending))?.[1] ?? 'things left badly';
}

const FRAMES: Array<(step: string, reason: string) => string> = [
  (step, reason) => `${step} is the step that fits now, because ${reason}.`,
  (step, reason) => `This is where ${step} comes in: ${reason}.`,
  (step, reason) => `I’d lean on ${step} next, because ${reason}.`,
  (step, reason) => `${step} matters here, because ${reason}.`,
];

/** Names the step with its reason, in a form not used yet in this conversation. */
export function stepFrame(step: string, reason: string, used: ReadonlySet<string>): Keyed {
  const n = Math.max(0, FRAMES.findIndex((_, i) => !used.has(`frame:${i}`)));
  return { key: `frame:${n}`, text: FRAMES[n]!(step, reason) };
}

/** How to lead into the words she could say, by step; a second form for when the first was used. */
const SCRIPT_LEADS: Record<string, [string, string]> = {
  acknowledge: ['Keep it short, at a low-pressure moment (a car journey works), and then let it rest. You could say:', 'Something short and honest would do, with no “but” after it:'],
  listen: ['Keep it light and curious, and try:', 'Pick an easy moment, side by side if you can, and try:'],
  calm: ['Keep your voice low and steady, and try:', 'Stick to this one thing, and say it once:'],
  positive: ['Next time he does something right, however small, say so in a sentence and leave it there:', 'Say it once, in passing, with no “but” after it:'],
  patience: ['Keep it light, and don’t wait for an answer:', 'Say it, and let it be enough for today:'],
  love: ['In a quiet moment, with no agenda, you could say:', 'Something small and warm, and no request after it:'],
  'seek-help': ['When you tell him, keep it honest and unhurried:', 'You could put it to him like this:'],
};

/** Leads for lines that are not openers: thanks wait for something to thank, replies for him to talk. */
const FRAMED_LEADS: Record<'praise' | 'reply' | 'moment', [string, string]> = {
  praise: ['Next time he does something right, however small, say so in a sentence and leave it there:', 'Watch for the next small thing he gets right, and say only:'],
  reply: ['When he does talk, let him finish, count to three, then:', 'If he opens up even a little, hold back the advice for now and try:'],
  moment: ['Next time you feel it heating up, say this before it boils over:', 'If it starts going the same way again, keep your voice low and try:'],
};

export function scriptLead(stepId: string, used: ReadonlySet<string>, framing?: 'praise' | 'reply' | 'moment'): Keyed {
  const own = (SCRIPT_LEADS[stepId] ?? ['You could say:', 'You might try:']).map((text, n) => ({ key: `lead:${stepId}:${n}`, text }));
  const framed = framing ? FRAMED_LEADS[framing].map((text, n) => ({ key: `lead:${framing}:${n}`, text })) : [];
  // Step 5's own first lead already sets a thank-you up ("next time he does something right…").
  // Step 5's first lead is for a thank-you; any other line gets its second.
  const leads = framing === 'praise' && stepId === 'positive' ? [own[0]!, framed[1]!]
    : !framing ? (stepId === 'positive' ? own.slice(1) : own) : framed;
  return leads.find((l) => !used.has(l.key)) ?? leads.at(-1)!;
}

const HELP_NOTES = [
  'And gently: when talks keep ending like this, a family counsellor can help you both say hard things without it blowing up. That is step 4, **Seek help**, and reaching out is a sign you’re taking this seriously, not that you’ve failed.',
  'The idea of a family counsellor still stands whenever you’re ready (step 4, **Seek help**). Many will see you on your own first if he won’t come.',
  'If it keeps feeling this stuck, his school counsellor or your family doctor are good first calls: step 4, **Seek help**, is there for exactly this.',
];

/** For a strained conversation: step 4, warmly, in words not used yet; once all are said, none is repeated. */
export function helpNote(used: ReadonlySet<string>): Keyed | undefined {
  const i = HELP_NOTES.findIndex((_, n) => !used.has(`help:${n}`));
  return i === -1 ? undefined : { key: `help:${i}`, text: HELP_NOTES[i]! };
}

const URGENT_LEADS = [
  'Before anything else: what you’re describing needs more than the two of you, and I’d like you to get professional help this week. Your family doctor, his school counsellor or a family therapist can all be a first call, and if anyone is in danger right now, call emergency services.',
  'I want to come back to getting help this week, because it matters most right now: one call to your family doctor or a family therapist is enough to start. If anyone is in danger, call emergency services first.',
  'Please keep getting help at the top of this week’s list. You don’t have to have the right words for the call; saying “things at home have become more than I can handle” is enough.',
];

/**
 * High safety level: getting professional help this week comes first, in words not used yet.
 * Once all have been said, none is repeated word for word (the safety notice stays in view).
 */
export function urgentLead(used: ReadonlySet<string>): Keyed | undefined {
  const i = URGENT_LEADS.findIndex((_, n) => !used.has(`urgent:${n}`));
  return i === -1 ? undefined : { key: `urgent:${i}`, text: URGENT_LEADS[i]! };
}

/** For a first "hello": coming here is already the first step. */
export function welcomeFrame(step: string, name?: string): string {
  return `I’m here to help you with whatever has happened between you and ${name ?? 'your son'}. Saying that things aren’t right is ${step}, and by coming here you have already begun it.`;
}
