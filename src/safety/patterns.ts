/**
 * A small pattern language for the rule files, compiled once to regular expressions.
 * Patterns match normalised text (see normalise.ts). Syntax, tokens separated by spaces:
 *
 *   word          a literal word; `_` inside a word stands for a space ("my_son")
 *   a|b|c         any one of the alternatives
 *   word*         the word followed by any letters ("suicid*" -> suicide, suicidal)
 *   #             a number written in digits
 *   @name         any entry of the shared lexicon (lexicon.json), may be mixed: "@kill|murder"
 *   ?a|b          an optional token
 *   ~N            up to N words of anything in between (never crossing . ! ? ;)
 *   !a|b          the next word(s) must NOT be one of these (placed after a token)
 *   <!a|b         the word just before the next token must NOT be one of these
 *   re:<regex>    the whole pattern is a raw regular expression (escape hatch); re(a|b):<regex>
 *                 also names the words one of which it needs, for the prefilter
 *
 * Every compiled pattern is wrapped in word boundaries, so "killed" never matches "skilled".
 * Each `~N` gap is a capture group, so the matcher can look inside gaps for negation cues.
 */

export type Lexicon = ReadonlyMap<string, readonly string[]>;

const WORD_START = "(?<![\\w'])";
const WORD_END = "(?![\\w]|'t(?![\\w]))";
const GAP_WORD = '[^\\s.!?;]+';

export class PatternError extends Error {}

function escapeLiteral(text: string): string {
  return text.replace(/[.+?^${}()[\]\\/-]/g, '\\$&');
}

/** One alternative: a literal word or phrase, with `_` for spaces and an optional trailing `*`. */
function literal(alt: string): string {
  if (alt === '') throw new PatternError('empty alternative');
  if (alt === '#') return '\\d+';
  const wild = alt.endsWith('*');
  const core = wild ? alt.slice(0, -1) : alt;
  if (core.includes('*')) throw new PatternError(`"*" is only allowed at the end of a word: "${alt}"`);
  const words = core.split(/[_ ]+/).filter(Boolean).map(escapeLiteral);
  if (words.length === 0) throw new PatternError(`empty word in "${alt}"`);
  return words.join('\\s+') + (wild ? "[\\w']*" : '');
}

/**
 * For each alternative of a token, one word that must appear if it matches: the first word of
 * the phrase that is not a common word ("be_dead" -> "dead", "suicid*" -> "suicid*").
 */
