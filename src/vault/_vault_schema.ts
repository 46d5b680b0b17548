/**
 * The token vault's table layout, and the in-place upgrade of databases written in an
 * earlier one.
 *
 * Version 2 (now): a rowid table with a sequential key, so a new record is appended to the
 * end of the table's B-tree, and separate unique indexes on the token id and the
 * fingerprint. Version 1 kept whole records in a `WITHOUT ROWID` B-tree keyed by the random
 * token id: every new token landed on a random leaf of the largest tree, and a batch commit
 * wrote almost every leaf page back. Now only the two small index entries (about 30 bytes
 * each) land on random pages.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { HaechiError } from "../errors.ts";

/** Schema version kept in `PRAGMA user_version`. */
export const VAULT_SCHEMA_VERSION = 2;

/** The record columns, in the order statements bind and read them. */
export const COLUMNS =
  "id, type, scope, created_at, expires_at, fingerprint, key_id, nonce, ciphertext";

const TABLE = (name: string) => `
CREATE TABLE ${name} (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL,
  type TEXT NOT NULL,
  scope TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER,
  fingerprint BLOB,
  key_id INTEGER NOT NULL,
  nonce BLOB NOT NULL,
  ciphertext BLOB NOT NULL
) STRICT`;

const INDEXES = `
CREATE UNIQUE INDEX tokens_by_id ON tokens (id);
CREATE UNIQUE INDEX tokens_by_fingerprint ON tokens (fingerprint) WHERE fingerprint IS NOT NULL;
CREATE INDEX tokens_by_expiry ON tokens (expires_at) WHERE expires_at IS NOT NULL;
`;

/**
 * Create the tables of a new database, or bring an older one to
 * {@linkcode VAULT_SCHEMA_VERSION} in one transaction: a process killed mid-way leaves
 * the database as it was, and a process opening it at the same time waits for the write
 * lock, then finds it upgraded.
 *
 * @throws {HaechiError} `vault.corrupt` when the database is from a newer haechi.
 * @throws Whatever SQLite throws for a damaged file (the caller maps it).
 */
export function prepareVaultSchema(db: DatabaseSync, path: string, label: string): void {
  if (userVersion(db, path, label) === VAULT_SCHEMA_VERSION) return;
  db.exec("BEGIN IMMEDIATE");
  try {
    // Read again under the write lock: another process may have upgraded meanwhile.
    if (userVersion(db, path, label) !== VAULT_SCHEMA_VERSION) upgrade(db);
    db.exec("COMMIT");
  } catch (e) {
    try {
      db.exec("ROLLBACK");
    } catch {
      // SQLite already rolled back.
    }
    throw e;
  }
}

function userVersion(db: DatabaseSync, path: string, label: string): number {
  const version = (db.prepare("PRAGMA user_version").get() as { user_version: number })
    .user_version;
  if (version > VAULT_SCHEMA_VERSION) {
    throw new HaechiError(
      "vault.corrupt",
      `${label} ${path} has schema version ${version}; this haechi reads up to ${VAULT_SCHEMA_VERSION}`,
      { path },
    );
  }
  return version;
}

function upgrade(db: DatabaseSync): void {
  // The layout is read from the table itself, not only from user_version: version 1 set
  // the version after creating its table, so a crash in between left a version-0 file
  // with a version-1 table.
  const columns = db.prepare("SELECT name FROM pragma_table_info('tokens')").all() as {
    name: string;
  }[];
  if (columns.length === 0) {
    db.exec(TABLE("tokens"));
    db.exec(INDEXES);
  } else if (!columns.some((c) => c.name === "seq")) {
    // Version 1. Records are copied unchanged (the ciphertext's additional data binds the
    // token id, type and scope, not the row), oldest first so sequence order stays
    // insertion order; the indexes are built after the copy, from sorted input.
    db.exec(TABLE("tokens_v2"));
    db.exec(
      `INSERT INTO tokens_v2 (${COLUMNS}) SELECT ${COLUMNS} FROM tokens ORDER BY created_at, id`,
    );
    db.exec("DROP TABLE tokens");
    db.exec("ALTER TABLE tokens_v2 RENAME TO tokens");
    db.exec(INDEXES);
  }
  db.exec(`PRAGMA user_version = ${VAULT_SCHEMA_VERSION}`);
}
