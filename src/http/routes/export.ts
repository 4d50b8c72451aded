import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { systemClock, type Clock } from '../../clock.js';
import { memoryOf, type Fact } from '../../features/memory/index.js';
import { savedBrief } from '../../features/referral/index.js';
import type { ProgressExport, ProgressService } from '../../features/progress/index.js';
import type { ConversationStore } from '../../store/conversation-store.js';
import type { ConversationRecord, MessageRecord } from '../../protocol/records.js';
import { parseInput } from '../http-error.js';

const ExportQuery = z.object({
  format: z.enum(['json', 'markdown'], { error: 'format must be json or markdown' }).default('json'),
});

export interface ExportedMessage {
  seq: number;
  role: MessageRecord['role'];
  text: string;
  status: MessageRecord['status'];
  mode: MessageRecord['mode'];
  safetyLevel: MessageRecord['safetyLevel'];
  createdAt: string;
  meta: MessageRecord['meta'];
}

export interface ExportedConversation {
  id: string;
  title: string;
  mode: ConversationRecord['mode'];
  safetyLevel: ConversationRecord['safetyLevel'];
  createdAt: string;
  updatedAt: string;
  messages: ExportedMessage[];
  /** What Mend remembered in this conversation, as she can see it on the page. */
  memory: { facts: Array<Pick<Fact, 'label' | 'value'>>; summary: string | null };
  /** The counsellor brief she drafted in this conversation, if any. */
  brief: { markdown: string; updatedAt: string } | null;
}

export interface MendExport {
  format: 'mend-export';
  version: 1;
  exportedAt: string;
  conversations: ExportedConversation[];
  /** Her plans (with how each went and what worked), small wins and check-ins. */
  progress: ProgressExport;
}

/**
 * Everything she has in Mend, as a file she can keep: JSON for other tools, Markdown to read.
 * Scoped to her browser like every other route; nothing from another browser can appear.
 */
export function exportRoutes(app: FastifyInstance, deps: { store: ConversationStore; clock?: Clock; progress?: ProgressService }): void {
  const clock = deps.clock ?? systemClock;
  app.get('/api/export', async (request, reply) => {
    const { format } = parseInput(ExportQuery, request.query);
    const data = collectExport(deps.store, request.ownerId, clock.now(), deps.progress);
    const day = data.exportedAt.slice(0, 10);
    const [body, type, extension] = format === 'json'
      ? [JSON.stringify(data, null, 2), 'application/json; charset=utf-8', 'json']
      : [exportToMarkdown(data), 'text/markdown; charset=utf-8', 'md'];
    return reply
      .header('content-type', type)
      .header('content-disposition', `attachment; filename="mend-export-${day}.${extension}"`)
      .header('cache-control', 'no-store')
      .send(body);
  });
}

export function collectExport(store: ConversationStore, ownerId: string, now: number, progress?: ProgressService): MendExport {
  const conversations = store.listConversations(ownerId).map((c) => exportConversation(store, c));
  return {
    format: 'mend-export', version: 1, exportedAt: new Date(now).toISOString(), conversations,
    progress: progress?.exported(ownerId) ?? { plans: [], wins: [], checkIns: [] },
  };
}

function exportConversation(store: ConversationStore, c: ConversationRecord): ExportedConversation {
  const memory = memoryOf(store, c.id);
  const brief = savedBrief(store, c.id);
  return {
    id: c.id, title: c.title, mode: c.mode, safetyLevel: c.safetyLevel,
    createdAt: new Date(c.createdAt).toISOString(), updatedAt: new Date(c.updatedAt).toISOString(),
    messages: store.listMessages(c.id).map((m) => ({
      seq: m.seq, role: m.role, text: m.text, status: m.status, mode: m.mode, safetyLevel: m.safetyLevel,
      createdAt: new Date(m.createdAt).toISOString(), meta: m.meta,
    })),
    memory: { facts: memory.facts().map(({ label, value }) => ({ label, value })), summary: memory.summary()?.text ?? null },
    brief: brief ? { markdown: brief.markdown, updatedAt: new Date(brief.updatedAt).toISOString() } : null,
  };
}

