/**
 * The runtime layer for Node (≥ 22): the same exports as `mod.ts`, built on `node:fs`,
 * `node:child_process` and `process`. `deno task build:npm` puts this file in place of
 * `mod.ts`; nothing else in haechi changes between the two builds.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { accessSync, constants as fsConstants, statSync } from "node:fs";
import * as fs from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, dirname, isAbsolute, join } from "node:path";
import process from "node:process";
import { Readable, Writable } from "node:stream";

/** A sink for text, such as stdout or a captured buffer in tests. */
export interface TextSink {
  /** Write `text` completely. */
  write(text: string): Promise<void>;
  /**
   * Write `text` completely before returning (see `mod.ts`). Not offered here: Node already
   * writes stdout pipes and files synchronously on Linux, inside `write`.
   */
  writeSync?(text: string): void;
  /** `writeSync` for bytes already encoded as UTF-8 (see `mod.ts`); not offered here either. */
  writeBytesSync?(bytes: Uint8Array): void;
}

const encoder = new TextEncoder();

function errCode(e: unknown): string | undefined {
  return (e as { code?: string } | null)?.code;
}

/** Read a whole UTF-8 text file. Invalid UTF-8 throws a `TypeError`. */
export async function readTextFile(path: string): Promise<string> {
  const bytes = await fs.readFile(path);
  return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
}

/** Write a text file, creating parent folders; `mode` applies on creation (e.g. `0o600`). */
export async function writeTextFile(
  path: string,
  text: string,
  options: { mode?: number; createNew?: boolean } = {},
): Promise<void> {
  await ensureParentDir(path);
  await fs.writeFile(path, text, { mode: options.mode, flag: options.createNew ? "wx" : "w" });
  if (options.mode !== undefined) await fs.chmod(path, options.mode);
}

/** Open a file as a byte stream. */
export async function openReadStream(path: string): Promise<ReadableStream<Uint8Array>> {
  const handle = await fs.open(path, "r");
  return Readable.toWeb(handle.createReadStream()) as unknown as ReadableStream<Uint8Array>;
}

/** Read a whole file as bytes. */
export async function readFile(path: string): Promise<Uint8Array> {
  const b = await fs.readFile(path);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** Whether a file or folder exists at `path`. */
export async function pathExists(path: string): Promise<boolean> {
  return (await fileInfo(path)) !== null;
}

/** File size and permission bits, or null when missing. */
export async function fileInfo(
  path: string,
): Promise<{ size: number; mode: number | null } | null> {
  try {
    const st = await fs.stat(path);
    return { size: st.size, mode: process.platform === "win32" ? null : st.mode };
  } catch (e) {
    if (isNotFound(e)) return null;
    throw e;
  }
}

/** Size and modification time (ms since the epoch), or null when missing. */
export async function fileStamp(path: string): Promise<{ size: number; mtimeMs: number } | null> {
  try {
    const st = await fs.stat(path);
    return { size: st.size, mtimeMs: st.mtimeMs };
  } catch (e) {
    if (isNotFound(e)) return null;
    throw e;
  }
}

/** Whether `err` means a file was missing. */
export function isNotFound(err: unknown): boolean {
  return errCode(err) === "ENOENT" || errCode(err) === "ENOTDIR";
}

/** Create the folder holding `path` if needed. */
export async function ensureParentDir(path: string): Promise<void> {
  const slash = path.lastIndexOf("/");
  if (slash > 0) await fs.mkdir(path.slice(0, slash), { recursive: true });
}

/** A snapshot of the process environment. */
export function environment(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) out[k] = v;
  return out;
}

/** The command-line arguments after the program (and script) name. */
export function commandLineArgs(): string[] {
  return process.argv.slice(2);
}

/**
 * End the process with `code` once standard output and error have drained (writes to a
 * pipe are asynchronous in Node, and `process.exit()` alone would cut them short).
 */
export const exitProcess: (code: number) => never = (code) => {
  process.exitCode = code;
  let pending = 2;
  const done = () => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write("", done);
  process.stderr.write("", done);
  // The exit comes from the callbacks above; the CLI does nothing after calling this.
  return undefined as unknown as never;
};

/** The current working folder. */
export function cwd(): string {
  return process.cwd();
}

/** Standard input as bytes. */
export function stdinStream(): ReadableStream<Uint8Array> {
  return Readable.toWeb(process.stdin) as unknown as ReadableStream<Uint8Array>;
}

function sinkFor(stream: NodeJS.WriteStream): TextSink {
  return {
    write(text: string) {
      return new Promise((resolve, reject) => {
        stream.write(encoder.encode(text), (e) => (e ? reject(e) : resolve()));
      });
    },
  };
}

/** Standard output as a text sink. */
export function stdoutSink(): TextSink {
  return sinkFor(process.stdout);
}

/** Standard error as a text sink. */
export function stderrSink(): TextSink {
  return sinkFor(process.stderr);
}

/** Whether stdout and stderr are terminals (colour is used only then). */
export function isTerminal(): { stdout: boolean; stderr: boolean } {
  return { stdout: process.stdout.isTTY === true, stderr: process.stderr.isTTY === true };
}

