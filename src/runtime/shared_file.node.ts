/**
 * Files shared between processes, for Node (≥ 22): the same exports as `shared_file.ts`.
 * `deno task build:npm` puts this file in place of `shared_file.ts`.
 *
 * Node has no `flock(2)`. SQLite, built into Node as `node:sqlite`, takes POSIX record
 * locks on its database file, and those have the property the Deno build relies on: the
 * kernel drops them when the holder closes the file or dies (`kill -9` included), so
 * nothing goes stale. Each lock is therefore an `BEGIN EXCLUSIVE` transaction on an empty
 * side file (`<path>.lock` for {@linkcode withFileLock}, `<path>.append.lock` for an
 * append file), created with mode 0600 and never written. SQLite tracks its locks per
 * connection, so two handles in one process exclude each other as in the Deno build.
 *
 * @module
 */
import {
  closeSync,
  fstatSync,
  fsync,
  mkdirSync,
  openSync,
  readSync,
  statSync,
  write,
  writeSync,
} from "node:fs";
import { DatabaseSync } from "node:sqlite";
import { ensureParentDir } from "./mod.ts";

/** A file opened for appending by several processes, each taking the lock around a write. */
export interface SharedAppendFile {
  /** The path it was opened at. */
  readonly path: string;
  /** Take the exclusive lock, blocking the thread until it is free. */
  lockSync(): void;
  /** Take the exclusive lock without blocking the event loop. */
  lock(): Promise<void>;
  /** Release the lock. */
  unlockSync(): void;
  /** Size in bytes of the open file (not of whatever `path` names now). */
  sizeSync(): number;
  /** Read up to `length` bytes at `offset`; fewer at the end of the file. */
  readAtSync(offset: number, length: number): Uint8Array;
  /** Whether `path` still names the open file: false once it was moved aside or removed. */
  isAtPathSync(): boolean;
  /** Append bytes with a blocking write (microseconds for a local file). */
  appendSync(bytes: Uint8Array): void;
  /** Append bytes without blocking the event loop. */
  append(bytes: Uint8Array): Promise<void>;
  /** Flush to stable storage. */
  sync(): Promise<void>;
  /** Close the file, which also releases the lock. */
  close(): void;
}

/** An exclusive lock between processes, held as an SQLite write transaction. */
class KernelLock {
  readonly #db: DatabaseSync;
  #waiting: number | null = null;
  #held = false;

  constructor(lockPath: string) {
    // Created here first so its mode is 0600 whatever the umask; SQLite never writes it.
    closeSync(openSync(lockPath, "a", 0o600));
    this.#db = new DatabaseSync(lockPath);
    this.#setWait(0);
  }

  #setWait(ms: number): void {
    if (this.#waiting === ms) return;
    this.#db.exec(`PRAGMA busy_timeout = ${ms}`);
    this.#waiting = ms;
  }

  tryLock(): boolean {
    this.#setWait(0);
    try {
      this.#db.exec("BEGIN EXCLUSIVE");
      this.#held = true;
      return true;
    } catch (e) {
      if (isBusy(e)) return false;
      throw e;
    }
  }

  lockSync(): void {
    // SQLite's busy handler sleeps and retries: the thread blocks, as flock would.
    this.#setWait(2_147_483_647);
    this.#db.exec("BEGIN EXCLUSIVE");
    this.#held = true;
  }

  unlock(): void {
    if (this.#held) this.#db.exec("COMMIT");
    this.#held = false;
  }

  close(): void {
    this.#db.close();
  }
}

function isBusy(e: unknown): boolean {
  const err = e as { errcode?: number; message?: string } | null;
  return err?.errcode === 5 || /database is locked|SQLITE_BUSY/i.test(err?.message ?? "");
}

/** Open `path` for shared appending, creating it (and its folder) with `mode` if missing. */
export async function openSharedAppend(path: string, mode = 0o600): Promise<SharedAppendFile> {
  await ensureParentDir(path);
  return openSharedAppendSync(path, mode);
}

/** {@linkcode openSharedAppend} with blocking calls. */
export function openSharedAppendSync(path: string, mode = 0o600): SharedAppendFile {
  const slash = path.lastIndexOf("/");
  if (slash > 0) mkdirSync(path.slice(0, slash), { recursive: true });
  const fd = openSync(path, "a+", mode);
  let lock: KernelLock;
  try {
    lock = new KernelLock(`${path}.append.lock`);
  } catch (e) {
    closeSync(fd);
    throw e;
  }
  return {
    path,
    lockSync: () => lock.lockSync(),
    async lock() {
      let delay = 1;
      while (!lock.tryLock()) {
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 20);
      }
    },
    unlockSync: () => lock.unlock(),
    sizeSync: () => fstatSync(fd).size,
    readAtSync(offset: number, length: number) {
      const buf = new Uint8Array(length);
      let filled = 0;
      while (filled < length) {
        const n = readSync(fd, buf, filled, length - filled, offset + filled);
        if (n === 0) break;
        filled += n;
      }
      return buf.subarray(0, filled);
    },
    isAtPathSync() {
      let named;
      try {
        named = statSync(path);
      } catch (e) {
        if ((e as { code?: string }).code === "ENOENT") return false;
        throw e;
      }
      const open = fstatSync(fd);
      return named.ino === open.ino && named.dev === open.dev;
    },
    appendSync(bytes: Uint8Array) {
      let written = 0;
      while (written < bytes.length) written += writeSync(fd, bytes, written);
    },
    async append(bytes: Uint8Array) {
      let written = 0;
      while (written < bytes.length) {
        written += await new Promise<number>((resolve, reject) =>
          write(
            fd,
            bytes,
            written,
            bytes.length - written,
            null,
            (e, n) => e ? reject(e) : resolve(n),
          )
        );
      }
    },
    sync: () => new Promise((resolve, reject) => fsync(fd, (e) => (e ? reject(e) : resolve()))),
    close() {
      lock.close();
      closeSync(fd);
    },
  };
}

/**
 * Run `fn` while holding an exclusive lock on `<path>.lock`, a file kept beside `path`
 * (created empty, mode 0600, never removed).
 *
 * @throws {LockTimeoutError} When another process held the lock past the timeout.
 */
export async function withFileLock<T>(
  path: string,
  fn: () => Promise<T>,
  options: { timeoutMs?: number } = {},
): Promise<T> {
  const lockPath = `${path}.lock`;
  await ensureParentDir(lockPath);
  const lock = new KernelLock(lockPath);
  try {
    const deadline = Date.now() + (options.timeoutMs ?? 10_000);
    let delay = 2;
    while (!lock.tryLock()) {
      if (Date.now() > deadline) throw new LockTimeoutError(lockPath);
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 50);
    }
    return await fn();
  } finally {
    lock.close();
  }
}

/** Another process held a lock for longer than the caller was willing to wait. */
export class LockTimeoutError extends Error {
  /** The lock file. */
  readonly lockPath: string;

  /** @param lockPath The lock file waited on. */
  constructor(lockPath: string) {
    super(`Timed out waiting for the lock on ${lockPath}`);
    this.name = "LockTimeoutError";
    this.lockPath = lockPath;
  }
}
