/**
 * Split a byte stream into lines with a bound on line length, in constant memory.
 *
 * Lines end at `\n`; a trailing `\r` is removed. A line longer than `maxLineBytes` is not
 * buffered: its bytes are skipped up to the next newline and it is reported as
 * `{ tooLong: true }`, so one hostile line cannot exhaust memory or stall the stream.
 *
 * @module
 */

/** One line from {@linkcode readLines}. */
export type LineItem =
  | { readonly tooLong: false; readonly text: string; readonly invalidUtf8: false }
  | { readonly tooLong: false; readonly text: ""; readonly invalidUtf8: true }
  | { readonly tooLong: true; readonly bytes: number };

/** Options for {@linkcode readLines}. */
export interface ReadLinesOptions {
  /** Longest line kept, in bytes (default 16 MiB). */
  readonly maxLineBytes?: number;
}

/**
 * Yield the lines of `stream` in order.
 *
 * @param stream Byte stream.
 * @param options Line length bound.
 * @returns An async iterator of lines.
 *
 * @example
 * ```ts
 * import { readLines } from "./lines.ts";
 * const bytes = new TextEncoder().encode("a\r\nbb\nc");
 * const out: string[] = [];
 * for await (const l of readLines(new Blob([bytes]).stream())) if (!l.tooLong) out.push(l.text);
 * if (out.join("|") !== "a|bb|c") throw new Error(out.join("|"));
 * ```
 */
export async function* readLines(
  stream: ReadableStream<Uint8Array>,
  options: ReadLinesOptions = {},
): AsyncGenerator<LineItem> {
  const max = options.maxLineBytes ?? 16 * 1024 * 1024;
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let parts: Uint8Array[] = [];
  let size = 0;
  let skipping = false;
  let skipped = 0;
  const finish = (): LineItem => {
    const joined = concat(parts, size);
    parts = [];
    size = 0;
    let end = joined.length;
    if (end > 0 && joined[end - 1] === 13) end--;
    try {
      return { tooLong: false, text: decoder.decode(joined.subarray(0, end)), invalidUtf8: false };
    } catch {
      return { tooLong: false, text: "", invalidUtf8: true };
    }
  };
  for await (const chunk of stream) {
    let pos = 0;
    while (pos < chunk.length) {
      const nl = chunk.indexOf(10, pos);
      const stop = nl === -1 ? chunk.length : nl;
      const piece = chunk.subarray(pos, stop);
      if (skipping) {
        skipped += piece.length;
      } else if (size + piece.length > max) {
        skipping = true;
        skipped = size + piece.length;
        parts = [];
        size = 0;
      } else if (piece.length > 0) {
        parts.push(piece.slice());
        size += piece.length;
      }
      if (nl === -1) break;
      if (skipping) {
        yield { tooLong: true, bytes: skipped };
        skipping = false;
        skipped = 0;
      } else {
        yield finish();
      }
      pos = nl + 1;
    }
  }
  if (skipping) yield { tooLong: true, bytes: skipped };
  else if (size > 0) yield finish();
}

function concat(parts: Uint8Array[], size: number): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(size);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}
