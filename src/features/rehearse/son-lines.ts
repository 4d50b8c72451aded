import type { Finding, Signal } from '../line-check/analyser.js';
import type { Reaction, Temperament } from './state.js';

/**
 * The scripted son (guided mode): a real teenager's short answers, built from what in her
 * line he is reacting to, his temperament, and what the talk is about. Lines are picked
 * in a fixed rotation, skipping any he has already said in this rehearsal.
 */
export interface SonCue {
  temperament: Temperament;
  age: number;
  /** "Mum" or "Mom", by region. */
  mum: string;
  topic?: string;
  /** 'opening': the scene is set and he speaks first. */
  reaction: Reaction | 'opening';
  /** His openness after her line, in words. */
  mood: string;
  closing: Finding[];
  opening: Finding[];
  /** His lines so far in this rehearsal; none of their parts is said again. */
  said: string[];
  turn: number;
}

type Pool = string[];
/** A line only some ages would say; {age} and {mum} are filled in. */
type AgedPool = Array<string | { text: string; minAge?: number; maxAge?: number }>;

const OPENINGS: Record<Temperament, Pool> = {
  withdrawn: ['*doesn\'t look up from his phone* What.', '*takes one earbud out* ...What?'],
  defensive: ['What? What did I do now?', 'Okay, what is it. I didn\'t do anything.'],
  explosive: ['What?! I\'m busy.', 'Ugh. What now?'],
  sarcastic: ['Oh good, a family meeting. My favourite.', 'Uh oh. That\'s your serious face.'],
  willing: ['Hey. What\'s up?', 'Yeah? What is it?'],
};

/** How he answers the way she said it, by the habit he heard. */
const STUNG: Record<Extract<Signal, 'blame' | 'absolute' | 'sarcasm' | 'threat' | 'command' | 'lecture' | 'why' | 'but'>, Pool> = {
  blame: ['So I\'m the bad guy. Great.', 'Right, it\'s all my fault. Like always.', 'Wow. Thanks a lot.'],
  absolute: ['I don\'t *always* do anything!', 'Name one other time. Go on.', 'That\'s not even true and you know it.'],
  sarcasm: ['Wow. Okay.', 'Nice. Real nice.', 'Was that supposed to be funny?'],
  threat: ['Grounded? You haven\'t even asked me anything!', 'You can\'t just take my stuff.', 'That\'s literally so unfair.'],
  command: ['Why should I?', 'You can\'t just order me around.', 'Stop telling me what to do.'],
  lecture: ['Are you done?', 'I stopped listening ages ago.', 'Can you get to the point?'],
  why: ['I don\'t know, okay?', 'Because. I don\'t know.', 'Does it matter why?'],
  but: ['There\'s always a "but".', 'Knew there\'d be a "but".', 'Yeah, here comes the "but".'],
};
/** Blame about lying gets its own answer: it is the accusation teenagers hear most. */
const CALLED_A_LIAR: Pool = ['So I\'m a liar now?', 'Oh, so I\'m a liar. Cool.'];
const NEVER: Pool = ['*Never*? Seriously?', 'I don\'t *never* do anything.'];
const GROUNDED: Pool = ['Grounded?! You haven\'t even asked me anything!', 'Grounded? For what?!'];

const CLOSED: Record<Extract<Reaction, 'flare' | 'push' | 'jab' | 'shut'>, AgedPool> = {
  flare: ['This is so unfair!', 'Why are you always on my back?!', 'I can\'t even talk to you!', 'Just leave me alone!', '*kicks the chair back* Forget it!',
    { text: 'I\'m {age}, not a little kid!', minAge: 15 }, { text: 'You\'re so annoying, {mum}!', maxAge: 15 }],
  push: ['That\'s not what happened.', 'You don\'t even know the whole story.', 'Why do you always assume the worst?', 'Everyone else gets away with way worse.',
    { text: 'I\'m {age}. I can make my own choices.', minAge: 16 }, { text: 'That\'s not fair, {mum}.', maxAge: 15 }],
  jab: ['Cool. Love this for us.', 'Should I be writing this down?', 'Wow, great talk, {mum}.', 'Can\'t wait for part two.', 'Did you practise that in the mirror?'],
  shut: ['*shrugs*', 'Whatever.', 'Can I go now?', '*puts his headphones back in*', 'Fine.', 'I don\'t want to talk about it.'],
};

