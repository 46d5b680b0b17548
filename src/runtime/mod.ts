/**
 * The thin runtime layer. Every call into `Deno.*` that touches files, the environment,
 * processes or standard streams lives here, so the Node build swaps this one folder. The
 * bounded line reader for the byte streams those calls return (files, stdin, a child's
 * stdout) lives here too, so audit, plugins and the CLI share it without reaching into the
 * stream framing of the gateway.
 *
 * @module
 */
export { type LineItem, readLines, type ReadLinesOptions } from "./lines.ts";

/** A sink for text, such as stdout or a captured buffer in tests. */
export interface TextSink {
  /** Write `text` completely. */
  write(text: string): Promise<void>;
  /**
   * Write `text` completely before returning, blocking while the reader is full. Offered by
   * standard output, where it skips the thread-pool round trip of an async write; callers
   * that need it check for it and fall back to `write`.
   */
  writeSync?(text: string): void;
  /**
   * {@linkcode TextSink.writeSync} for text already encoded as UTF-8, so a caller that
   * gathers many strings encodes each once into its own buffer instead of joining them.
   */
  writeBytesSync?(bytes: Uint8Array): void;
}

const encoder = new TextEncoder();

/**
 * Read a whole UTF-8 text file. Invalid UTF-8 throws a `TypeError`.
 *
 * @example
 * ```ts ignore
 * const text = await readTextFile("haechi.config.json");
 * ```
 */
export async function readTextFile(path: string): Promise<string> {
  const bytes = await Deno.readFile(path);
  return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
}

/**
 * Write a text file, creating parent folders; `mode` applies on creation (e.g. `0o600`).
 *
 * @example
 * ```ts ignore
 * await writeTextFile(".haechi/keys.json", "{}", { mode: 0o600 });
 * ```
 */
export async function writeTextFile(
  path: string,
  text: string,
  options: { mode?: number; createNew?: boolean } = {},
): Promise<void> {
  await ensureParentDir(path);
  await Deno.writeTextFile(path, text, { mode: options.mode, createNew: options.createNew });
  if (options.mode !== undefined) await Deno.chmod(path, options.mode);
}

/** Bytes asked for per read of {@linkcode openReadStream}. */
const READ_CHUNK_BYTES = 1024 * 1024;

/**
 * Open a file as a byte stream; the file closes at its end, on cancel or on a read error.
 * Reads are 1 MiB rather than `FsFile.readable`'s 64 KiB: each read is an async op whose
 * hand-over costs more than the copy, and big JSONL logs are read end to end.
 */
export async function openReadStream(path: string): Promise<ReadableStream<Uint8Array>> {
  const file = await Deno.open(path, { read: true });
  let closed = false;
  const close = () => {
    if (!closed) {
      closed = true;
      file.close();
    }
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const buf = new Uint8Array(READ_CHUNK_BYTES);
      let n: number | null;
      try {
        n = await file.read(buf);
      } catch (e) {
        close();
        throw e;
      }
      if (n === null) {
        close();
        controller.close();
      } else if (n > 0) {
        // A short read (a pipe, the file's tail) is copied so it does not pin the 1 MiB.
        controller.enqueue(n === buf.length ? buf : buf.slice(0, n));
      }
    },
    cancel: close,
  }, { highWaterMark: 0 });
}

/** Read a whole file as bytes. */
export function readFile(path: string): Promise<Uint8Array> {
  return Deno.readFile(path);
}

/** Whether a file or folder exists at `path`. */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

