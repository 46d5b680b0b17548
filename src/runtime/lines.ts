/**
 * Split a byte stream into lines in constant memory, with a bound on line length.
 *
 * Lines end at `\n`; a `\r` just before it is dropped, so CRLF input reads the same. Bytes
 * are split before decoding, which is safe for UTF-8 because `\n` never occurs inside a
 * multi-byte sequence. Each chunk is scanned once and a partial line is joined only when
 * its newline arrives, so cost stays linear even with one-byte chunks.
 *
 * A line longer than the bound is never buffered: its bytes are counted and skipped up to
 * the next newline and it is reported as `too-long`, so one hostile line cannot exhaust
 * memory. Callers decide whether that ends the stream (the audit verifier) or only that
 * line (JSONL protect).
 *
 * @module
 */

/** One line, or the reason it could not be read. */
export type LineItem =
  | {
    readonly kind: "text";
    /** 1-based line number. */
    readonly number: number;
    /** The line without its `\n` or `\r\n`. */
    readonly text: string;
    /** False only for a last line with no trailing `\n`. */
    readonly terminated: boolean;
  }
  | {
    readonly kind: "too-long";
    readonly number: number;
    /** Bytes the line held (all skipped). */
    readonly bytes: number;
    readonly terminated: boolean;
  }
  | { readonly kind: "invalid-utf8"; readonly number: number; readonly terminated: boolean };

/** Options for {@linkcode readLines}. */
export interface ReadLinesOptions {
  /** Longest line kept, in bytes, not counting `\r\n` (default 16 MiB). */
  readonly maxLineBytes?: number;
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * Yield the lines of `stream`. Stopping early (`break`) cancels the stream, which closes a
 * file opened through the runtime layer.
 *
 * @param stream UTF-8 bytes.
 * @param options Line length bound.
 * @returns An async iterator of lines; an empty segment after the last `\n` is not a line.
 *
 * @example
 * ```ts
 * import { readLines } from "./lines.ts";
 * const bytes = new TextEncoder().encode("a\r\nbb\nc");
 * const out: string[] = [];
 * for await (const l of readLines(new Blob([bytes]).stream())) {
 *   if (l.kind === "text") out.push(`${l.number}:${l.text}:${l.terminated}`);
 * }
 * if (out.join("|") !== "1:a:true|2:bb:true|3:c:false") throw new Error(out.join("|"));
 * ```
 */
export async function* readLines(
  stream: ReadableStream<Uint8Array>,
  options: ReadLinesOptions = {},
): AsyncGenerator<LineItem> {
  const max = options.maxLineBytes ?? 16 * 1024 * 1024;
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const reader = stream.getReader();
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  // Bytes of the current line once it went over the bound; -1 while within it.
  let skipped = -1;
  let number = 0;
  let done = false;
  let ahead: Promise<ReadableStreamReadResult<Uint8Array>> | undefined;

  const finish = (last: Uint8Array, terminated: boolean): LineItem => {
    number++;
    if (skipped >= 0) {
      const bytes = skipped + last.length;
      skipped = -1;
      return { kind: "too-long", number, bytes, terminated };
    }
    let bytes = pending.length === 0 ? last : join(pending, pendingBytes, last);
    pending = [];
    pendingBytes = 0;
    if (terminated && bytes.length > 0 && bytes[bytes.length - 1] === CR) {
      bytes = bytes.subarray(0, -1);
    }
    if (bytes.length > max) return { kind: "too-long", number, bytes: bytes.length, terminated };
    try {
      return { kind: "text", number, text: decoder.decode(bytes), terminated };
    } catch {
      return { kind: "invalid-utf8", number, terminated };
    }
  };

  try {
    // The next read is in flight while this chunk's lines are processed, so the file or
    // pipe is read while the consumer works instead of between its lines.
    ahead = readAhead(reader);
    while (true) {
      const next = await ahead;
      if (next.done) break;
      ahead = readAhead(reader);
      const chunk = next.value;
      let start = 0;
      for (let lf = chunk.indexOf(LF); lf !== -1; lf = chunk.indexOf(LF, start)) {
        yield finish(chunk.subarray(start, lf), true);
        start = lf + 1;
      }
      if (start < chunk.length) {
        const rest = chunk.length - start;
        if (skipped >= 0) {
          skipped += rest;
        } else if (pendingBytes + rest > max + 1) {
          // +1 leaves room for a `\r` that may precede the newline
          skipped = pendingBytes + rest;
          pending = [];
          pendingBytes = 0;
        } else {
          // Copy: a stream may reuse its chunk buffer once we hand it back.
          pending.push(chunk.slice(start));
          pendingBytes += rest;
        }
      }
    }
    done = true;
    if (pendingBytes > 0 || skipped >= 0) yield finish(new Uint8Array(0), false);
  } finally {
    if (!done) {
      await reader.cancel().catch(() => {});
    }
    reader.releaseLock();
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

/**
 * Start the next read. It fails while the consumer is still busy with earlier lines, before
 * anything awaits it: marked handled here so that failure is not an unhandled rejection (which
 * ends the process) but the error the loop throws when it reaches this read.
 */
function readAhead(
  reader: ReadableStreamDefaultReader<Uint8Array>,
): Promise<ReadableStreamReadResult<Uint8Array>> {
  const p = reader.read();
  p.catch(() => {});
  return p;
}
