/**
 * A progress line for long `protect`/`scan` runs: one line on stderr, rewritten in place,
 * only when stderr is a terminal (never in a pipe, a file or a test) and not `--quiet`.
 * It counts input bytes, so it never holds or shows anything read.
 *
 * @module
 */
import type { CliIO } from "./command.ts";

/** What the line shows. */
export interface ProgressState {
  /** Bytes of input read so far. */
  readonly bytes: number;
  /** Input size when known (a file), else `undefined` (stdin). */
  readonly totalBytes?: number;
}

/**
 * The progress text for `command` (no control codes).
 *
 * @example
 * ```ts
 * import { formatProgress } from "./_progress.ts";
 * const line = formatProgress("protect", { bytes: 5 * 1024 * 1024, totalBytes: 20 * 1024 * 1024 });
 * if (line !== "haechi protect: 5.0 MiB of 20.0 MiB read (25%)") throw new Error(line);
 * ```
 */
export function formatProgress(command: string, state: ProgressState): string {
  const read = formatBytes(state.bytes);
  if (state.totalBytes === undefined || state.totalBytes <= 0) {
    return `haechi ${command}: ${read} read`;
  }
  const percent = Math.min(100, Math.floor((state.bytes / state.totalBytes) * 100));
  return `haechi ${command}: ${read} of ${formatBytes(state.totalBytes)} read (${percent}%)`;
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 * 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  return `${(n / (1024 * 1024 * 1024)).toFixed(1)} GiB`;
}

/** A running progress line. */
export interface Progress {
  /** Count the bytes that pass through `stream`, updating the line as they do. */
  track(stream: ReadableStream<Uint8Array>, totalBytes?: number): ReadableStream<Uint8Array>;
  /** Erase the line (before the summary is printed). Safe to call more than once. */
  finish(): Promise<void>;
}

/** Options for {@linkcode createProgress}. */
export interface ProgressOptions {
  /** `--quiet` was given. */
  readonly quiet: boolean;
  /**
   * The command writes results to stdout as it reads (jsonl): then a terminal on stdout
   * already shows progress, and a progress line would tangle with the output.
   */
  readonly streamsToStdout?: boolean;
  /** Shortest gap between two redraws, in milliseconds (default 200). */
  readonly intervalMs?: number;
}

const SILENT: Progress = {
  track: (stream) => stream,
  finish: () => Promise.resolve(),
};

/**
 * A progress line for `command` on `io.stderr`, or one that does nothing when stderr is not
 * a terminal, `quiet` is set, or the command streams to a stdout that is a terminal.
 *
 * @example
 * ```ts
 * import { createProgress } from "./_progress.ts";
 * let written = "";
 * const sink = { write: (s: string) => { written += s; return Promise.resolve(); } };
 * const io = { stdin: () => new Blob([]).stream(), stdout: sink, stderr: sink, env: {},
 *   color: { stdout: false, stderr: false }, terminal: { stdout: false, stderr: false } };
 * const p = createProgress("scan", io, { quiet: false });
 * await p.track(new Blob(["abc"]).stream()).pipeTo(new WritableStream());
 * await p.finish();
 * if (written !== "") throw new Error("silent when stderr is not a terminal");
 * ```
 */
export function createProgress(command: string, io: CliIO, options: ProgressOptions): Progress {
  const terminal = io.terminal ?? { stdout: false, stderr: false };
  if (!terminal.stderr || options.quiet) return SILENT;
  if (options.streamsToStdout === true && terminal.stdout) return SILENT;
  const interval = options.intervalMs ?? 200;
  let shown = false;
  let last = 0;
  // Writes are chained so a redraw never interleaves with the erase.
  let tail: Promise<unknown> = Promise.resolve();
  const draw = (text: string) => {
    tail = tail.then(() => io.stderr.write(`\r${text}\x1b[K`)).catch(() => {});
  };
  return {
    track(stream, totalBytes) {
      let bytes = 0;
      return stream.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            bytes += chunk.length;
            const now = Date.now();
            if (now - last >= interval) {
              last = now;
              shown = true;
              draw(formatProgress(command, { bytes, totalBytes }));
            }
            controller.enqueue(chunk);
          },
        }),
      );
    },
    async finish() {
      if (shown) {
        shown = false;
        draw("");
      }
      await tail;
    },
  };
}
