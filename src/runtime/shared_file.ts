/**
 * Files shared between processes: appends under an exclusive OS lock, and a lock that
 * serialises whole read-modify-write updates.
 *
 * The locks are `flock(2)`-style advisory locks taken through `Deno.FsFile.lock`. The
 * kernel drops them when the holder's file is closed or its process dies (`kill -9`
 * included), so a crashed writer can never leave the others waiting: there is no lock file
 * to go stale and nothing to clean up. The lock belongs to one open file, so two handles
 * on the same path, even in one process, exclude each other.
 *
 * @module
 */
import { ensureParentDir } from "./mod.ts";

/** A file opened for appending by several processes, each taking the lock around a write. */
export interface SharedAppendFile {
  /** The path it was opened at. */
  readonly path: string;
  /**
   * Take the exclusive lock, blocking the thread until it is free. Holders keep it for one
   * append (microseconds), so this is the cheap choice on a hot path; a holder that awaits
   * while holding it must use {@linkcode SharedAppendFile.lock} instead.
   */
  lockSync(): void;
  /** Take the exclusive lock without blocking the event loop. */
  lock(): Promise<void>;
  /** Release the lock. */
  unlockSync(): void;
  /** Size in bytes of the open file (not of whatever `path` names now): one `lseek`. */
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

/**
 * Open `path` for shared appending, creating it (and its folder) with `mode` if missing.
 *
 * @example
 * ```ts ignore
 * const log = await openSharedAppend(".haechi/audit.jsonl");
 * log.lockSync();
 * try {
 *   log.appendSync(new TextEncoder().encode("{}\n"));
 * } finally {
 *   log.unlockSync();
 * }
 * log.close();
 * ```
 */
export async function openSharedAppend(path: string, mode = 0o600): Promise<SharedAppendFile> {
  await ensureParentDir(path);
  const file = await Deno.open(path, { read: true, append: true, create: true, mode });
  return sharedAppendFile(path, file);
}

/**
 * {@linkcode openSharedAppend} with blocking calls, for a writer that must move to a new
 * file in the middle of a synchronous append (the old one was rotated away).
 */
export function openSharedAppendSync(path: string, mode = 0o600): SharedAppendFile {
  const slash = path.lastIndexOf("/");
  if (slash > 0) Deno.mkdirSync(path.slice(0, slash), { recursive: true });
  const file = Deno.openSync(path, { read: true, append: true, create: true, mode });
  return sharedAppendFile(path, file);
}

function sharedAppendFile(path: string, file: Deno.FsFile): SharedAppendFile {
  return {
    path,
    lockSync: () => file.lockSync(true),
    lock: () => file.lock(true),
    unlockSync: () => file.unlockSync(),
    // Seeking to the end reports the size without building a FileInfo; appends ignore the
    // position and reads seek first, so moving it is harmless.
    sizeSync: () => file.seekSync(0, Deno.SeekMode.End),
    readAtSync(offset: number, length: number) {
      file.seekSync(offset, Deno.SeekMode.Start);
      const buf = new Uint8Array(length);
      let filled = 0;
      while (filled < length) {
        const n = file.readSync(buf.subarray(filled));
        if (n === null || n === 0) break;
        filled += n;
      }
      return buf.subarray(0, filled);
    },
    isAtPathSync() {
      let named: Deno.FileInfo;
      try {
        named = Deno.statSync(path);
      } catch (e) {
        if (e instanceof Deno.errors.NotFound) return false;
        throw e;
      }
      const open = file.statSync();
      return named.ino === open.ino && named.dev === open.dev;
    },
    appendSync(bytes: Uint8Array) {
      let written = 0;
      while (written < bytes.length) written += file.writeSync(bytes.subarray(written));
    },
    async append(bytes: Uint8Array) {
      let written = 0;
      while (written < bytes.length) written += await file.write(bytes.subarray(written));
    },
    sync: () => file.sync(),
    close: () => file.close(),
  };
}

/**
 * Run `fn` while holding an exclusive lock on `<path>.lock`, a file kept beside `path`
 * (created empty, mode 0600, never removed: the lock lives in the kernel, not in the file's
 * existence or content). Use it for read-modify-write updates of a file that is replaced
 * by rename, where locking the file itself would lock the old copy.
 *
 * @param path The file being updated.
 * @param fn The update.
 * @param options `timeoutMs`: give up waiting after this long (default 10 s).
 * @returns What `fn` returned.
 * @throws {LockTimeoutError} When another process held the lock past the timeout.
 *
 * @example
 * ```ts
 * import { withFileLock } from "./shared_file.ts";
 * const dir = await Deno.makeTempDir();
 * const n = await withFileLock(`${dir}/keys.json`, () => Promise.resolve(42));
 * if (n !== 42) throw new Error("returns fn's result");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function withFileLock<T>(
  path: string,
  fn: () => Promise<T>,
  options: { timeoutMs?: number } = {},
): Promise<T> {
  const lockPath = `${path}.lock`;
  await ensureParentDir(lockPath);
  const file = await Deno.open(lockPath, { read: true, write: true, create: true, mode: 0o600 });
  try {
    // Polling with tryLock rather than awaiting lock(): a blocking lock call cannot be
    // cancelled, and one left waiting would keep this process alive after a timeout.
    const deadline = Date.now() + (options.timeoutMs ?? 10_000);
    let delay = 2;
    while (!await file.tryLock(true)) {
      if (Date.now() > deadline) throw new LockTimeoutError(lockPath);
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 50);
    }
    return await fn();
  } finally {
    file.close();
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