/** File size and permission bits, or null when missing. */
export async function fileInfo(
  path: string,
): Promise<{ size: number; mode: number | null } | null> {
  try {
    const st = await Deno.stat(path);
    return { size: st.size, mode: st.mode };
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}

/**
 * Size and modification time (ms since the epoch, 0 where the platform has none), or null
 * when missing: enough to tell whether a file changed since it was last read.
 */
export async function fileStamp(path: string): Promise<{ size: number; mtimeMs: number } | null> {
  try {
    const st = await Deno.stat(path);
    return { size: st.size, mtimeMs: st.mtime?.getTime() ?? 0 };
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}

/** Whether `err` means a file was missing. */
export function isNotFound(err: unknown): boolean {
  return err instanceof Deno.errors.NotFound;
}

/** Create the folder holding `path` if needed. */
export async function ensureParentDir(path: string): Promise<void> {
  const slash = path.lastIndexOf("/");
  if (slash > 0) await Deno.mkdir(path.slice(0, slash), { recursive: true });
}

/** A snapshot of the process environment. */
export function environment(): Record<string, string> {
  return Deno.env.toObject();
}

/** The command-line arguments after the program (and script) name. */
export function commandLineArgs(): string[] {
  return [...Deno.args];
}

/** End the process with `code`; the one exit of the CLI. */
export function exitProcess(code: number): never {
  Deno.exit(code);
}

/** The current working folder. */
export function cwd(): string {
  return Deno.cwd();
}

/** Standard input as bytes. */
export function stdinStream(): ReadableStream<Uint8Array> {
  return Deno.stdin.readable;
}

function sinkFor(stream: { write(p: Uint8Array): Promise<number> }): TextSink {
  return {
    async write(text: string) {
      const bytes = encoder.encode(text);
      let written = 0;
      while (written < bytes.length) written += await stream.write(bytes.subarray(written));
    },
  };
}

/**
 * Standard output as a text sink, with `writeSync`: an async write to stdout goes through
 * Deno's blocking thread pool (tens of µs to hand over and a thread wake before the bytes
 * reach the pipe), where a blocking `write(2)` takes a few µs. Node writes stdout pipes and
 * files synchronously on Linux too.
 */
export function stdoutSink(): TextSink {
  const sink = sinkFor(Deno.stdout);
  const writeBytesSync = (bytes: Uint8Array) => {
    let written = 0;
    while (written < bytes.length) written += Deno.stdout.writeSync(bytes.subarray(written));
  };
  return {
    write: sink.write,
    writeSync: (text: string) => writeBytesSync(encoder.encode(text)),
    writeBytesSync,
  };
}

/** Standard error as a text sink. */
export function stderrSink(): TextSink {
  return sinkFor(Deno.stderr);
}

/** Whether stdout and stderr are terminals (colour is used only then). */
export function isTerminal(): { stdout: boolean; stderr: boolean } {
  return { stdout: Deno.stdout.isTerminal(), stderr: Deno.stderr.isTerminal() };
}

/**
 * Read up to `length` bytes of `path` starting at byte `offset`; fewer at end of file.
 * Lets callers look at the end of a large file without loading all of it.
 *
 * @example
 * ```ts ignore
 * const lastByte = await readFileRange(".haechi/audit.jsonl", size - 1, 1);
 * ```
 */
export async function readFileRange(
  path: string,
  offset: number,
  length: number,
): Promise<Uint8Array> {
  const file = await Deno.open(path, { read: true });
  try {
    await file.seek(offset, Deno.SeekMode.Start);
    const buf = new Uint8Array(length);
    let filled = 0;
    while (filled < length) {
      const n = await file.read(buf.subarray(filled));
      if (n === null) break;
      filled += n;
    }
    return buf.subarray(0, filled);
  } finally {
    file.close();
  }
}

/**
 * Replace `path` with `text` atomically: write a temporary file beside it (created with
 * `mode`), flush it to disk, then rename it over `path`. A crash leaves either the old
 * file or the new one, never a torn mix. The folder is synced afterwards where the
 * platform allows, so the rename itself survives a power loss.
 *
 * @example
 * ```ts ignore
 * await writeFileAtomic(".haechi/keys.json", "{}\n", { mode: 0o600 });
 * ```
 */
export async function writeFileAtomic(
  path: string,
  text: string,
  options: { mode?: number } = {},
): Promise<void> {
  await ensureParentDir(path);
  const mode = options.mode ?? 0o600;
  const tmp = `${path}.tmp-${crypto.randomUUID()}`;
  const file = await Deno.open(tmp, { write: true, createNew: true, mode });
  try {
    const bytes = encoder.encode(text);
    let written = 0;
    while (written < bytes.length) written += await file.write(bytes.subarray(written));
    await file.sync();
  } catch (e) {
    file.close();
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
  file.close();
  try {
    await Deno.chmod(tmp, mode);
    await Deno.rename(tmp, path);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
  const slash = path.lastIndexOf("/");
  try {
    const dir = await Deno.open(slash > 0 ? path.slice(0, slash) : ".", { read: true });
    try {
      await dir.sync();
    } finally {
      dir.close();
    }
  } catch {
    // Not every platform can sync a folder; the rename is still atomic.
  }
}

/**
 * Remove a file; resolves to false when it was already gone.
 *
 * @example
 * ```ts ignore
 * await removeFile(".haechi/keys.json.lock");
 * ```
 */
export async function removeFile(path: string): Promise<boolean> {
  try {
    await Deno.remove(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

/** Whether `err` means a file already existed (from a `createNew` write). */
export function isAlreadyExists(err: unknown): boolean {
  return err instanceof Deno.errors.AlreadyExists;
}

/**
 * Create an empty file with `mode` (and its folder) unless it exists; existing files are
 * left untouched. Used to give SQLite databases owner-only permissions before SQLite
 * creates them with the default umask.
 *
 * @example
 * ```ts ignore
 * await ensureFile(".haechi/vault.db", 0o600);
 * ```
 */
export async function ensureFile(path: string, mode = 0o600): Promise<void> {
  await ensureParentDir(path);
  try {
    const file = await Deno.open(path, { write: true, createNew: true, mode });
    file.close();
    await Deno.chmod(path, mode);
  } catch (e) {
    if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
  }
}

/** How one standard stream of a child is connected. */
export type ChildStdio = "piped" | "inherit" | "null";

/** Options for {@linkcode spawnChild}. */
export interface SpawnChildOptions {
  /** Extra or replaced environment variables (the parent's environment is inherited). */
  readonly env?: Record<string, string>;
  /** Start from an empty environment, so only `env` reaches the child (sandboxes). */
  readonly clearEnv?: boolean;
  /** Working folder. */
  readonly cwd?: string;
  /** Standard input (default `piped`). */
  readonly stdin?: ChildStdio;
  /** Standard output (default `piped`). */
  readonly stdout?: ChildStdio;
  /** Standard error (default `piped`). */
  readonly stderr?: ChildStdio;
}

/** How a child ended: its exit code, or the signal that killed it. */
export interface ChildStatus {
  /** Exit code; 128 + signal number when a signal ended it (shell convention). */
  readonly code: number;
  /** Signal name such as `SIGTERM`, or null. */
  readonly signal: string | null;
}

/** A running child process. Streams exist only for `piped` stdio. */
export interface ChildProcess {
  /** Process id. */
  readonly pid: number;
  /** The child's standard input. */
  readonly stdin: WritableStream<Uint8Array> | null;
  /** The child's standard output. */
  readonly stdout: ReadableStream<Uint8Array> | null;
  /** The child's standard error. */
  readonly stderr: ReadableStream<Uint8Array> | null;
  /** Resolves once the child has exited. */
  readonly status: Promise<ChildStatus>;
  /** Send a signal (default `SIGTERM`); a child that already exited is ignored. */
  kill(signal?: string): void;
}

/**
 * Start `command` with `args` as a child process, without a shell.
 *
 * @throws {Deno.errors.NotFound} when the command does not exist.
 *
 * @example
 * ```ts ignore
 * const child = spawnChild("node", ["server.js"]);
 * const { code } = await child.status;
 * ```
 */
export function spawnChild(
  command: string,
  args: readonly string[],
  options: SpawnChildOptions = {},
): ChildProcess {
  const proc = new Deno.Command(command, {
    args: [...args],
    env: options.env,
    clearEnv: options.clearEnv ?? false,
    cwd: options.cwd,
    stdin: options.stdin ?? "piped",
    stdout: options.stdout ?? "piped",
    stderr: options.stderr ?? "piped",
  }).spawn();
  const piped = (s: ChildStdio | undefined) => (s ?? "piped") === "piped";
  const status = proc.status.then((s) => ({
    code: s.signal !== null ? 128 + (SIGNAL_NUMBERS[s.signal] ?? 0) : s.code,
    signal: s.signal,
  }));
  return {
    pid: proc.pid,
    stdin: piped(options.stdin) ? proc.stdin : null,
    stdout: piped(options.stdout) ? proc.stdout : null,
    stderr: piped(options.stderr) ? proc.stderr : null,
    status,
    kill(signal = "SIGTERM") {
      try {
        proc.kill(signal as Deno.Signal);
      } catch {
        // Already exited: nothing to signal.
      }
    },
  };
}

const SIGNAL_NUMBERS: Readonly<Record<string, number>> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGKILL: 9,
  SIGUSR1: 10,
  SIGSEGV: 11,
  SIGUSR2: 12,
  SIGPIPE: 13,
  SIGALRM: 14,
  SIGTERM: 15,
};

/**
 * Call `handler` when this process receives one of `signals` (unsupported ones are
 * skipped, e.g. on Windows). Returns a function that removes the listeners.
 *
 * @example
 * ```ts ignore
 * const off = onSignals(["SIGINT", "SIGTERM"], (s) => child.kill(s));
 * off();
 * ```
 */
export function onSignals(
  signals: readonly string[],
  handler: (signal: string) => void,
): () => void {
  const added: [Deno.Signal, () => void][] = [];
  for (const s of signals) {
    const listener = () => handler(s);
    try {
      Deno.addSignalListener(s as Deno.Signal, listener);
      added.push([s as Deno.Signal, listener]);
    } catch {
      // Not supported on this platform.
    }
  }
  return () => {
    for (const [s, l] of added) Deno.removeSignalListener(s, l);
  };
}

/**
 * Path of the running executable: the `deno` binary, or a compiled haechi binary.
 *
 * @example
 * ```ts ignore
 * const exe = execPath();
 * ```
 */
export function execPath(): string {
  return Deno.execPath();
}

/**
 * Create a new folder only the current user can enter (mode 0700) under `parent` (default:
 * the system's temp folder), with a random name so no other user can have made it first.
 *
 * @example
 * ```ts ignore
 * const dir = await makePrivateTempDir("haechi-runner-");
 * ```
 */
export async function makePrivateTempDir(prefix: string, parent?: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix, ...(parent === undefined ? {} : { dir: parent }) });
  await Deno.chmod(dir, 0o700);
  return dir;
}

/** Remove a folder and everything in it; a missing folder is not an error. */
export async function removeTree(path: string): Promise<void> {
  await Deno.remove(path, { recursive: true }).catch((e) => {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  });
}

export { pinnedGet } from "./pinned_get.ts";
export { connectRedis, type RedisConnection } from "./redis.ts";
export { type ServeHandle, serveHttp, waitForShutdownSignal } from "./serve.ts";
export {
  LockTimeoutError,
  openSharedAppend,
  openSharedAppendSync,
  type SharedAppendFile,
  withFileLock,
} from "./shared_file.ts";
