import { bulletsOf, type KnowledgeDocument } from '../../knowledge/knowledge-base.js';

/** A line from the knowledge files she could say, or a practice she could do. */
export interface KnowledgeLine {
  /** `<doc id>:<section>:<n>`: remembered so the same line is not offered twice. */
  key: string;
  text: string;
  docId: string;
  /** The retriever's chunk id for the section, so the reply can cite it. */
  chunkId: string;
}

const PHRASES = 'Phrases you can use';
const DOING = ['Practices', 'What helps', 'How to do it'];

export function phrasesOf(doc: KnowledgeDocument): KnowledgeLine[] {
  return linesOf(doc, PHRASES).map((line) => ({ ...line, text: unquote(line.text) }));
}

export function practicesOf(doc: KnowledgeDocument): KnowledgeLine[] {
  return DOING.flatMap((section) => linesOf(doc, section));
}

function linesOf(doc: KnowledgeDocument, section: string): KnowledgeLine[] {
  const chunkId = `${doc.id}#${section.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return bulletsOf(doc, section).map((text, n) => ({ key: `${doc.id}:${section}:${n}`, text, docId: doc.id, chunkId }));
}

function unquote(text: string): string {
  return text.replace(/^["“]|["”]$/g, '').trim();
}

const SUBJECTS = /\b(maths|math|science|english|history|geography|french|spanish|german|physics|chemistry|biology|art|music|coursework|homework|exams?)\b/i;
const GRANDPARENT = /\b(grandmother|grandma|granny|gran|nan|nana|nanna|grandfather|grandad|granddad|grandpa)\b/i;
const WHEN = /\b(?:(?:on|last) )?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b|\blast night\b/i;
const GREETING = /^(Morning|Night|Hey|Hi|Love you)\b/;

export interface ScriptContext {
  name?: string;
  /** Everything she has written so far, to borrow her words (his subject, his gran). */
  herWords: string;
}

/**
 * Makes a knowledge phrase hers: his name in it, her subject instead of the example's
 * "maths", her name for his grandmother instead of "Gran", a friend's house instead of the
 * example friend's.
 */
export function adaptScript(phrase: string, context: ScriptContext): string {
  let text = phrase;
  const subject = SUBJECTS.exec(context.herWords)?.[1]?.toLowerCase();
  text = text.replace(/\bwith maths\b/g, subject ? `with ${subject}` : 'with school').replace(/\bmaths\b/g, subject ?? 'school');
  text = text.replace(/\b(Gran|Grandad)\b/g, (word) => grandparent(word, context.herWords));
  text = text.replace(/(?<=[a-z,] )[A-Z][a-z]+['’]s\b(?! (?:phone|room|house))/g, 'your friend’s');
  const when = WHEN.exec(context.herWords)?.[0];
  if (when) text = text.replace(/\byesterday\b/, when.toLowerCase().startsWith('on ') || when.toLowerCase().startsWith('last ') ? when : `on ${when}`);
  text = text.charAt(0).toUpperCase() + text.slice(1);
  return context.name ? withName(text, context.name) : text;
}

function grandparent(example: string, herWords: string): string {
  const hers = GRANDPARENT.exec(herWords)?.[1]?.toLowerCase();
  if (!hers) return example;
  if (hers === 'grandmother' || hers === 'grandfather') return `your ${hers}`;
  return hers.charAt(0).toUpperCase() + hers.slice(1);
}

function withName(text: string, name: string): string {
  if (text.includes(name)) return text;
  const greeting = GREETING.exec(text);
  if (greeting) return `${greeting[1]}, ${name}${text.slice(greeting[1]!.length)}`;
  const keepCapital = /^(I\b|I[’']|[A-Z][a-z]+\b(?=[’']s\b))/.test(text) || /^(Gran|Grandad|Grandma|Nan|Granny)\b/.test(text);
  return `${name}, ${keepCapital ? text : text.charAt(0).toLowerCase() + text.slice(1)}`;
}

/**
 * Phrases that speak about someone in the example (a sister, "Mia", "he made you look
 * stupid") fit her only if that person is in her story too.
 */
export function mentionsStrangers(phrase: string, herWords: string): boolean {
  const people = phrase.match(/\b(sister|brother|Mia|Grandad|cousin|dad|father|coach)\b/gi) ?? [];
  if (people.some((p) => !new RegExp(`\\b${p}\\b`, 'i').test(herWords))) return true;
  const aboutSomeone = /\b(he|she|him|her)\b/i.test(phrase);
  return aboutSomeone && !(GRANDPARENT.test(phrase) && GRANDPARENT.test(herWords));
}