function firstWords(token: string, lexicon: Lexicon): string[] {
  const out: string[] = [];
  for (const alt of token.split('|')) {
    const entries = alt.startsWith('@') ? lexicon.get(alt.slice(1)) ?? [] : [alt];
    for (const e of entries) {
      const words = e.split(/[_ ]+/).filter(Boolean);
      out.push(words.find((w) => !COMMON.has(w) && /^[a-z0-9']{2,}\*?$/.test(w)) ?? words[0]!);
    }
  }
  return out;
}

function alternatives(token: string, lexicon: Lexicon): string {
  const parts: string[] = [];
  for (const alt of token.split('|')) {
    if (alt.startsWith('@')) {
      const entries = lexicon.get(alt.slice(1));
      if (!entries) throw new PatternError(`unknown lexicon entry "${alt}"`);
      for (const e of entries) parts.push(literal(e));
    } else {
      parts.push(literal(alt));
    }
  }
  // Longest first, so "killing" is preferred to "kill" where both could match.
  parts.sort((a, b) => b.length - a.length);
  return parts.length === 1 ? parts[0]! : `(?:${parts.join('|')})`;
}

/**
 * Words so common that they make a useless prefilter anchor. A pattern is anchored on its
 * least common required word; a rule only runs when one of its anchors is in the message.
 */
const COMMON = new Set([
  'i', "i'm", "i'd", "i'll", "i've", 'me', 'my', 'he', "he's", "he'd", "he'll", 'him', 'his', 'she', "she's", 'her',
  'they', "they'd", 'them', 'it', "it's", 'a', 'an', 'the', 'to', 'of', 'in', 'on', 'at', 'and', 'or', 'is', 'are',
  'was', 'be', 'been', 'not', 'no', 'so', 'that', 'this', 'you', 'your', 'we', 'us', 'our', 'for', 'with', 'do',
  'does', 'did', 'have', 'has', 'had', 'will', 'would', 'can', 'could', 'just', 'like', 'up', 'out', 'if', 'but',
  'son', 'what', 'how', 'all', 'get', 'got', 'go', 'going', 'one', 'some', 'there', "there's", 'when', 'now', 'day',
  'every', 'said', 'says', 'told', 'tell', 'want', 'wants', 'really', 'very', 'so', 'too', 'know', 'think', 'back',
  "don't", "can't", "doesn't", "won't", 'never', 'kid', 'boy', 'time', 'again', 'about', 'from', 'by', 'as', 'then',
]);

export interface CompiledPattern {
  source: string;
  /** Words (a trailing * means "starting with") one of which must be in the message; null: always run. */
  anchors: string[] | null;
}

function chooseAnchors(candidates: string[][]): string[] | null {
  let best: string[] | null = null;
  let bestScore = Infinity;
  for (const words of candidates) {
    // A word the prefilter cannot see (one letter, a digit placeholder) rules the token out.
    if (words.some((w) => !/^[a-z0-9']{2,}\*?$/.test(w))) continue;
    const score = words.reduce((sum, w) => sum + (COMMON.has(w) ? 100 : w.endsWith('*') ? 1 : 0), 0);
    if (score < bestScore) {
      best = words;
      bestScore = score;
    }
  }
  return best ? [...new Set(best)] : null;
}

/** Compile one DSL pattern to a regex source (without the outer word boundaries). */
export function compilePattern(pattern: string, lexicon: Lexicon): string {
  return compilePatternWithAnchors(pattern, lexicon).source;
}

export function compilePatternWithAnchors(pattern: string, lexicon: Lexicon): CompiledPattern {
  const trimmed = pattern.trim();
  const raw = /^re(?:\(([a-z0-9'|*]+)\))?:/.exec(trimmed);
  if (raw) {
    const source = trimmed.slice(raw[0].length);
    const anchors = raw[1] ? raw[1].split('|') : null;
    try {
      new RegExp(source);
    } catch (err) {
      throw new PatternError(`invalid raw regex: ${(err as Error).message}`);
    }
    // Keep raw groups from shifting gap indices: make capture groups non-capturing.
    return { source: source.replace(/(?<!\\)\((?!\?)/g, '(?:'), anchors };
  }
  const tokens = trimmed.split(/\s+/);
  let out = '';
  let atStart = true;
  let pendingGap = '';
  let sawWord = false;
  let pendingBehind = '';
  const required: string[][] = [];
  for (const token of tokens) {
    if (/^~\d+$/.test(token)) {
      const n = Number(token.slice(1));
      if (!sawWord || n < 1 || n > 12) throw new PatternError(`gap "${token}" must follow a word and be 1..12`);
      pendingGap = `((?:\\s+${GAP_WORD}){0,${n}})`;
      continue;
    }
    if (token.startsWith('<!')) {
      pendingBehind = `(?<!${WORD_START}${alternatives(token.slice(2), lexicon)}\\s+)`;
      continue;
    }
    if (token.startsWith('!')) {
      if (!sawWord) throw new PatternError(`"${token}" must follow a word`);
      out += `(?!\\s+${alternatives(token.slice(1), lexicon)}${WORD_END})`;
      continue;
    }
    const optional = token.startsWith('?');
    const body = pendingBehind + alternatives(optional ? token.slice(1) : token, lexicon);
    if (!optional) required.push(firstWords(token, lexicon));
    pendingBehind = '';
    const sep = atStart ? '' : `${pendingGap}\\s+`;
    if (optional) {
      // An optional first word leaves the next word at the start (its separator is inside the group).
      out += atStart ? `(?:${body}\\s+)?` : `(?:${sep}${body})?`;
    } else {
      out += sep + body;
      atStart = false;
    }
    pendingGap = '';
    sawWord = true;
  }
  if (!sawWord) throw new PatternError('pattern has no words');
  if (pendingGap) throw new PatternError('pattern cannot end with a gap');
  if (pendingBehind) throw new PatternError('"<!" must come before a word');
  if (atStart) throw new PatternError('pattern needs at least one required word');
  return { source: out, anchors: chooseAnchors(required) };
}

/** All patterns of one rule as a single global regex with word boundaries. */
export function compileAll(patterns: readonly string[], lexicon: Lexicon, where: string): RegExp {
  return compileRule(patterns, lexicon, where).re;
}

/** The rule's regex, and its prefilter anchors (null when some pattern has none: always run). */
export function compileRule(patterns: readonly string[], lexicon: Lexicon, where: string): { re: RegExp; anchors: string[] | null } {
  const compiled = patterns.map((p) => {
    try {
      return compilePatternWithAnchors(p, lexicon);
    } catch (err) {
      throw new PatternError(`${where}: pattern "${p}": ${(err as Error).message}`);
    }
  });
  const source = `${WORD_START}(?:${compiled.map((c) => c.source).join('|')})${WORD_END}`;
  let re: RegExp;
  try {
    re = new RegExp(source, 'g');
  } catch (err) {
    throw new PatternError(`${where}: ${(err as Error).message}`);
  }
  const anchors = compiled.some((c) => c.anchors === null) ? null : [...new Set(compiled.flatMap((c) => c.anchors!))];
  return { re, anchors };
}