/** Read up to `length` bytes of `path` starting at byte `offset`; fewer at end of file. */
export async function readFileRange(
  path: string,
  offset: number,
  length: number,
): Promise<Uint8Array> {
  const handle = await fs.open(path, "r");
  try {
    const buf = new Uint8Array(length);
    let filled = 0;
    while (filled < length) {
      const { bytesRead } = await handle.read(buf, filled, length - filled, offset + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buf.subarray(0, filled);
  } finally {
    await handle.close();
  }
}

/**
 * Replace `path` with `text` atomically: a temporary file beside it, flushed, then renamed
 * over `path`; the folder is synced afterwards where the platform allows.
 */
export async function writeFileAtomic(
  path: string,
  text: string,
  options: { mode?: number } = {},
): Promise<void> {
  await ensureParentDir(path);
  const mode = options.mode ?? 0o600;
  const tmp = `${path}.tmp-${crypto.randomUUID()}`;
  const handle = await fs.open(tmp, "wx", mode);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } catch (e) {
    await handle.close();
    await fs.rm(tmp, { force: true });
    throw e;
  }
  await handle.close();
  try {
    await fs.chmod(tmp, mode);
    await fs.rename(tmp, path);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
  try {
    const dir = await fs.open(dirname(path), "r");
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  } catch {
    // Not every platform can sync a folder; the rename is still atomic.
  }
}

/** Remove a file; resolves to false when it was already gone. */
export async function removeFile(path: string): Promise<boolean> {
  try {
    await fs.unlink(path);
    return true;
  } catch (e) {
    if (isNotFound(e)) return false;
    throw e;
  }
}

/** Whether `err` means a file already existed (from a `createNew` write). */
export function isAlreadyExists(err: unknown): boolean {
  return errCode(err) === "EEXIST";
}

/** Create an empty file with `mode` (and its folder) unless it exists. */
export async function ensureFile(path: string, mode = 0o600): Promise<void> {
  await ensureParentDir(path);
  try {
    const handle = await fs.open(path, "wx", mode);
    await handle.close();
    await fs.chmod(path, mode);
  } catch (e) {
    if (!isAlreadyExists(e)) throw e;
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
 * Find `command` the way the OS would, so a missing one throws now (as in the Deno
 * build) rather than as a later `error` event.
 */
function assertCommandExists(command: string, env: Record<string, string | undefined>): void {
  const notFound = () =>
    Object.assign(new Error(`Failed to spawn '${command}': not found`), { code: "ENOENT" });
  const candidates = command.includes("/") || isAbsolute(command)
    ? [command]
    : (env.PATH ?? "").split(delimiter).filter((d) => d !== "").map((d) => join(d, command));
  for (const c of candidates) {
    try {
      if (statSync(c).isFile()) {
        accessSync(c, fsConstants.X_OK);
        return;
      }
    } catch {
      // Try the next folder.
    }
  }
  throw notFound();
}

/**
 * Start `command` with `args` as a child process, without a shell.
 *
 * @throws {Error} with `code` `ENOENT` when the command does not exist.
 */
export function spawnChild(
  command: string,
  args: readonly string[],
  options: SpawnChildOptions = {},
): ChildProcess {
  const env = options.clearEnv ? { ...options.env } : { ...process.env, ...options.env };
  if (process.platform !== "win32") assertCommandExists(command, env);
  const stdio = (s: ChildStdio | undefined) => {
    const v = s ?? "piped";
    return v === "piped" ? "pipe" : v === "null" ? "ignore" : "inherit";
  };
  const proc = spawn(command, [...args], {
    env,
    cwd: options.cwd,
    stdio: [stdio(options.stdin), stdio(options.stdout), stdio(options.stderr)],
    windowsHide: true,
  });
  const status = new Promise<ChildStatus>((resolve) => {
    proc.once("error", () => resolve({ code: 127, signal: null }));
    proc.once("exit", (code, signal) => {
      resolve({
        code: signal !== null ? 128 + (SIGNAL_NUMBERS[signal] ?? 0) : code ?? 1,
        signal,
      });
    });
  });
  // A child that closes its stdin early must not crash the parent with EPIPE.
  proc.stdin?.on("error", () => {});
  return {
    pid: proc.pid ?? 0,
    stdin: proc.stdin === null
      ? null
      : Writable.toWeb(proc.stdin) as unknown as WritableStream<Uint8Array>,
    stdout: proc.stdout === null
      ? null
      : Readable.toWeb(proc.stdout) as unknown as ReadableStream<Uint8Array>,
    stderr: proc.stderr === null
      ? null
      : Readable.toWeb(proc.stderr) as unknown as ReadableStream<Uint8Array>,
    status,
    kill(signal = "SIGTERM") {
      try {
        proc.kill(signal as NodeJS.Signals);
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
 * skipped). Returns a function that removes the listeners.
 */
export function onSignals(
  signals: readonly string[],
  handler: (signal: string) => void,
): () => void {
  const added: [string, () => void][] = [];
  for (const s of signals) {
    const listener = () => handler(s);
    try {
      process.on(s as NodeJS.Signals, listener);
      added.push([s, listener]);
    } catch {
      // Not supported on this platform.
    }
  }
  return () => {
    for (const [s, l] of added) process.off(s as NodeJS.Signals, l);
  };
}

/** Path of the running executable: the `node` binary, or a haechi single-executable. */
export function execPath(): string {
  return process.execPath;
}

/** Create a new folder only the current user can enter (0700) under the temp folder. */
export async function makePrivateTempDir(prefix: string, parent?: string): Promise<string> {
  const dir = await fs.mkdtemp(join(parent ?? tmpdir(), prefix));
  await fs.chmod(dir, 0o700);
  return dir;
}

/** Remove a folder and everything in it; a missing folder is not an error. */
export async function removeTree(path: string): Promise<void> {
  await fs.rm(path, { recursive: true, force: true });
}

// The same re-exports as mod.ts; the build puts each `X.node.ts` twin in place of `X.ts`.
export { type LineItem, readLines, type ReadLinesOptions } from "./lines.ts";
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
