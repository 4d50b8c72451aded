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
  [/hurt|stung|heartbroken|crushed|broke my heart/i, 'That hurts, and it makes sense that it does.'],
  [/angry|furious|livid|fed up|sick of|frustrated|mad\b/i, 'Of course you’re angry. Anyone would be, and it’s worth letting that settle before the next talk.'],
  [/exhausted|tired|worn out|drained|overwhelmed|can[’']t cope|wits/i, 'You sound worn out, and how you are matters here too.'],
  [/worried|scared|frightened|anxious|terrified/i, 'Not knowing what’s going on with him is frightening.'],
  [/sad|lonely|miss|empty|gutted/i, 'Missing him while he’s right there in the house is its own kind of lonely.'],
  [/mortified|embarrassed|humiliated/i, 'That’s a horrible moment to stand in, especially in front of family.'],
];

/** Lines that fit a conflict topic; the first whose pattern matches her message (or has none) is used. */
const TOPIC_LINES: Record<string, Array<[RegExp | null, string]>> = {
  'anger-and-slammed-doors': [
    [/door/i, 'A slammed door after a question that came from worry really stings.'],
    [null, 'Living with that much anger in the house wears you down, even when you know he is still learning to handle it.'],
  ],
  'grades-and-school': [[null, 'Worry about school can come out sharper than we mean it, and he may only have heard the sharp part.']],
  'phone-and-screens': [[null, 'Sitting across the table from someone who is looking at a screen can feel like being shut out.']],
  'lying-and-trust': [[null, 'Finding out about a lie brings fear about what could have happened and anger at being fooled, both at once.']],
  'silent-treatment': [[null, 'Silence in your own home, day after day, is long and hard to bear.']],
  'respect-and-rudeness': [
    [/\b(?:grand\w*|gran|nan|nana|granny|sister|brother|aunt\w*|uncle|teacher|dad|father)\b/i, 'Watching him be unkind to someone you love hurts twice: for her, and for you.'],
    [null, 'Being spoken to with contempt by your own child is painful, and it’s natural to want to hit back.'],
  ],
  chores: [[null, 'Asking for the same thing again and again wears anyone down.']],
  'curfew-and-going-out': [[null, 'Waiting up and not knowing where he is does something to your stomach.']],
  gaming: [[null, 'Competing with a game for his attention is a lonely contest.']],
  friends: [[null, 'Worrying about who he spends time with, without being able to see it, is hard.']],
  'privacy-and-his-room': [[null, 'A closed door can feel like a wall when you are on the other side of it.']],
  'vaping-and-substances': [[null, 'Finding that out is frightening, and it’s right to take it seriously.']],
};

/** Lines for situations that matter more than the topic: danger, or her own lost temper. */
const SITUATION_LINES = {
  urgent: 'That sounds frightening, and you should not have to face it on your own.',
  progress: 'That is real progress, even if it felt small at the time.',
  setback: 'It’s discouraging to try something new and get so little back. That doesn’t mean it isn’t working.',
  'her-temper': 'Losing your temper in a moment like that is human. It can be put right, and how you put it right will teach him more than the shouting did.',
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
  ending?: string;
  topicIds: string[];
  stage: CoachStage;
}

type Reason = [applies: (c: ReasonContext) => boolean, text: (c: ReasonContext) => string];
const any = () => true;
const REASONS: Record<string, Reason[]> = {
  acknowledge: [
    [(c) => c.signals.withdrawn || c.topicIds.includes('silent-treatment'), () => 'when a silence has gone on this long, someone has to say out loud that things aren’t right, and it helps if that someone is you'],
    [(c) => c.signals.sheLostTemper, () => 'you’ve said it got heated on your side too, and owning your part first is what lets him lower his guard'],
    [(c) => c.signals.hurtOther, () => 'before anything is put right with her, it helps to name plainly, and privately, that something went wrong'],
    [any, () => 'after a row like this, naming it and owning your share is what lets you both start again'],
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
  listen: ['Keep it light and curious, and try:', 'When he does talk, let him finish, count to three, then:'],
  calm: ['Keep your voice low and steady, and try:', 'Stick to this one thing, and say it once:'],
  positive: ['Next time he does something right, however small, say so in a sentence and leave it there:', 'Say it once, in passing, with no “but” after it:'],
  patience: ['Keep it light, and don’t wait for an answer:', 'Say it, and let it be enough for today:'],
  love: ['In a quiet moment, with no agenda, you could say:', 'Something small and warm, and no request after it:'],
  'seek-help': ['When you tell him, keep it honest and unhurried:', 'You could put it to him like this:'],
};

export function scriptLead(stepId: string, used: ReadonlySet<string>): Keyed {
  const leads = SCRIPT_LEADS[stepId] ?? ['You could say:', 'You might try:'];
  const n = used.has(`lead:${stepId}:0`) ? 1 : 0;
  return { key: `lead:${stepId}:${n}`, text: leads[n]! };
}

const HELP_NOTES = [
  'And gently: when talks keep ending like this, a family counsellor can help you both say hard things without it blowing up. That is step 4, **Seek help**, and reaching out is a sign you’re taking this seriously, not that you’ve failed.',
  'The idea of a family counsellor still stands whenever you’re ready (step 4, **Seek help**). Many will see you on your own first if he won’t come.',
  'If it keeps feeling this stuck, his school counsellor or your family doctor are good first calls: step 4, **Seek help**, is there for exactly this.',
];

/** For a strained conversation: step 4, warmly, in words not used yet (the last one repeats if all were). */
export function helpNote(used: ReadonlySet<string>): Keyed {
  const n = HELP_NOTES.findIndex((_, i) => !used.has(`help:${i}`));
  const i = n === -1 ? HELP_NOTES.length - 1 : n;
  return { key: `help:${i}`, text: HELP_NOTES[i]! };
}

const URGENT_LEADS = [
  'Before anything else: what you’re describing needs more than the two of you, and I’d like you to get professional help this week. Your family doctor, his school counsellor or a family therapist can all be a first call, and if anyone is in danger right now, call emergency services.',
  'I want to come back to getting help this week, because it matters most right now: one call to your family doctor or a family therapist is enough to start. If anyone is in danger, call emergency services first.',
  'Please keep getting help at the top of this week’s list. You don’t have to have the right words for the call; saying “things at home have become more than I can handle” is enough.',
];

/** High safety level: getting professional help this week comes first in every reply. */
export function urgentLead(used: ReadonlySet<string>): Keyed {
  const n = URGENT_LEADS.findIndex((_, i) => !used.has(`urgent:${i}`));
  const i = n === -1 ? URGENT_LEADS.length - 1 : n;
  return { key: `urgent:${i}`, text: URGENT_LEADS[i]! };
}

/** For a first "hello": coming here is already the first step. */
export function welcomeFrame(step: string, name?: string): string {
  return `I’m here to help you with whatever has happened between you and ${name ?? 'your son'}. Saying that things aren’t right is ${step}, and by coming here you have already begun it.`;
}
