/**
 * The embedded {@linkcode VaultStore}: SQLite through `node:sqlite` at
 * `tokenVault.path` (default `.haechi/vault.db`).
 *
 * - WAL journal. Each insert is its own transaction and is committed before the token is
 *   handed out, so a process killed with `kill -9` loses no token it returned, and the
 *   database reopens cleanly (SQLite replays or discards the WAL tail).
 * - After `deferCommits` (the JSONL CLI path), inserts share one `BEGIN IMMEDIATE`
 *   transaction, opened by the first insert and closed by `commit`: a commit per batch
 *   of lines instead of per token. The caller commits before writing the batch's output,
 *   so a token that reached the output is still never lost; other processes wait for the
 *   write lock (busy timeout) no longer than one batch.
 * - `synchronous=NORMAL` by default: in WAL mode a commit is in the OS page cache once
 *   `insert` returns, which survives a process crash; only a power loss or kernel crash
 *   can drop the last commits. `tokenVault.synchronous: "full"` also syncs every commit,
 *   at roughly a disk flush per token.
 * - Records are appended to a table keyed by a sequence number; lookups go through unique
 *   indexes on the token id and the fingerprint, purging through an index on the expiry
 *   time (layout and upgrades in `_vault_schema.ts`). No query scans the table except
 *   `list` (export) and `count`.
 * - Statements are prepared once, when the store opens.
 * - Records read by id are kept in memory (ciphertext and metadata only, never a value), and
 *   a kept record is handed out only while `PRAGMA data_version` says no other connection,
 *   in this process or another, has committed since it was read: any commit elsewhere (a
 *   purge, a new token) drops them all. This store's own deletes drop what they delete. So
 *   `findById` answers exactly as the database would at the time of the call, for a third
 *   of a row read (every restored token and every repeated value is looked up by id).
 *
 * @module
 */
import type { DatabaseSync, StatementSync } from "node:sqlite";
import { HaechiError } from "../errors.ts";
import { corruptError, openDatabase } from "./_sqlite.ts";
import { RecentMap } from "./_recent.ts";
import { COLUMNS, prepareVaultSchema } from "./_vault_schema.ts";
import type { TokenMetadata, VaultRecord, VaultStore } from "./store.ts";

export { VAULT_SCHEMA_VERSION } from "./_vault_schema.ts";

const LABEL = "Token vault";
/** Page cache per open vault, KiB; SQLite allocates it only as pages are read. */
const CACHE_KIB = 32 * 1024;
/** WAL pages (4 KiB) that trigger a checkpoint. */
const CHECKPOINT_PAGES = 8192;

/** Records kept by id between commits of other connections. */
const KEPT_RECORDS = 10_000;

/** Options for {@linkcode openSqliteStore}. */
export interface SqliteStoreOptions {
  /** `normal` (default) or `full`. */
  readonly synchronous?: "normal" | "full";
}

/** The SQLite store, with a bulk loader for benchmarks and imports. */
export interface SqliteVaultStore extends VaultStore {
  /** Insert many records in one transaction; returns how many were new. */
  insertMany(records: Iterable<VaultRecord>): number;
  /** Database path. */
  readonly path: string;
}

interface Row {
  id: string;
  type: string;
  scope: string;
  created_at: number;
  expires_at: number | null;
  fingerprint: Uint8Array | null;
  key_id: number;
  nonce: Uint8Array;
  ciphertext: Uint8Array;
}

/**
 * Open (creating when missing) the vault database at `path`.
 *
 * @throws {HaechiError} `vault.io` when it cannot be opened, `vault.corrupt` when it is not
 *   a vault database or SQLite reports damage.
 *
 * @example
 * ```ts ignore
 * const store = await openSqliteStore(".haechi/vault.db");
 * console.log(store.count());
 * store.close();
 * ```
 */
export async function openSqliteStore(
  path: string,
  options: SqliteStoreOptions = {},
): Promise<SqliteVaultStore> {
  const db = await openDatabase(path, {
    synchronous: options.synchronous === "full" ? "FULL" : "NORMAL",
    label: LABEL,
  });
  try {
    // Tokens land on random pages of two indexes (random ids, keyed fingerprints); SQLite's
    // default 2 MB page cache made most inserts into a vault of some 10k tokens re-read pages.
    db.exec(`PRAGMA cache_size = -${CACHE_KIB}`);
    // A checkpoint copies WAL pages into the file and syncs both. At SQLite's default of
    // 1000 pages a batch of new tokens, spread over random pages, forced one per commit.
    db.exec(`PRAGMA wal_autocheckpoint = ${CHECKPOINT_PAGES}`);
    prepareVaultSchema(db, path, LABEL);
    return new SqliteStore(db, path);
  } catch (e) {
    try {
      db.close();
    } catch {
      // Already unusable.
    }
    throw e instanceof HaechiError ? e : corruptError(LABEL, path, e);
  }
}

class SqliteStore implements SqliteVaultStore {
  readonly path: string;
  #db: DatabaseSync;
  #byId: StatementSync;
  #byFingerprint: StatementSync;
  #insert: StatementSync;
  #delete: StatementSync;
  #purge: StatementSync;
  #count: StatementSync;
  #listAll: StatementSync;
  #listType: StatementSync;
  #version: StatementSync;
  #deferring = false;
  #inTransaction = false;
  /** Records read by id, valid while the data version stays `#keptAt`. */
  #kept = new RecentMap<string, VaultRecord>(KEPT_RECORDS);
  #keptAt = -1;

