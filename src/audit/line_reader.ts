/**
 * A line splitter over a byte stream, for reading JSON Lines in constant memory.
 *
 * Lines end at `\n`; a `\r` just before it is dropped, so CRLF files read the same. Bytes are
 * split before decoding, which is safe for UTF-8 because `\n` never occurs inside a
 * multi-byte sequence. Each chunk is scanned once and partial lines are joined only when
 * their newline arrives, so the cost stays linear in the input even with tiny chunks.
 *
 * @module
 */

/** One line of input. */
export interface Line {
  /** The line without its `\n` (or `\r\n`). */
  readonly text: string;
  /** 1-based line number. */
  readonly number: number;
  /** False only for a last line that had no trailing `\n`. */
  readonly terminated: boolean;
}

/** Options for {@linkcode readLines}. */
export interface ReadLinesOptions {
  /** Longest line accepted, in bytes (default 1 MiB); longer throws a `RangeError`. */
  readonly maxLineBytes?: number;
}

/** Default for {@linkcode ReadLinesOptions.maxLineBytes}. */
export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

const LF = 0x0a;
const CR = 0x0d;

/**
 * Yield the lines of `stream`. Stopping early (e.g. `break`) cancels the stream, which
 * closes a file opened with `openReadStream`.
 *
 * @param stream UTF-8 bytes.
 * @param options Limits.
 * @returns An async iterator of lines; an empty final segment after the last `\n` is not a line.
 * @throws {RangeError} When a line is longer than `maxLineBytes`.
 * @throws {TypeError} When a line is not valid UTF-8.
 *
 * @example
 * ```ts
 * import { readLines } from "./line_reader.ts";
 * const bytes = new TextEncoder().encode('{"a":1}\r\n{"b":2}');
 * const lines = [];
 * for await (const line of readLines(new Blob([bytes]).stream())) lines.push(line);
 * if (lines.length !== 2 || lines[0].text !== '{"a":1}' || lines[1].terminated) {
 *   throw new Error("unexpected");
 * }
 * ```
 */
export async function* readLines(
  stream: ReadableStream<Uint8Array>,
  options: ReadLinesOptions = {},
): AsyncGenerator<Line> {
  const max = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const reader = stream.getReader();
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let number = 0;
  let done = false;
  try {
    while (true) {
      const next = await reader.read();
      if (next.done) break;
      const chunk = next.value;
      let start = 0;
      let lf: number;
      while ((lf = chunk.indexOf(LF, start)) !== -1) {
        const piece = chunk.subarray(start, lf);
        number++;
        if (pendingBytes + piece.length > max + 1) throw tooLong(number, max);
        const bytes = pending.length === 0 ? piece : join(pending, pendingBytes, piece);
        pending = [];
        pendingBytes = 0;
        start = lf + 1;
        yield { text: decode(decoder, stripCr(bytes), number, max), number, terminated: true };
      }
      if (start < chunk.length) {
        // Copy: a stream may reuse its chunk buffer after we hand it back.
        const rest = chunk.slice(start);
        pendingBytes += rest.length;
        if (pendingBytes > max + 1) throw tooLong(number + 1, max);
        pending.push(rest);
      }
    }
    done = true;
    if (pendingBytes > 0) {
      number++;
      const bytes = join(pending, pendingBytes, new Uint8Array(0));
      yield { text: decode(decoder, bytes, number, max), number, terminated: false };
    }
  } finally {
    if (!done) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

function stripCr(bytes: Uint8Array): Uint8Array {
  return bytes.length > 0 && bytes[bytes.length - 1] === CR ? bytes.subarray(0, -1) : bytes;
}

function decode(decoder: TextDecoder, bytes: Uint8Array, number: number, max: number): string {
  if (bytes.length > max) throw tooLong(number, max);
  try {
    return decoder.decode(bytes);
  } catch {
    throw new TypeError(`Line ${number} is not valid UTF-8`);
  }
}

function join(parts: Uint8Array[], total: number, last: Uint8Array): Uint8Array {
  const out = new Uint8Array(total + last.length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  out.set(last, at);
  return out;
}

function tooLong(number: number, max: number): RangeError {
  return new RangeError(`Line ${number} is longer than ${max} bytes`);
}
