/**
 * Read the last line of a file from its end, so reopening a large log, or catching up
 * with records another process appended, costs one or two block reads instead of a scan.
 *
 * @module
 */

const BLOCK = 64 * 1024;
const LF = 0x0a;

/** Random access to an open file, as the shared audit file provides it. */
export interface ReadAt {
  /** Current size in bytes. */
  sizeSync(): number;
  /** Up to `length` bytes at `offset`. */
  readAtSync(offset: number, length: number): Uint8Array;
}

/** The end of a file as the writer needs it. */
export type LastLine =
  | { readonly kind: "empty" }
  | { readonly kind: "partial" }
  | { readonly kind: "too-long" }
  | { readonly kind: "line"; readonly text: string; readonly size: number };

/**
 * Classify the end of `file`: empty, ending in an incomplete line (no final `\n`), ending
 * in a line longer than `maxBytes`, or the text of its last complete line (with the file
 * size it was read at).
 *
 * @param file File to inspect.
 * @param maxBytes Longest last line to read.
 * @returns The classification.
 * @throws {TypeError} When the last line is not valid UTF-8.
 */
export function readLastLine(file: ReadAt, maxBytes: number): LastLine {
  const size = file.sizeSync();
  if (size === 0) return { kind: "empty" };
  const last = file.readAtSync(size - 1, 1);
  if (last[0] !== LF) return { kind: "partial" };
  const end = size - 1;
  const parts: Uint8Array[] = [];
  let total = 0;
  let pos = end;
  while (pos > 0) {
    const start = Math.max(0, pos - BLOCK);
    const block = file.readAtSync(start, pos - start);
    const lf = block.lastIndexOf(LF);
    const piece = lf === -1 ? block : block.subarray(lf + 1);
    parts.unshift(piece);
    total += piece.length;
    if (total > maxBytes) return { kind: "too-long" };
    if (lf !== -1) break;
    pos = start;
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
  }
  return { kind: "line", text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), size };
}
