import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { MendError } from '../protocol/errors.js';
import { BoundedMemo } from '../text/bounded-memo.js';
import { openDatabase, type Db } from './database.js';
import { decodeSlot, type StateSlot, type StoredSlot } from './state-slot.js';
import type { Clock } from '../clock.js';
import { ConversationRecord, MessageRecord, type MessageRole } from '../protocol/records.js';
import type { ChatMode, ReplyMeta, ReplyStatus } from '../protocol/frames.js';
import type { SafetyLevel } from '../protocol/safety.js';

export class StoreError extends MendError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('storage', message, options);
  }
}

export interface NewMessage {
  role: MessageRole;
  text: string;
  mode: ChatMode;
  safetyLevel: SafetyLevel;
  status: ReplyStatus;
  clientId?: string | null;
  meta?: Partial<ReplyMeta>;
}

interface ConversationRow {
  id: string; title: string; mode: string; safety_level: string; banner: number; created_at: number; updated_at: number;
}
interface MessageRow {
  id: string; conversation_id: string; seq: number; role: string; text: string; mode: string;
  safety_level: string; status: string; client_id: string | null; meta_json: string; created_at: number;
}

/**
 * A reply reads as its text plus its progress rows, in order: while it streams, and when a
 * full disk stopped it before its final save could fold them in.
 */
const MESSAGE_COLUMNS = `m.id, m.conversation_id, m.seq, m.role, m.mode, m.safety_level, m.status, m.client_id, m.meta_json, m.created_at,
  m.text || COALESCE((SELECT group_concat(p.text, '' ORDER BY p.seq) FROM reply_parts p WHERE p.message_id = m.id), '') AS text`;

const SAVE_FAILED = 'Your conversation could not be saved just now (storage problem). Nothing was half-written; please try again.';

/** Ids of conversations (and their messages) that live only in memory. */
export const PRIVATE_ID_PREFIX = 'private-';
const isPrivateId = (id: string) => id.startsWith(PRIVATE_ID_PREFIX);

const toConversation = (row: ConversationRow): ConversationRecord =>
  ConversationRecord.parse({
    id: row.id, title: row.title, mode: row.mode, safetyLevel: row.safety_level,
    banner: row.banner === 1, private: isPrivateId(row.id), createdAt: row.created_at, updatedAt: row.updated_at,
  });

/**
 * Rows are only ever written by appendMessage from typed values, so reading them back is a plain
 * mapping: validating every message of a long history on every turn was most of a turn's cost.
 */
const toMessage = (row: MessageRow): MessageRecord => ({
  id: row.id, conversationId: row.conversation_id, seq: row.seq, role: row.role as MessageRecord['role'], text: row.text,
  mode: row.mode as MessageRecord['mode'], safetyLevel: row.safety_level as MessageRecord['safetyLevel'],
  status: row.status as MessageRecord['status'], clientId: row.client_id,
  meta: metaOf(row.meta_json), createdAt: row.created_at,
});

/**
 * A turn reads up to two hundred messages, and parsing each one's meta was over half of that
 * read; most metas repeat exactly ("calm, no citations"), and each message's stays the same
 * from turn to turn. So each distinct meta text is parsed once and shared, frozen, since a
 * shared value that one reader changed would be read changed by all.
 */
const PARSED_METAS = new BoundedMemo<MessageRecord['meta']>(5_000, 4_000);