const STATUS_NOTES: Partial<Record<MessageRecord['status'], string>> = {
  incomplete: 'This reply was cut off before it finished.',
  stopped: 'You stopped this reply.',
  failed: 'This reply failed part-way through.',
  streaming: 'This reply was still being written when you exported.',
};

/** A readable transcript: each conversation with its date, who said what, and safety notices set apart. */
export function exportToMarkdown(data: MendExport): string {
  const count = data.conversations.length;
  const lines = [
    '# Your conversations with Mend',
    '',
    `Exported ${formatTime(data.exportedAt)}. ${count === 1 ? '1 conversation' : `${count} conversations`}. Times are in UTC.`,
  ];
  if (count === 0) lines.push('', 'There were no conversations to export.');
  lines.push(...progressMarkdown(data.progress));
  for (const c of data.conversations) lines.push('', ...conversationMarkdown(c));
  return `${lines.join('\n')}\n`;
}

const OUTCOME_WORDS: Record<string, string> = {
  better: 'better than expected', same: 'about the same', badly: 'it went badly', 'not-yet': 'you didn’t get to it',
};

function progressMarkdown(progress: ProgressExport): string[] {
  const lines: string[] = [];
  if (progress.plans.length) {
    lines.push('', '## Your plans', '');
    for (const p of progress.plans) {
      const how = p.outcome ? ` · how it went: ${OUTCOME_WORDS[p.outcome]}` : '';
      lines.push(`- ${formatTime(new Date(p.when).toISOString())}${p.where ? ` · ${escapeInline(p.where)}` : ''}${how}: ${escapeInline(p.script || '(no words saved)')}`);
      if (p.worked) lines.push(`  - What worked: ${escapeInline(p.worked)}`);
    }
  }
  if (progress.wins.length) {
    lines.push('', '## Your small wins', '', ...progress.wins.map((w) => `- ${formatTime(new Date(w.at).toISOString())}: ${escapeInline(w.text)}`));
  }
  return lines;
}

function conversationMarkdown(c: ExportedConversation): string[] {
  const lines = ['---', '', `## ${escapeInline(c.title)}`, '', `Started ${formatTime(c.createdAt)} · last activity ${formatTime(c.updatedAt)}`];
  if (c.memory.facts.length) {
    lines.push('', '**What Mend remembered:**', ...c.memory.facts.map((f) => `- ${f.label}: ${escapeInline(f.value)}`));
  }
  for (const m of c.messages) lines.push('', ...messageMarkdown(m));
  if (c.brief) lines.push('', `**Your counsellor brief** (last changed ${formatTime(c.brief.updatedAt)}):`, '', quote(c.brief.markdown));
  return lines;
}

function messageMarkdown(m: ExportedMessage): string[] {
  const time = formatTime(m.createdAt, true);
  if (m.role === 'user') return [`**You** · ${time}`, '', quote(m.text)];
  if (m.role === 'safety') return [`> **Safety notice** · ${time}`, '>', quote(m.text)];
  const lines = [`**${speaker(m.meta.voice)}** · ${time}`, '', m.text || '_(no text)_'];
  const note = STATUS_NOTES[m.status];
  if (note) lines.push('', `_(${note})_`);
  if (m.meta.fallback) lines.push('', '_(Written by the guided coach because the AI model was unavailable.)_');
  return lines;
}

function speaker(voice: ExportedMessage['meta']['voice']): string {
  if (voice === 'son') return 'Mend, playing your son';
  if (voice === 'coach-note') return 'Mend, coach\'s note';
  if (voice === 'debrief') return 'Mend, debrief';
  return 'Mend';
}

/** Her words as a block quote, set apart from Mend's at a glance. */
function quote(text: string): string {
  return text.split('\n').map((line) => (line ? `> ${line}` : '>')).join('\n');
}

function escapeInline(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/([\\`*_[\]#<>|])/g, '\\$1');
}

function formatTime(iso: string, short = false): string {
  const date = new Date(iso);
  const day = date.toLocaleDateString('en-GB', { timeZone: 'UTC', day: 'numeric', month: short ? 'short' : 'long', year: 'numeric' });
  const time = date.toLocaleTimeString('en-GB', { timeZone: 'UTC', hour: '2-digit', minute: '2-digit' });
  return `${day}, ${time}`;
}
