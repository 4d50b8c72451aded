import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Versioned migrations, applied in order and recorded in PRAGMA user_version.
 * Append only: never edit a migration that has shipped.
 */
const migrations: string[] = [
  `CREATE TABLE conversations (
     id TEXT PRIMARY KEY,
     owner_id TEXT NOT NULL,
     title TEXT NOT NULL,
     mode TEXT NOT NULL,
     safety_level TEXT NOT NULL DEFAULT 'calm',
     banner INTEGER NOT NULL DEFAULT 0,
     state_json TEXT NOT NULL DEFAULT '{}',
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL
   );
   CREATE INDEX conversations_owner ON conversations(owner_id, updated_at DESC);
   CREATE TABLE messages (
     id TEXT PRIMARY KEY,
     conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
     seq INTEGER NOT NULL,
     role TEXT NOT NULL,
     text TEXT NOT NULL,
     mode TEXT NOT NULL,
     safety_level TEXT NOT NULL,
     status TEXT NOT NULL,
     client_id TEXT,
     meta_json TEXT NOT NULL DEFAULT '{}',
     created_at INTEGER NOT NULL,
     UNIQUE (conversation_id, seq)
   );
   CREATE UNIQUE INDEX messages_client_id ON messages(conversation_id, client_id) WHERE client_id IS NOT NULL;`,
  // What belongs to her across conversations (her plans, small wins, check-ins): typed slots per owner.
  `CREATE TABLE owner_state (
     owner_id TEXT NOT NULL,
     key TEXT NOT NULL,
     state_json TEXT NOT NULL,
     updated_at INTEGER NOT NULL,
     PRIMARY KEY (owner_id, key)
   );`,
  // Progress of a reply being streamed, appended piece by piece: rewriting the whole reply on
  // every save made the WAL grow with the square of its length. Folded into the message when it ends.
  `CREATE TABLE reply_parts (
     message_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
     seq INTEGER NOT NULL,
     text TEXT NOT NULL,
     PRIMARY KEY (message_id, seq)
   ) WITHOUT ROWID;`,
];

export type Db = Database.Database;

export function openDatabase(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // NORMAL in WAL mode survives a process crash (kill -9); only an OS crash can lose the last commit.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function migrate(db: Db): void {
  const from = schemaVersion(db);
  for (let version = from; version < migrations.length; version++) {
    db.transaction(() => {
      db.exec(migrations[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}

export const LATEST_SCHEMA_VERSION = migrations.length;
