import matter from 'gray-matter';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { KNOWLEDGE_DIR, KnowledgeFormatError, type KnowledgeDocument } from './knowledge-base.js';

/** One entry of knowledge/questions: a question mothers ask and Mend's short, honest answer. */
export const QuestionFrontMatter = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/, 'ids are lowercase words joined by -'),
  question: z.string().min(5),
  step: z.string(),
  topics: z.array(z.string()).default([]),
  /** Who can really answer it (law, medicine, diagnosis), or null. */
  professional: z.string().nullable().default(null),
}).strict();

export interface BankEntry extends z.infer<typeof QuestionFrontMatter> {
  answer: string;
}

/**
 * The question bank, read at start-up: every file's front matter checked, its id equal to its
 * file name, its step one of the seven and its topics real topic pages, so a broken
 * reference stops the app instead of failing silently in a reply.
 */
export class QuestionBank {
  private readonly byId: Map<string, BankEntry>;

  constructor(readonly entries: BankEntry[]) {
    this.byId = new Map(entries.map((e) => [e.id, e]));
  }

  get(id: string): BankEntry | undefined {
    return this.byId.get(id);
  }

  static load(documents: KnowledgeDocument[], dir = join(KNOWLEDGE_DIR, 'questions')): QuestionBank {
    const steps = new Set(documents.filter((d) => d.kind === 'step').map((d) => d.id));
    const topics = new Set(documents.filter((d) => d.kind === 'topic').map((d) => d.id));
    const entries = readdirSync(dir).filter((f) => f.endsWith('.md')).sort().map((file) => {
      const { data, content } = matter(readFileSync(join(dir, file), 'utf8'));
      const parsed = QuestionFrontMatter.safeParse(data);
      const where = `questions/${file}`;
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new KnowledgeFormatError(`${where}: front matter "${issue.path.join('.')}" ${issue.message}`);
      }
      const entry = { ...parsed.data, answer: content.trim() };
      if (`${entry.id}.md` !== file) throw new KnowledgeFormatError(`${where}: id "${entry.id}" must match the file name`);
      if (!steps.has(entry.step)) throw new KnowledgeFormatError(`${where}: step "${entry.step}" is not one of the seven steps`);
      for (const t of entry.topics) if (!topics.has(t)) throw new KnowledgeFormatError(`${where}: topic "${t}" has no page in knowledge/topics`);
      if (!entry.answer) throw new KnowledgeFormatError(`${where}: the answer is empty`);
      return entry;
    });
    return new QuestionBank(entries);
  }
}