function metaOf(json: string): MessageRecord['meta'] {
  return PARSED_METAS.get(json, (raw) => deepFreeze(JSON.parse(raw) as MessageRecord['meta']));
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** How many conversations' parsed state is kept at once; past that the memo starts again. */
const PARSED_STATES = 1_000;

/**
 * Conversations and their messages. Every read and write that starts from the outside is
 * scoped by owner, so one browser can never reach another's conversations.
 */
export class ConversationStore {
  private readonly sql;
  /** Private conversations ("don't keep this"): the same store on an in-memory database, never on disk. */
  private vaultStore?: ConversationStore;
  private readonly parsedStates = new Map<string, { raw: string; state: Record<string, unknown> }>();

  constructor(private readonly db: Db, private readonly clock: Clock, private readonly idPrefix = '') {
    this.sql = {
      insertConversation: db.prepare(
        `INSERT INTO conversations (id, owner_id, title, mode, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`),
      listConversations: db.prepare(
        `SELECT * FROM conversations WHERE owner_id = ? ORDER BY updated_at DESC, rowid DESC`),
      getConversation: db.prepare(`SELECT * FROM conversations WHERE id = ? AND owner_id = ?`),
      listAtLevels: db.prepare(
        `SELECT * FROM conversations WHERE owner_id = ? AND updated_at >= ? AND safety_level IN (SELECT value FROM json_each(?))
         ORDER BY updated_at DESC, rowid DESC`),
      rename: db.prepare(`UPDATE conversations SET title = ?, updated_at = ? WHERE id = ? AND owner_id = ?`),
      deleteConversation: db.prepare(`DELETE FROM conversations WHERE id = ? AND owner_id = ?`),
      deleteAll: db.prepare(`DELETE FROM conversations WHERE owner_id = ?`),
      touch: db.prepare(`UPDATE conversations SET updated_at = ? WHERE id = ?`),
      setMode: db.prepare(`UPDATE conversations SET mode = ? WHERE id = ?`),
      setSafety: db.prepare(`UPDATE conversations SET safety_level = ?, banner = MAX(banner, ?) WHERE id = ?`),
      getState: db.prepare(`SELECT state_json FROM conversations WHERE id = ?`),
      setState: db.prepare(`UPDATE conversations SET state_json = ? WHERE id = ?`),
      listMessages: db.prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages m WHERE conversation_id = ? ORDER BY seq`),
      recentMessages: db.prepare(
        `SELECT * FROM (SELECT ${MESSAGE_COLUMNS} FROM messages m WHERE conversation_id = ? ORDER BY seq DESC LIMIT ?) ORDER BY seq`),
      metaOf: db.prepare(`SELECT meta_json FROM messages WHERE id = ?`),
      getMessage: db.prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages m WHERE id = ?`),
      userTexts: db.prepare(`SELECT text FROM messages WHERE conversation_id = ? AND role = 'user' ORDER BY seq`),
      ownedMessage: db.prepare(
        `SELECT ${MESSAGE_COLUMNS} FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE m.id = ? AND c.owner_id = ?`),
      byClientId: db.prepare(`SELECT * FROM messages WHERE conversation_id = ? AND client_id = ?`),
      nextSeq: db.prepare(`SELECT COALESCE(MAX(seq), 0) + 1 AS seq FROM messages WHERE conversation_id = ?`),
      insertMessage: db.prepare(
        `INSERT INTO messages (id, conversation_id, seq, role, text, mode, safety_level, status, client_id, meta_json, created_at)
         VALUES (@id, @conversationId, @seq, @role, @text, @mode, @safetyLevel, @status, @clientId, @meta, @createdAt)`),
      updateReply: db.prepare(`UPDATE messages SET text = ?, status = ?, meta_json = ? WHERE id = ?`),
      appendPart: db.prepare(
        `INSERT INTO reply_parts (message_id, seq, text)
         SELECT ?, COALESCE(MAX(seq), 0) + 1, ? FROM reply_parts WHERE message_id = ?`),
      deleteParts: db.prepare(`DELETE FROM reply_parts WHERE message_id = ?`),
      markFailed: db.prepare(`UPDATE messages SET status = 'failed' WHERE id = ? AND status = 'streaming'`),
      deleteMessage: db.prepare(`DELETE FROM messages WHERE id = ?`),
      reviseUser: db.prepare(
        `UPDATE messages SET text = ?, safety_level = ?, meta_json = ?, created_at = ? WHERE id = ? AND role = 'user'`),
      foldInterrupted: db.prepare(
        `UPDATE messages SET text = text || COALESCE((SELECT group_concat(p.text, '' ORDER BY p.seq) FROM reply_parts p WHERE p.message_id = messages.id), '')
         WHERE id IN (SELECT message_id FROM reply_parts)`),
      interrupted: db.prepare(`UPDATE messages SET status = 'incomplete' WHERE status = 'streaming'`),
      getOwnerSlot: db.prepare(`SELECT state_json FROM owner_state WHERE owner_id = ? AND key = ?`),
      setOwnerSlot: db.prepare(
        `INSERT INTO owner_state (owner_id, key, state_json, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (owner_id, key) DO UPDATE SET state_json = excluded.state_json, updated_at = excluded.updated_at`),
      clearOwnerSlot: db.prepare(`DELETE FROM owner_state WHERE owner_id = ? AND key = ?`),
      clearOwner: db.prepare(`DELETE FROM owner_state WHERE owner_id = ?`),
      search: db.prepare(
        `SELECT c.* FROM conversations c WHERE c.owner_id = ? AND (c.title LIKE ? ESCAPE '\\' OR EXISTS (
           SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.role IN ('user', 'assistant') AND m.text LIKE ? ESCAPE '\\'))
         ORDER BY c.updated_at DESC, c.rowid DESC`),
      orphanParts: db.prepare(`DELETE FROM reply_parts`),
    };
  }

  /**
   * `init.id` (from reserveConversationId) lets a caller name a conversation before creating
   * it, so the creation can join the transaction that stores its first message.
   */
  createConversation(ownerId: string, init: { id?: string; title?: string; mode?: ChatMode; private?: boolean } = {}): ConversationRecord {
    if ((init.private || (init.id && isPrivateId(init.id))) && !this.idPrefix) return this.vault.createConversation(ownerId, { ...init, private: true });
    const id = init.id ?? this.idPrefix + randomUUID();
    const now = this.clock.now();
    this.run(() => this.sql.insertConversation.run(id, ownerId, init.title?.trim() || 'New conversation', init.mode ?? 'coach', now, now));
    return this.getConversation(ownerId, id)!;
  }

  /** An id for a conversation not created yet; a private one lives in the vault like any private id. */
  reserveConversationId(isPrivate = false): string {
    return (isPrivate ? PRIVATE_ID_PREFIX : this.idPrefix) + randomUUID();
  }

  /**
   * Runs `work` as one SQLite transaction on the database that holds the conversation (the
   * vault for a private one): every write in it lands, or none does. Writes made through this
   * store inside it join it (better-sqlite3 nests them as savepoints).
   */
  atomically<T>(conversationId: string, work: () => T): T {
    if (this.routesAway(conversationId)) return this.vault.atomically(conversationId, work);
    try {
      return this.db.transaction(work)();
    } catch (error) {
      // A failing write inside is already a StoreError; an error of the caller's own stays what it is.
      if (error instanceof MendError || !(error instanceof Database.SqliteError)) throw error;
      throw new StoreError(SAVE_FAILED, { cause: error });
    }
  }

  listConversations(ownerId: string): ConversationRecord[] {
    if (this.vaultStore) {
      return [...this.vaultStore.listConversations(ownerId), ...this.listOwn(ownerId)].sort((a, b) => b.updatedAt - a.updatedAt);
    }
    return this.listOwn(ownerId);
  }

  /** Her conversations whose title or words (hers or Mend's) contain `query`, most recent first. */
  searchConversations(ownerId: string, query: string): ConversationRecord[] {
    const pattern = `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const own = (this.sql.search.all(ownerId, pattern, pattern) as ConversationRow[]).map(toConversation);
    if (!this.vaultStore) return own;
    return [...this.vaultStore.searchConversations(ownerId, query), ...own].sort((a, b) => b.updatedAt - a.updatedAt);
  }

  /** Her conversations at one of `levels`, touched since `since`, newest first: without reading all of them. */
  listConversationsAtLevels(ownerId: string, levels: readonly SafetyLevel[], since: number): ConversationRecord[] {
    const own = (this.sql.listAtLevels.all(ownerId, since, JSON.stringify(levels)) as ConversationRow[]).map(toConversation);
    if (!this.vaultStore) return own;
    return [...this.vaultStore.listConversationsAtLevels(ownerId, levels, since), ...own].sort((a, b) => b.updatedAt - a.updatedAt);
  }

  private listOwn(ownerId: string): ConversationRecord[] {
    return (this.sql.listConversations.all(ownerId) as ConversationRow[]).map(toConversation);
  }

  getConversation(ownerId: string, id: string): ConversationRecord | undefined {
    if (this.routesAway(id)) return this.vaultStore?.getConversation(ownerId, id);
    const row = this.sql.getConversation.get(id, ownerId) as ConversationRow | undefined;
    return row && toConversation(row);
  }

  renameConversation(ownerId: string, id: string, title: string): ConversationRecord | undefined {
    if (this.routesAway(id)) return this.vaultStore?.renameConversation(ownerId, id, title);
    this.run(() => this.sql.rename.run(title.trim(), this.clock.now(), id, ownerId));
    return this.getConversation(ownerId, id);
  }

  deleteConversation(ownerId: string, id: string): boolean {
    if (this.routesAway(id)) return this.vaultStore?.deleteConversation(ownerId, id) ?? false;
    this.parsedStates.delete(id);
    return this.run(() => this.sql.deleteConversation.run(id, ownerId)).changes > 0;
  }

  deleteAllConversations(ownerId: string): number {
    const vaulted = this.vaultStore?.deleteAllConversations(ownerId) ?? 0;
    this.parsedStates.clear();
    return vaulted + this.run(() => this.sql.deleteAll.run(ownerId)).changes;
  }

  /** Messages in order. Callers have checked ownership through getConversation. */
  listMessages(conversationId: string): MessageRecord[] {
    if (this.routesAway(conversationId)) return this.vaultStore?.listMessages(conversationId) ?? [];
    return (this.sql.listMessages.all(conversationId) as MessageRow[]).map(toMessage);
  }

  /** The last `limit` messages in order: what a turn reads, at a cost that does not grow with the conversation. */
  listRecentMessages(conversationId: string, limit: number): MessageRecord[] {
    if (this.routesAway(conversationId)) return this.vaultStore?.listRecentMessages(conversationId, limit) ?? [];
    return (this.sql.recentMessages.all(conversationId, limit) as MessageRow[]).map(toMessage);
  }

  /** The text of every message of hers in the conversation, nothing else (name masking needs all of them). */
  listUserTexts(conversationId: string): string[] {
    if (this.routesAway(conversationId)) return this.vaultStore?.listUserTexts(conversationId) ?? [];
    return (this.sql.userTexts.all(conversationId) as Array<{ text: string }>).map((r) => r.text);
  }

  getMessage(id: string): MessageRecord | undefined {
    if (this.routesAway(id)) return this.vaultStore?.getMessage(id);
    const row = this.sql.getMessage.get(id) as MessageRow | undefined;
    return row && toMessage(row);
  }

  getOwnedMessage(ownerId: string, id: string): MessageRecord | undefined {
    if (this.routesAway(id)) return this.vaultStore?.getOwnedMessage(ownerId, id);
    const row = this.sql.ownedMessage.get(id, ownerId) as MessageRow | undefined;
    return row && toMessage(row);
  }

  findByClientId(conversationId: string, clientId: string): MessageRecord | undefined {
    if (this.routesAway(conversationId)) return this.vaultStore?.findByClientId(conversationId, clientId);
    const row = this.sql.byClientId.get(conversationId, clientId) as MessageRow | undefined;
    return row && toMessage(row);
  }

  /** Appends at the next sequence number and commits before returning. */
  appendMessage(conversationId: string, message: NewMessage): MessageRecord {
    if (this.routesAway(conversationId)) return this.vault.appendMessage(conversationId, message);
    const id = this.idPrefix + randomUUID();
    const createdAt = this.clock.now();
    this.run(() => this.db.transaction(() => {
      const { seq } = this.sql.nextSeq.get(conversationId) as { seq: number };
      this.sql.insertMessage.run({
        id, conversationId, seq, role: message.role, text: message.text, mode: message.mode,
        safetyLevel: message.safetyLevel, status: message.status, clientId: message.clientId ?? null,
        meta: JSON.stringify({ citations: [], steps: [], ...message.meta }), createdAt,
      });
      this.sql.touch.run(createdAt, conversationId);
      this.sql.setMode.run(message.mode, conversationId);
    })());
    return this.getMessage(id)!;
  }

  /**
   * Saves the text streamed since the last save, appended as its own row: each save writes
   * only what is new, so the disk (and the WAL) grows with the reply, not its square.
   * Called periodically so a crash keeps most of a reply.
   */
  appendReplyProgress(messageId: string, newText: string): void {
    if (this.routesAway(messageId)) return this.vaultStore?.appendReplyProgress(messageId, newText);
    if (!newText) return;
    this.run(() => this.sql.appendPart.run(messageId, newText, messageId));
  }

  /** Writes the whole reply and its final status in one transaction, and drops its progress rows. */
  finishReply(messageId: string, text: string, status: ReplyStatus, meta: Partial<ReplyMeta>): void {
    if (this.routesAway(messageId)) return this.vaultStore?.finishReply(messageId, text, status, meta);
    this.run(() => this.db.transaction(() => {
      const row = this.sql.metaOf.get(messageId) as { meta_json: string } | undefined;
      const merged = { ...(row ? JSON.parse(row.meta_json) as Partial<ReplyMeta> : {}), ...meta };
      this.sql.updateReply.run(text, status, JSON.stringify(merged), messageId);
      this.sql.deleteParts.run(messageId);
    })());
  }

  /**
   * The last resort when a reply could not be finished (the disk is full): only its status
   * changes, which needs no new space, so the row does not stay `streaming`. What the progress
   * saves wrote stays (and reads as part of the reply). Returns false when even this could not be written.
   */
  markReplyFailed(messageId: string): boolean {
    if (this.routesAway(messageId)) return this.vaultStore?.markReplyFailed(messageId) ?? false;
    try {
      this.sql.markFailed.run(messageId);
      return true;
    } catch {
      return false;
    }
  }

  updateMeta(messageId: string, meta: Partial<ReplyMeta>): void {
    if (this.routesAway(messageId)) return this.vaultStore?.updateMeta(messageId, meta);
    const current = this.getMessage(messageId);
    if (!current) return;
    this.run(() => this.sql.updateReply.run(current.text, current.status, JSON.stringify({ ...current.meta, ...meta }), messageId));
  }

  /**
   * Her message with new words (she edited it): its text, its verdict and its meta change in
   * place, keeping its place (seq) and clientId. Its time becomes now: the time of the words it
   * holds, as an earlier version keeps the time of its own. Returns the row as stored.
   */
  reviseUserMessage(messageId: string, revision: { text: string; safetyLevel: SafetyLevel; meta: Partial<ReplyMeta> }): MessageRecord | undefined {
    if (this.routesAway(messageId)) return this.vaultStore?.reviseUserMessage(messageId, revision);
    const current = this.getMessage(messageId);
    if (!current || current.role !== 'user') return undefined;
    const now = this.clock.now();
    const meta = JSON.stringify({ ...current.meta, ...revision.meta });
    this.run(() => this.db.transaction(() => {
      this.sql.reviseUser.run(revision.text, revision.safetyLevel, meta, now, messageId);
      this.sql.touch.run(now, current.conversationId);
    })());
    return this.getMessage(messageId);
  }

  deleteMessage(messageId: string): void {
    if (this.routesAway(messageId)) return this.vaultStore?.deleteMessage(messageId);
    this.run(() => this.sql.deleteMessage.run(messageId));
  }

  setSafety(conversationId: string, level: SafetyLevel, banner: boolean): void {
    if (this.routesAway(conversationId)) return this.vaultStore?.setSafety(conversationId, level, banner);
    this.run(() => this.sql.setSafety.run(level, banner ? 1 : 0, conversationId));
  }

  /** One concern's typed, versioned piece of the conversation's state; absent when missing, old or corrupt. */
  readSlot<T>(conversationId: string, slot: StateSlot<T>): T | undefined {
    if (this.routesAway(conversationId)) return this.vaultStore?.readSlot(conversationId, slot);
    const state = this.stateOf(conversationId);
    // The schema builds a fresh value, so the shared parsed state is never handed out to be changed.
    return state ? decodeSlot(slot, state[slot.key]) : undefined;
  }

  /**
   * The conversation's state, parsed once per change: a turn reads a dozen slots from a state
   * that has not changed between them. What is kept is forgotten when a conversation is deleted.
   */
  private stateOf(conversationId: string): Record<string, unknown> | undefined {
    const row = this.sql.getState.get(conversationId) as { state_json: string } | undefined;
    if (!row) return undefined;
    const known = this.parsedStates.get(conversationId);
    if (known?.raw === row.state_json) return known.state;
    return this.remember(conversationId, row.state_json, JSON.parse(row.state_json) as Record<string, unknown>);
  }

  private remember(conversationId: string, raw: string, state: Record<string, unknown>): Record<string, unknown> {
    if (this.parsedStates.size >= PARSED_STATES) this.parsedStates.clear();
    this.parsedStates.set(conversationId, { raw, state });
    return state;
  }

  /** Writes a slot; `undefined` clears it. */
  writeSlot<T>(conversationId: string, slot: StateSlot<T>, value: T | undefined): void {
    if (this.routesAway(conversationId)) return this.vaultStore?.writeSlot(conversationId, slot, value);
    this.run(() => this.db.transaction(() => {
      const current = this.stateOf(conversationId);
      if (!current) return;
      // A copy: readers may hold the parsed state this replaces. What is written is also what
      // is kept parsed, so the read after a write does not parse the state again.
      const state = { ...current };
      if (value === undefined) delete state[slot.key];
      // Kept as parsed from its own JSON, so a caller changing `value` later cannot change it.
      else state[slot.key] = JSON.parse(JSON.stringify({ v: slot.version, data: value } satisfies StoredSlot)) as StoredSlot;
      const raw = JSON.stringify(state);
      this.sql.setState.run(raw, conversationId);
      this.remember(conversationId, raw, state);
    })());
  }

  /**
   * A slot that belongs to her rather than to one conversation (plans, small wins), read back
   * only when its version matches and it passes the schema. Private conversations never
   * write here: the features that own such slots check before they do.
   */
  readOwnerSlot<T>(ownerId: string, slot: StateSlot<T>): T | undefined {
    const row = this.sql.getOwnerSlot.get(ownerId, slot.key) as { state_json: string } | undefined;
    return row ? decodeSlot(slot, JSON.parse(row.state_json)) : undefined;
  }

  /** Writes one of her slots; `undefined` clears it. */
  writeOwnerSlot<T>(ownerId: string, slot: StateSlot<T>, value: T | undefined): void {
    if (value === undefined) {
      this.run(() => this.sql.clearOwnerSlot.run(ownerId, slot.key));
      return;
    }
    const stored = JSON.stringify({ v: slot.version, data: value } satisfies StoredSlot);
    this.run(() => this.sql.setOwnerSlot.run(ownerId, slot.key, stored, this.clock.now()));
  }

  /** "Delete everything": her slots go with her conversations. */
  deleteOwnerState(ownerId: string): number {
    return this.run(() => this.sql.clearOwner.run(ownerId)).changes;
  }

  /** At start-up: replies that were streaming when the process died are kept, marked incomplete; saved progress is folded in. */
  markInterruptedReplies(): number {
    return this.run(() => this.db.transaction(() => {
      this.sql.foldInterrupted.run();
      const { changes } = this.sql.interrupted.run();
      this.sql.orphanParts.run();
      return changes;
    })());
  }

  /** A private id reaching the disk store goes to the vault; the vault itself never routes away. */
  private routesAway(id: string): boolean {
    return !this.idPrefix && isPrivateId(id);
  }

  private get vault(): ConversationStore {
    this.vaultStore ??= new ConversationStore(openDatabase(':memory:'), this.clock, PRIVATE_ID_PREFIX);
    return this.vaultStore;
  }

  /** Wraps SQLite failures (busy, disk full) in one typed error; better-sqlite3 rolls the transaction back. */
  private run<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw new StoreError(SAVE_FAILED, { cause: error });
    }
  }
}
