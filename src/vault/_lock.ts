/**
 * Serialise key file changes across processes.
 *
 * Two processes rotating or upgrading the key file at once would each write a data key
 * the other never sees, and anything encrypted under the lost one could never be read
 * again. The key file is replaced by rename, so the lock is an OS lock on a file beside it
 * (`<path>.lock`), which the kernel releases if the holder dies.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";
import { LockTimeoutError, withFileLock as withOsLock } from "../runtime/mod.ts";

/** Key file updates take milliseconds; waiting this long means something is stuck. */
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
  try {
    return await withOsLock(path, fn, { timeoutMs: WAIT_MS });
  } catch (e) {
    if (!(e instanceof LockTimeoutError)) throw e;
    throw new HaechiError(
      "keys.locked",
      `Key file ${path} is being changed by another process that has held its lock for ` +
        `over ${WAIT_MS / 1000} s; try again once it has finished`,
      { path: e.lockPath },
    );
  }
}
