/**
 * An advisory lock file (`<path>.lock`) serialising key file changes across processes.
 *
 * Two processes rotating or upgrading the key file at once would each write a data key
 * the other never sees, and anything encrypted under the lost one could never be read
 * again. The lock is a file created with `createNew`, so exactly one process wins; a lock
 * older than {@linkcode STALE_LOCK_MS} is taken to belong to a crashed process and removed.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";
import { fileAgeMs, isAlreadyExists, removeFile, writeTextFile } from "../runtime/mod.ts";

/** A lock this old is left over from a crash; key file updates take milliseconds. */
export const STALE_LOCK_MS = 30_000;
const WAIT_MS = 10_000;

/**
 * Run `fn` while holding the lock for `path`.
 *
 * @throws {HaechiError} `keys.locked` when another process holds the lock for too long.
 *
 * @example
 * ```ts ignore
 * await withFileLock(".haechi/keys.json", async () => { … });
 * ```
 */
export async function withFileLock<T>(path: string, fn: () => Promise<T>): Promise<T> {
  const lock = `${path}.lock`;
  const deadline = Date.now() + WAIT_MS;
  let delay = 5;
  for (;;) {
    try {
      await writeTextFile(lock, `${Date.now()}\n`, { mode: 0o600, createNew: true });
      break;
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
      const age = await fileAgeMs(lock);
      if (age !== null && age > STALE_LOCK_MS) {
        await removeFile(lock);
        continue;
      }
      if (Date.now() > deadline) {
        throw new HaechiError(
          "keys.locked",
          `Key file ${path} is locked by another process; if none is running, remove ${lock}`,
          { path: lock },
        );
      }
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 100);
    }
  }
  try {
    return await fn();
  } finally {
    await removeFile(lock);
  }
}