const GUARDED: Record<Temperament, Pool> = {
  withdrawn: ['...Okay.', '*shrugs* I guess.', 'Dunno.', 'Mm.'],
  defensive: ['What do you want me to say?', 'Okay... and?', 'So what, now?', 'Is that it?'],
  explosive: ['Fine. What?', '...Okay. What.', 'Just say it.', 'Yeah, yeah.'],
  sarcastic: ['Okay, who are you and what have you done with my {mum}?', 'Did you read that in a parenting book?', 'Riveting.', 'Sure. Okay.'],
  willing: ['Okay.', 'Yeah, okay.', 'Right.', 'Sure.'],
};

/** The first sign he is letting her in, by temperament. */
const THAWING: Record<Temperament, Pool> = {
  withdrawn: ['*takes one earbud out*', '*looks up for a second*', '*puts the phone face down*'],
  defensive: ['Okay, fine.', 'Okay. Look.', 'Alright.'],
  explosive: ['*sits back down*', '*breathes out*', '...Okay.'],
  sarcastic: ['Okay, that was almost normal.', 'Huh. Okay.', 'Fine, I\'ll bite.'],
  willing: ['Yeah, okay.', 'Honestly?', 'Okay, so.'],
};

/** What he says back to the kind thing she said, by the habit he heard. */
const REACHED: Partial<Record<Signal, Pool>> = {
  reassurance: ['...You\'re actually not going to yell?', 'Okay. That\'s... new.', 'You\'re not mad?'],
  validation: ['Yeah. It kind of is.', '...Yeah. It is.', 'Yeah, exactly.'],
  apology: ['...Okay. Thanks, I guess.', 'Fine. It\'s okay.', 'Yeah. Okay.'],
  appreciation: ['...Thanks.', 'That\'s kind of cringe. But okay.', 'Okay. Cool.'],
  iStatement: ['I didn\'t know you felt like that.', 'Oh. Okay.', 'I didn\'t think you cared that much.'],
};
/** Her worry gets a teenager's brush-off, even as he starts to talk. */
const WORRY: Pool = ['You don\'t need to worry. It\'s not that deep.', 'You don\'t have to freak out about it.', 'It\'s not a big deal, you don\'t need to stress.'];

interface TopicLines {
  deflect: Pool;
  admit: Pool;
  open: Pool;
}

