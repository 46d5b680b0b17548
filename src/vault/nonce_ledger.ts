/**
 * The nonce ledger: how many AES-GCM nonces each data key has used, persisted so the
 * budget holds across processes and restarts.
 *
 * Writing the count on every encryption would cost a durable write each time, so
 * processes reserve nonces in blocks: a block is recorded (durably, `synchronous=FULL`)
 * before any nonce in it is used, and the process then spends it from memory. A crash
 * loses the unspent rest of a block, so the count can only run high, never low: the
 * budget is never exceeded, at the price of reaching it up to one block early per crash.
 *
 * @module
 */
import type { DatabaseSync, StatementSync } from "node:sqlite";
import { HaechiError } from "../errors.ts";
import { corruptError, openDatabase } from "./_sqlite.ts";

/** Per-key counts. */
export interface NonceLedger {
  /**
   * Reserve between `min` and `max` nonces for `keyId` under `budget`, returning how many
   * were granted.
   *
   * @throws {HaechiError} `keys.nonce_budget_exhausted` when fewer than `min` remain.
   */
  reserve(keyId: number, min: number, max: number, budget: number): number;
  /** Nonces reserved so far for `keyId` (an upper bound on those used). */
  used(keyId: number): number;
  /** Close the database. */
  close(): void;
}

const LABEL = "Nonce ledger";

/**
 * Open the SQLite nonce ledger at `path`, creating it when missing.
 *
 * @throws {HaechiError} `vault.io` or `vault.corrupt`.
 *
 * @example
 * ```ts ignore
 * const ledger = await openNonceLedger(".haechi/keys.nonces.db");
 * const granted = ledger.reserve(1, 1, 1024, 2 ** 32);
 * ledger.close();
 * ```
 */
export async function openNonceLedger(path: string): Promise<NonceLedger> {
  const db = await openDatabase(path, { synchronous: "FULL", label: LABEL });
  let get: StatementSync;
  let put: StatementSync;
  try {
    db.exec(
      "CREATE TABLE IF NOT EXISTS nonces (key_id INTEGER PRIMARY KEY, reserved INTEGER NOT NULL) STRICT",
    );
    get = db.prepare("SELECT reserved FROM nonces WHERE key_id = ?");
    put = db.prepare(
      "INSERT INTO nonces (key_id, reserved) VALUES (?, ?) " +
        "ON CONFLICT(key_id) DO UPDATE SET reserved = excluded.reserved",
    );
  } catch (e) {
    db.close();
    throw corruptError(LABEL, path, e);
  }
  const usedBy = (keyId: number): number => {
    const row = get.get(keyId) as { reserved: number } | undefined;
    return row?.reserved ?? 0;
  };
  return {
    reserve(keyId, min, max, budget) {
      return transaction(db, path, () => {
        const reserved = usedBy(keyId);
        const left = budget - reserved;
        if (left < min) {
          throw new HaechiError(
            "keys.nonce_budget_exhausted",
            `Data key ${keyId} has used its budget of ${budget} encryptions; ` +
              `run "haechi keys rotate" to add a new key`,
            { keyId, budget, used: reserved },
          );
        }
        const granted = Math.min(max, left);
        put.run(keyId, reserved + granted);
        return granted;
      });
    },
    used(keyId) {
      try {
        return usedBy(keyId);
      } catch (e) {
        throw corruptError(LABEL, path, e);
      }
    },
    close() {
      db.close();
    },
  };
}

// BEGIN IMMEDIATE takes the write lock up front, so two processes cannot both read the
// same count and each grant the same block.
function transaction<T>(db: DatabaseSync, path: string, fn: () => T): T {
  try {
    db.exec("BEGIN IMMEDIATE");
  } catch (e) {
    throw corruptError(LABEL, path, e);
  }
  try {
    const out = fn();
    db.exec("COMMIT");
    return out;
  } catch (e) {
    db.exec("ROLLBACK");
    if (e instanceof HaechiError) throw e;
    throw corruptError(LABEL, path, e);
  }
}