  constructor(db: DatabaseSync, path: string) {
    this.#db = db;
    this.path = path;
    this.#byId = db.prepare(`SELECT ${COLUMNS} FROM tokens WHERE id = ?`);
    this.#byFingerprint = db.prepare(`SELECT ${COLUMNS} FROM tokens WHERE fingerprint = ?`);
    this.#insert = db.prepare(
      `INSERT INTO tokens (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    );
    this.#delete = db.prepare("DELETE FROM tokens WHERE id = ?");
    this.#purge = db.prepare(
      "DELETE FROM tokens WHERE seq IN (SELECT seq FROM tokens " +
        "WHERE expires_at IS NOT NULL AND expires_at <= ? LIMIT ?)",
    );
    this.#count = db.prepare("SELECT count(*) AS n FROM tokens");
    const meta = "id, type, scope, created_at, expires_at";
    this.#listAll = db.prepare(`SELECT ${meta} FROM tokens`);
    this.#listType = db.prepare(`SELECT ${meta} FROM tokens WHERE type = ?`);
    this.#version = db.prepare("PRAGMA data_version");
  }

  findById(id: string): VaultRecord | undefined {
    return this.#guard(() => {
      const version = (this.#version.get() as { data_version: number }).data_version;
      if (version !== this.#keptAt) {
        this.#forget();
        this.#keptAt = version;
      } else {
        const kept = this.#kept.get(id);
        if (kept !== undefined) return kept;
      }
      const row = this.#byId.get(id) as Row | undefined;
      if (row === undefined) return undefined;
      const record = toRecord(row);
      this.#kept.set(id, record);
      return record;
    });
  }

  findByFingerprint(fingerprint: Uint8Array): VaultRecord | undefined {
    const row = this.#guard(() => this.#byFingerprint.get(fingerprint) as Row | undefined);
    return row === undefined ? undefined : toRecord(row);
  }

  insert(r: VaultRecord): boolean {
    return this.#guard(() => {
      if (this.#deferring && !this.#inTransaction) {
        this.#db.exec("BEGIN IMMEDIATE");
        this.#inTransaction = true;
      }
      return this.#insertOne(r);
    });
  }

  deferCommits(): void {
    this.#deferring = true;
  }

  commit(): void {
    if (!this.#inTransaction) return;
    this.#inTransaction = false;
    this.#guard(() => {
      try {
        this.#db.exec("COMMIT");
      } catch (e) {
        // Nothing of the batch is stored: its tokens must not be handed out.
        this.#forget();
        try {
          this.#db.exec("ROLLBACK");
        } catch {
          // SQLite already rolled back.
        }
        throw e;
      }
    });
  }

  insertMany(records: Iterable<VaultRecord>): number {
    this.commit();
    return this.#guard(() => {
      this.#db.exec("BEGIN IMMEDIATE");
      let n = 0;
      try {
        for (const r of records) if (this.#insertOne(r)) n++;
        this.#db.exec("COMMIT");
      } catch (e) {
        this.#forget();
        this.#db.exec("ROLLBACK");
        throw e;
      }
      return n;
    });
  }

  deleteById(id: string): boolean {
    this.#kept.delete(id);
    return this.#guard(() => Number(this.#delete.run(id).changes) > 0);
  }

  purgeExpired(now: number, limit: number): number {
    const n = this.#guard(() => Number(this.#purge.run(now, limit).changes));
    // This connection's own commits leave the data version as it was.
    if (n > 0) this.#forget();
    return n;
  }

  *list(filter: { readonly type?: string } = {}): Iterable<TokenMetadata> {
    const rows = filter.type === undefined
      ? this.#listAll.iterate()
      : this.#listType.iterate(filter.type);
    for (const raw of rows) {
      const row = raw as unknown as Row;
      yield {
        id: row.id,
        type: row.type,
        scope: row.scope,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
      };
    }
  }

  count(): number {
    return this.#guard(() => (this.#count.get() as { n: number }).n);
  }

  close(): void {
    // A deferred batch is committed, never dropped: its tokens may already be in use.
    try {
      this.commit();
    } finally {
      this.#db.close();
    }
  }

  /** Drop every kept record. */
  #forget(): void {
    if (this.#kept.size > 0) this.#kept = new RecentMap(KEPT_RECORDS);
  }

  #insertOne(r: VaultRecord): boolean {
    const res = this.#insert.run(
      r.id,
      r.type,
      r.scope,
      r.createdAt,
      r.expiresAt,
      r.fingerprint,
      r.keyId,
      r.nonce,
      r.ciphertext,
    );
    return Number(res.changes) > 0;
  }

  #guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof HaechiError) throw e;
      throw corruptError(LABEL, this.path, e);
    }
  }
}

function toRecord(row: Row): VaultRecord {
  return {
    id: row.id,
    type: row.type,
    scope: row.scope,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    fingerprint: row.fingerprint,
    keyId: row.key_id,
    nonce: row.nonce,
    ciphertext: row.ciphertext,
  };
}