const TOPICS: Record<string, TopicLines> = {
  'vaping-and-substances': {
    deflect: ['It\'s not even mine!', 'Everyone vapes. It\'s literally nothing.', 'Why were you going through my stuff?'],
    admit: ['It\'s not like I do it all the time.', 'Some of the guys at school have them. I just tried it.', 'It\'s only sometimes. At Sam\'s.'],
    open: ['Honestly? It started at Sam\'s. Everyone had one and I didn\'t want to be the weird one.', 'I know it\'s bad, okay. I\'ve kind of been trying to stop, it\'s just hard when everyone has one.', 'I was scared you\'d find it. I didn\'t know how to tell you.'],
  },
  'phone-and-screens': {
    deflect: ['It\'s my phone.', 'Everyone\'s on their phone, not just me.', 'You\'re on yours all the time.'],
    admit: ['I know I\'m on it a lot.', 'It\'s just how everyone talks, though.', 'I don\'t even enjoy half of it.'],
    open: ['If I\'m not on the group chat I miss everything and then I\'m left out.', 'I stay up on it because I can\'t sleep anyway.', 'Honestly it stresses me out sometimes.'],
  },
  'grades-and-school': {
    deflect: ['School\'s fine.', 'The teachers just don\'t like me.', 'Everyone failed that test.'],
    admit: ['Maths is kind of hard right now.', 'I\'ve got a few things I didn\'t hand in.', 'I just don\'t get some of it.'],
    open: ['I\'m behind in like three subjects and I don\'t know where to start.', 'Everyone thinks I\'m not trying but I actually am.', 'I don\'t get it and I didn\'t want you to think I was stupid.'],
  },
  'curfew-and-going-out': {
    deflect: ['Everyone else could stay out.', 'I was literally ten minutes late.', 'My phone died, it\'s not my fault.'],
    admit: ['I should\'ve texted.', 'I lost track of time.', 'I knew you\'d be annoyed.'],
    open: ['I didn\'t want to be the first one to leave. It\'s embarrassing.', 'Everyone was going to Sam\'s and I didn\'t want to miss it.', 'I didn\'t text because I knew you\'d say come home.'],
  },
  'lying-and-trust': {
    deflect: ['I didn\'t lie. I just didn\'t tell you.', 'Why would I tell you anything?', 'You\'d have freaked out anyway.'],
    admit: ['Okay, I didn\'t tell you everything.', 'I knew you\'d be upset.', 'It wasn\'t a big lie.'],
    open: ['I lie because every time I tell you stuff it turns into a whole thing.', 'I wanted to tell you. I just didn\'t know how.', 'I hate lying to you, honestly.'],
  },
  chores: {
    deflect: ['I was going to do it.', 'I\'ll do it later.', 'Why is it always me?'],
    admit: ['I forgot, okay.', 'I know, I said I would.', 'I\'ll do it after this.'],
    open: ['I\'ve just got so much on right now.', 'I honestly forget, it\'s not on purpose.', 'I don\'t mind doing it, I just hate being nagged.'],
  },
  gaming: {
    deflect: ['I was in the middle of a game!', 'It\'s how I talk to my friends.', 'You don\'t get it, I can\'t just pause.'],
    admit: ['I know I play a lot.', 'I lose track of time.', 'I\'d stop if it wasn\'t online.'],
    open: ['It\'s the only time I actually feel good at something.', 'All my friends are on there. It\'s where everyone is.', 'Want to see what I\'m building? It\'s actually kind of cool.'],
  },
  friends: {
    deflect: ['You don\'t even know them.', 'Leave my friends out of it.', 'They\'re fine.'],
    admit: ['They\'re not that bad.', 'Okay, some of them are a bit much.', 'I don\'t like everything they do either.'],
    open: ['I don\'t really have anyone else to hang out with.', 'Things with Sam are weird at the moment.', 'I just want people to like me, okay?'],
  },
  'privacy-and-his-room': {
    deflect: ['Stay out of my room.', 'Can I have one thing that\'s mine?', 'You can\'t just come in.'],
    admit: ['I know it\'s a mess.', 'I just want some space.', 'I don\'t have anything to hide.'],
    open: ['My room\'s the only place I can think.', 'It feels like you don\'t trust me.', 'I\'d tell you stuff if I didn\'t feel watched.'],
  },
  'respect-and-rudeness': {
    deflect: ['You\'re the one shouting.', 'I\'m not being rude, you are.', 'You talk to me like that all the time.'],
    admit: ['Okay, I shouldn\'t have said that.', 'I was in a bad mood.', 'I didn\'t mean it like that.'],
    open: ['Everything\'s just been a lot lately.', 'I get angry and then it just comes out.', 'I feel bad about it after.'],
  },
  'anger-and-slammed-doors': {
    deflect: ['You\'re the one yelling.', 'I wasn\'t even angry till you started.', 'Why does it matter?'],
    admit: ['I didn\'t mean to slam it that hard.', 'I just needed to get out.', 'I was really angry.'],
    open: ['I don\'t know what to do when I get that angry.', 'It\'s not even you, it\'s everything.', 'Afterwards I always feel stupid.'],
  },
  'silent-treatment': {
    deflect: ['I don\'t have anything to say.', '*stares at the floor*', 'There\'s nothing to talk about.'],
    admit: ['I didn\'t know what to say.', 'It\'s easier not to talk.', 'I\'m just tired.'],
    open: ['I went quiet because everything I say turns into a fight.', 'I missed talking to you, kind of.', 'I didn\'t know how to start.'],
  },
};

