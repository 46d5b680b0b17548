/**
 * Batched output for `haechi protect --format jsonl`.
 *
 * @module
 */
import type { CliIO } from "./command.ts";

/** Bytes of output lines gathered into one write. */
const OUTPUT_BATCH_BYTES = 1024 * 1024;
/** Output goes out once the input has been quiet this long, ms. */
const OUTPUT_QUIET_MS = 20;
/** Longest an output line waits while input keeps arriving, ms. */
const OUTPUT_MAX_WAIT_MS = 200;
/** Room for a batch plus its last line before the buffer must grow. */
const BUFFER_BYTES = 2 * OUTPUT_BATCH_BYTES;

const encoder = new TextEncoder();

/** Output lines gathered into batches; see {@linkcode batchedWriter}. */
export interface LineWriter {
  /** Queue `line` and a `\n`; resolves once earlier batches are written (back-pressure). */
  line(line: string): Promise<void>;
  /** Commit and write everything queued; resolves once it is written. */
  flush(): Promise<void>;
}

/**
 * Gathers output lines into fewer writes: a write per line was the largest single cost of
 * a big JSONL run, and each write is also a vault commit. `commit` starts before each
 * write and a failed commit drops the write: the vault keeps new tokens in one transaction
 * per batch, and a token must be stored before it is printed. Commits cost per page they
 * touch and new tokens land on random pages, so batches are large while input streams in;
 * a line still goes out {@linkcode OUTPUT_QUIET_MS} after the input pauses, so a slow
 * producer (`tail -f | haechi protect`) sees each line promptly, and never later than
 * {@linkcode OUTPUT_MAX_WAIT_MS}.
 *
 * When stdout takes bytes synchronously, each line is encoded once straight into the
 * batch buffer: joining the lines and encoding the joined string cost about three times
 * as much (the join is flattened, then transcoded, then copied).
 *
 * @example
 * ```ts
 * import { batchedWriter } from "./_protect_output.ts";
 * let out = "";
 * const sink = { write: (t: string) => Promise.resolve(void (out += t)) };
 * const io = { stdin: () => new Blob([]).stream(), stdout: sink, stderr: sink, env: {},
 *   color: { stdout: false, stderr: false } };
 * const w = batchedWriter(io, () => Promise.resolve());
 * await w.line("a");
 * await w.flush();
 * if (out !== "a\n") throw new Error(out);
 * ```
 */
export function batchedWriter(io: CliIO, commit: () => Promise<void>): LineWriter {
  const writeBytes = io.stdout.writeBytesSync?.bind(io.stdout);
  // A blocking write skips the thread-pool hand-over of an async one; the batch is ready.
  const writeText = io.stdout.writeSync?.bind(io.stdout) ?? ((t: string) => io.stdout.write(t));
  let parts: string[] = [];
  let buf = new Uint8Array(writeBytes === undefined ? 0 : BUFFER_BYTES);
  // Bytes in `buf`, or UTF-16 units in `parts`.
  let size = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let firstAt = 0;
  let lastAt = 0;
  let writing: Promise<void> = Promise.resolve();
  // A written batch's buffer, kept for the next batch instead of allocating a new one.
  let spare: typeof buf | undefined;
  const take = (): () => void | Promise<void> => {
    if (writeBytes !== undefined) {
      const full = buf;
      const bytes = full.subarray(0, size);
      // The taken bytes are written later, so the next batch gets another buffer.
      buf = spare ?? new Uint8Array(BUFFER_BYTES);
      spare = undefined;
      size = 0;
      return () => {
        writeBytes(bytes);
        if (full.length === BUFFER_BYTES) spare = full;
      };
    }
    const text = parts.join("");
    parts = [];
    size = 0;
    return () => writeText(text);
  };
  const flush = (): Promise<void> => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (size > 0) {
      const put = take();
      // Started now, so it covers every token in the batch; later ones may join it harmlessly.
      writing = Promise.all([writing, commit()]).then(put);
      // A failed timed write surfaces at the next awaited write or at the end.
      writing.catch(() => {});
    }
    return writing;
  };
  const onTimer = () => {
    const now = performance.now();
    const wait = Math.min(OUTPUT_QUIET_MS - (now - lastAt), OUTPUT_MAX_WAIT_MS - (now - firstAt));
    if (wait <= 0) void flush();
    else timer = setTimeout(onTimer, wait);
  };
  const append = (line: string) => {
    if (writeBytes === undefined) {
      parts.push(line + "\n");
      size += line.length + 1;
      return;
    }
    // A UTF-16 unit never takes more than three UTF-8 bytes.
    const need = size + line.length * 3 + 1;
    if (need > buf.length) {
      const grown = new Uint8Array(Math.max(2 * buf.length, need));
      grown.set(buf.subarray(0, size));
      buf = grown;
    }
    size += encoder.encodeInto(line, buf.subarray(size)).written;
    buf[size++] = 0x0a;
  };
  return {
    line(line: string): Promise<void> {
      append(line);
      if (size >= OUTPUT_BATCH_BYTES) return flush();
      lastAt = performance.now();
      if (timer === undefined) {
        firstAt = lastAt;
        timer = setTimeout(onTimer, OUTPUT_QUIET_MS);
      }
      return writing;
    },
    flush,
  };
}
