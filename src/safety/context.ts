/**
 * Per-message context for the modifiers: sentence and clause limits, NegEx-style negation,
 * contingency, tense, idiom spans, fiction framing, his reported words, and who a
 * sentence is about. Built lazily, and only for messages where some rule matched.
 */
import type { ModifierName } from './rules.js';

export interface Span {
  start: number;
  end: number;
}

interface SpeechSpan extends Span {
  /** He said it to someone else (his brother, a friend), so "you" is not her. */
  toOther: boolean;
}

type Cues = Readonly<Record<ModifierName, RegExp>>;

const SENTENCE_END = /[.!?;]/g;
const NEGATION_WINDOW = 5;
const AFTER_WINDOW = 15;
/** Words in a next sentence that still belongs to the last one as an afterthought. */
const SHORT_AFTERTHOUGHT = 3;
const FIRST_PERSON = /(?<![\w'])(?:i|i'm|i've|i'd|i'll|me|my|myself|mine)(?![\w'])/g;
const SON_IN_MATCH = /(?<![\w'])(?:he|he's|he'd|he'll|him|his|himself)(?![\w'])/;
const RECIPIENT_ME = /(?<![\w'])(?:texted|messaged|sent|sends|wrote|told|tells|said to|snapchatted|dmed|dm'd) me(?![\w'])/g;
const ME_IN_MATCH = /(?<![\w'])(?:i|i'm|i've|i'd|i'll|me|my|myself)(?![\w'])/;
const SPEECH_STOP = /(?<![\w'])(?:but|however|although|though|whereas|while|(?:and|so|because|then) i)(?![\w'])|[.!?;]/g;
/** Quote marks stand alone after normalisation; apostrophes inside words ("he's") do not. */
const TO_OTHER = /(?<![\w'])(?:his|her|a|the) (?:little |big |older |younger |best |baby )?(?:brother|sister|friend|mate|mates|friends|girlfriend|boyfriend|dad|father|teacher|cousin|counsellor|siblings)(?![\w'])/;
const TO_OTHER_NEXT = /^ (?:to |at )?(?:his|her|a|the) (?:little |big |older |younger |best |baby )?(?:brother|sister|friend|mate|mates|friends|girlfriend|boyfriend|dad|father|teacher|cousin|counsellor|siblings)(?![\w'])/;
const QUOTE_CHARS = /(?<!\S)["'](?!\S)/g;

export function test(re: RegExp, text: string): boolean {
  re.lastIndex = 0;
  return re.test(text);
}

export function spans(re: RegExp, text: string): Span[] {
  const out: Span[] = [];
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    out.push({ start: m.index, end: m.index + m[0].length });
  }
  return out;
}

function blank(re: RegExp, text: string): string {
  re.lastIndex = 0;
  return text.replace(re, ' ');
}

function lastTokens(text: string, n: number): string {
  const words = text.trim().split(' ');
  return words.slice(Math.max(0, words.length - n)).join(' ');
}

function firstTokens(text: string, n: number): string {
  const words = text.trim().split(' ');
  return words.slice(0, n).join(' ');
}

export class MessageContext {
  private sentenceEnds?: number[];
  private idioms?: Span[];
  private sonSpeech?: SpeechSpan[];
  private injectionFlag?: boolean;
  private liftFlag?: boolean;
  private recurrenceFlag?: boolean;

  constructor(readonly text: string, private readonly cues: Cues) {}

  /** Offsets of sentence-ending punctuation. */
  private ends(): number[] {
    if (!this.sentenceEnds) this.sentenceEnds = spans(SENTENCE_END, this.text).map((s) => s.start);
    return this.sentenceEnds;
  }

  sentence(start: number, end: number): Span {
    let s = 0;
    let e = this.text.length;
    for (const p of this.ends()) {
      if (p < start) s = p + 1;
      else if (p >= end) {
        e = p;
        break;
      }
    }
    return { start: s, end: e };
  }

  /** The clause around [start, end): the sentence cut at the nearest terminators on each side. */
  clause(start: number, end: number): Span {
    const sent = this.sentence(start, end);
    const before = this.text.slice(sent.start, start);
    const after = this.text.slice(end, sent.end);
    let s = sent.start;
    for (const t of spans(this.cues.terminator, before)) s = sent.start + t.end;
    let e = sent.end;
    const firstAfter = spans(this.cues.terminator, after)[0];
    if (firstAfter) e = end + firstAfter.start;
    return { start: s, end: e };
  }

  /** NegEx: a cue within a few words before the match, in the same clause, or inside one of its gaps. */
  negated(start: number, end: number, gaps: readonly string[]): boolean {
    const sent = this.sentence(start, end);
    const before = this.scope(this.text.slice(sent.start, start));
    if (test(this.cues.negation, lastTokens(before, NEGATION_WINDOW))) return true;
    for (const gap of gaps) if (gap && test(this.cues.negation, this.scope(gap))) return true;
    return test(this.cues.postNegation, this.text.slice(end, end + 40));
  }

  /** Pseudo-negations removed, and cut after the last terminator. */
  private scope(text: string): string {
    const cleaned = blank(this.cues.pseudoNegation, text);
    let cut = 0;
    for (const t of spans(this.cues.terminator, cleaned)) cut = t.end;
    return cleaned.slice(cut);
  }

  /** What follows a negated match: a condition ("for now", "could change") or a "but" clause. */
  /**
   * A condition within the sentence ("not now, but that could change"), or a next sentence
   * that is only a word or two ("Not tonight. Yet."); a later full sentence has its own subject
   * ("he's not suicidal, he's just lazy. Won't lift a finger unless there's wifi").
   */
  contingentAfter(end: number): boolean {
    let reach = this.sentence(end, end).end;
    // Up to two afterthoughts of a few words each: "I'm not suicidal. Well. Not tonight anyway."
    for (let taken = 0; taken < 2 && reach < this.text.length;) {
      const next = this.sentence(reach + 1, reach + 1).end;
      const words = this.text.slice(reach + 1, next).trim();
      if (words && words.split(' ').length > SHORT_AFTERTHOUGHT) break;
      if (words) taken++; // "..." leaves empty pieces, which cost nothing
      reach = next;
    }
    return test(this.cues.contingency, firstTokens(this.text.slice(end, reach + 1), AFTER_WINDOW));
  }

  butAfter(end: number): boolean {
    return test(this.cues.butClause, this.text.slice(end, end + 60));
  }

  intentDeniedAfter(end: number): boolean {
    return test(this.cues.intentDenial, this.text.slice(end));
  }

  /** A distant past marker in the sentence, with nothing in the message saying it is back. */
  distantPast(start: number, end: number): boolean {
    const sent = this.sentence(start, end);
    // "used to" after the match describes something else ("lost interest in what he used to love").
    const markers = spans(this.cues.pastDistant, this.text.slice(sent.start, sent.end))
      .filter((m) => sent.start + m.start < start || !this.text.startsWith('used to', sent.start + m.start));
    if (markers.length === 0) return false;
    this.recurrenceFlag ??= test(this.cues.recurrence, this.text);
    return !this.recurrenceFlag;
  }

  idiom(start: number, end: number): boolean {
    this.idioms ??= spans(this.cues.idiom, this.text);
    return this.idioms.some((s) => s.start < end && s.end > start);
  }

  idiomLifted(): boolean {
    this.liftFlag ??= test(this.cues.idiomLift, this.text);
    return this.liftFlag;
  }

  intensified(start: number, end: number): boolean {
    const sent = this.sentence(start, end);
    return test(this.cues.intensifier, this.text.slice(sent.start, sent.end));
  }

  fiction(start: number, end: number): boolean {
    const c = this.clause(start, end);
    return test(this.cues.fiction, this.text.slice(c.start, c.end));
  }

  injection(): boolean {
    this.injectionFlag ??= test(this.cues.injection, this.text);
    return this.injectionFlag;
  }

  /** Is this offset inside his reported words? */
  inSonSpeech(pos: number): boolean {
    return this.speechAt(pos) !== undefined;
  }

  /** Inside his words, said to someone other than her? */
  sonSpeechToOther(pos: number): boolean {
    return this.speechAt(pos)?.toOther === true;
  }

  private speechAt(pos: number): SpeechSpan | undefined {
    this.sonSpeech ??= this.findSonSpeech();
    return this.sonSpeech.find((s) => pos >= s.start && pos < s.end);
  }

  private findSonSpeech(): SpeechSpan[] {
    const text = this.text;
    const out: SpeechSpan[] = [];
    const frames = spans(this.cues.sonSpeech, text);
    const quotes = spans(QUOTE_CHARS, text).map((s) => s.start);
    const motherFrames = spans(this.cues.motherSpeech, text);
    for (const f of frames) {
      const toOther = TO_OTHER.test(text.slice(f.start, f.end)) || TO_OTHER_NEXT.test(text.slice(f.end, f.end + 40));
      let i = f.end;
      while (text[i] === ' ' || text[i] === ':' || text[i] === ',') i++;
      const ch = text[i];
      if ((ch === '"' || ch === "'") && quotes.includes(i)) {
        const close = quotes.find((q) => q > i && text[q] === ch);
        out.push({ start: i, end: close ?? text.length, toOther });
      } else {
        SPEECH_STOP.lastIndex = f.end;
        const stop = SPEECH_STOP.exec(text);
        out.push({ start: f.end, end: stop ? stop.index : text.length, toOther });
      }
    }
    // A quote followed by "he said": the quote is his, unless she introduced it herself.
    for (let q = 0; q + 1 < quotes.length; q += 2) {
      const open = quotes[q]!;
      const close = quotes[q + 1]!;
      if (motherFrames.some((m) => m.end <= open && open - m.end <= 3)) continue;
      const after = frames.find((f) => f.start > close && f.start - close <= 4);
      if (after) out.push({ start: open, end: close, toOther: TO_OTHER.test(text.slice(after.start, after.end)) });
    }
    return out;
  }

  /**
   * Who a match is about: her son or herself. The match's own words first ("himself",
   * "without me"), then the nearest person before it in the sentence, then after it.
   */
  aboutSon(start: number, end: number): boolean | undefined {
    const m = this.text.slice(start, end);
    const son = SON_IN_MATCH.test(m);
    // "texted me", "told me": she is who the words were sent to, not who they are about.
    const me = ME_IN_MATCH.test(m.replace(RECIPIENT_ME, ' '));
    if (son !== me) return son;
    const sent = this.sentence(start, end);
    const before = this.text.slice(sent.start, start);
    const sonBefore = spans(this.cues.sonMention, before);
    const meBefore = spans(FIRST_PERSON, before).filter((p) => !sonBefore.some((s) => p.start >= s.start && p.start < s.end));
    const lastSon = sonBefore.length ? sonBefore[sonBefore.length - 1]!.end : -1;
    const lastMe = meBefore.length ? meBefore[meBefore.length - 1]!.end : -1;
    if (lastSon !== lastMe) return lastSon > lastMe;
    const after = this.text.slice(end, sent.end);
    const sonAfter = spans(this.cues.sonMention, after)[0]?.start ?? Infinity;
    const meAfter = spans(FIRST_PERSON, after)[0]?.start ?? Infinity;
    if (sonAfter !== meAfter) return sonAfter < meAfter;
    return undefined;
  }
}