const GENERAL: TopicLines = {
  deflect: ['You don\'t get it.', 'It\'s not a big deal.', 'Why are we even talking about this?'],
  admit: ['Okay, it wasn\'t great.', 'I know.', 'Maybe.'],
  open: ['It\'s just been a lot lately.', 'I didn\'t think you\'d actually listen.', 'I didn\'t know how to bring it up.'],
};

/** His line for one cue. */
export function sonLine(cue: SonCue): string {
  const pick = picker(cue);
  const topic = TOPICS[cue.topic ?? ''] ?? GENERAL;
  switch (cue.reaction) {
    case 'opening': return say([pick(OPENINGS[cue.temperament])]);
    case 'flare': return say([...cue.closing.map((f) => pick(stungBy(f))), pick(topic.deflect), pick(aged(CLOSED.flare, cue))], 3);
    case 'push': return say([pick(stungBy(cue.closing[0])), pick(topic.deflect), pick(aged(CLOSED.push, cue))], 2);
    case 'jab': return say([pick(aged(CLOSED.jab, cue)), pick(stungBy(cue.closing[0]))], 2);
    case 'shut': return say([pick(aged(CLOSED.shut, cue))]);
    case 'guarded': return say([pick(GUARDED[cue.temperament]), cue.turn > 1 ? pick(topic.deflect) : undefined], 2);
    case 'soften': return say([pick(THAWING[cue.temperament]), pick(reachedBy(cue.opening)), pick(topic.admit)]);
    case 'open': return say([pick(THAWING[cue.temperament]), pick(reachedBy(cue.opening)), pick(topic.open)]);
  }
}

/** Takes the first line in a rotating order that he has not said, in whole or in part. */
function picker(cue: SonCue): (pool: Pool) => string | undefined {
  const fill = (line: string) => line.replace(/\{age\}/g, String(cue.age)).replace(/\{mum\}/g, cue.mum);
  const used = new Set<string>();
  return (pool) => {
    if (pool.length === 0) return undefined;
    const order = pool.map((_, i) => fill(pool[(i + cue.turn) % pool.length]!));
    const fresh = order.find((line) => !used.has(line) && !cue.said.some((s) => s.includes(line)));
    const line = fresh ?? order.find((l) => !used.has(l));
    if (line) used.add(line);
    return line;
  };
}

function stungBy(finding: Finding | undefined): Pool {
  if (!finding) return [];
  if (finding.signal === 'blame' && /\bli(?:e|ed|es|ar|ying)\b/i.test(finding.match)) return CALLED_A_LIAR;
  if (finding.signal === 'absolute' && /\bnever\b/i.test(finding.match)) return NEVER;
  if (finding.signal === 'threat' && /\bgrounded\b/i.test(finding.match)) return GROUNDED;
  return STUNG[finding.signal as keyof typeof STUNG] ?? [];
}

function reachedBy(opening: Finding[]): Pool {
  for (const f of opening) {
    if (f.signal === 'iStatement' && /worr|scared|frighten|afraid|anxious|concerned|nervous/i.test(f.match)) return WORRY;
    const pool = REACHED[f.signal];
    if (pool) return pool;
  }
  return [];
}

function aged(pool: AgedPool, cue: SonCue): Pool {
  return pool.filter((l) => typeof l === 'string' || ((l.minAge ?? 0) <= cue.age && cue.age <= (l.maxAge ?? 99)))
    .map((l) => (typeof l === 'string' ? l : l.text));
}

/** What he says: the parts that came out, at most `max` of them (a defensive teen says less than an explosive one). */
function say(parts: Array<string | undefined>, max = Infinity): string {
  return parts.filter((p): p is string => Boolean(p)).slice(0, max).join(' ');
}
