import matter from 'gray-matter';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const KNOWLEDGE_DIR = fileURLToPath(new URL('../../knowledge/', import.meta.url));

const list = z.array(z.coerce.string()).default([]);
export const KnowledgeFrontMatter = z.object({
  id: z.string(),
  kind: z.enum(['step', 'skill', 'topic', 'referral']),
  title: z.string(),
  summary: z.string().default(''),
  step: z.number().int().optional(),
  steps: list,
  applies_when: list,
  signs: list,
  keywords: list,
});
export type KnowledgeFrontMatter = z.infer<typeof KnowledgeFrontMatter>;

export interface KnowledgeDocument extends KnowledgeFrontMatter {
  path: string;
  markdown: string;
  /** `## Heading` → section body, for code that quotes one part (phrases, practices). */
  sections: Map<string, string>;
}

export class KnowledgeFormatError extends Error {
  override name = 'KnowledgeFormatError';
}

/**
 * Reads every Markdown file under knowledge/ (but not knowledge/safety or knowledge/questions,
 * which have their own loaders and schemas).
 *
 * gray-matter rather than a LangChain loader, on purpose: LangChain has no plain loader for
 * Markdown with front matter (its Obsidian loader turns list fields into JSON strings and
 * adds file-system metadata), its loaders are async while start-up loading is not, and here
 * the front matter is validated field by field. The retriever turns the sections into
 * LangChain Documents for splitting and BM25.
 */
export function loadKnowledgeDocuments(dir = KNOWLEDGE_DIR): KnowledgeDocument[] {
  return markdownFiles(dir).map((path) => parseDocument(path, readFileSync(path, 'utf8'), dir));
}

/** Folders read by their own loaders. */
const OWN_LOADER = /[/\\](?:safety|questions)(?:[/\\]|$)/;

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.md') && !OWN_LOADER.test(e.parentPath))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

export function parseDocument(path: string, source: string, dir = KNOWLEDGE_DIR): KnowledgeDocument {
  const { data, content } = matter(source);
  const parsed = KnowledgeFrontMatter.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new KnowledgeFormatError(`${relative(dir, path)}: front matter "${issue.path.join('.')}" ${issue.message}`);
  }
  return { ...parsed.data, path: relative(dir, path), markdown: content.trim(), sections: sectionsOf(content) };
}

function sectionsOf(markdown: string): Map<string, string> {
  const sections = new Map<string, string>();
  for (const part of markdown.split(/^## /m).slice(1)) {
    const newline = part.indexOf('\n');
    sections.set(part.slice(0, newline).trim(), part.slice(newline + 1).trim());
  }
  return sections;
}

/**
 * The id of a page's section: `<document id>#<heading slug>`. The retriever, citations and the
 * page all use it, so a reply's citation points at exactly the chunk it came from.
 */
export function chunkId(docId: string, heading: string): string {
  return `${docId}#${heading.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;
}

/** Bullet items of a section, the list markers stripped: the phrases and practices code reuses. */
/** A phrase bullet (`"I'm here when you're ready."`) as words she can say, without its quote marks. */
export function unquotePhrase(text: string): string {
  return text.replace(/^["“]|["”]$/g, '').trim();
}

export function bulletsOf(doc: KnowledgeDocument, heading: string): string[] {
  const body = doc.sections.get(heading) ?? '';
  return body.split('\n').filter((l) => /^\s*[-*] /.test(l)).map((l) => l.replace(/^\s*[-*] /, '').trim());
}
