/**
 * Opening SQLite databases the way the vault needs them: owner-only file mode, WAL
 * journal, a busy timeout for concurrent processes, and failures as `vault.*` errors.
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";
import { HaechiError } from "../errors.ts";
import { ensureFile } from "../runtime/mod.ts";

/** How to open a database. */
export interface OpenDatabaseOptions {
  /** `NORMAL` or `FULL`; see docs/vault.md for the trade-off. */
  readonly synchronous: "NORMAL" | "FULL";
  /** What the file is, for messages (`Token vault`, `Nonce ledger`). */
  readonly label: string;
}

/**
 * Open (creating when missing) the database at `path`.
 *
 * @throws {HaechiError} `vault.io` when the file cannot be created or opened,
 *   `vault.corrupt` when it is not a SQLite database.
 *
 * @example
 * ```ts ignore
 * const db = await openDatabase(".haechi/vault.db", { synchronous: "NORMAL", label: "Token vault" });
 * ```
 */
export async function openDatabase(
  path: string,
  options: OpenDatabaseOptions,
): Promise<DatabaseSync> {
  try {
    // SQLite creates files with the process umask; create it first so it is 0600, and
    // its -wal and -shm files inherit that mode from it.
    await ensureFile(path, 0o600);
  } catch {
    throw new HaechiError("vault.io", `${options.label} ${path} cannot be created`, { path });
  }
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(path);
  } catch {
    throw new HaechiError("vault.io", `${options.label} ${path} cannot be opened`, { path });
  }
  try {
    db.exec("PRAGMA busy_timeout = 5000");
    db.exec("PRAGMA journal_mode = WAL");
    db.exec(`PRAGMA synchronous = ${options.synchronous}`);
  } catch (e) {
    db.close();
    throw corruptError(options.label, path, e);
  }
  return db;
}

/**
 * The error for a database SQLite refuses to read, never quoting its content.
 *
 * @example
 * ```ts ignore
 * throw corruptError("Token vault", ".haechi/vault.db", e);
 * ```
 */
export function corruptError(label: string, path: string, cause: unknown): HaechiError {
  const reason = cause instanceof Error && /not a database|malformed|corrupt/i.test(cause.message)
    ? "is corrupt or not a SQLite database"
    : "cannot be read";
  return new HaechiError(
    "vault.corrupt",
    `${label} ${path} ${reason}; restore it from a backup or move it aside`,
    { path },
  );
}
