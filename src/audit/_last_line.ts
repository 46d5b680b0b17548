/**
 * Read the last line of a file from its end, so reopening a large log costs one or two
 * block reads instead of a full scan.
 *
 * @module
 */
import { fileInfo, readFileRange } from "../runtime/mod.ts";

const BLOCK = 64 * 1024;
const LF = 0x0a;

/** The end of a file as the writer needs it. */
export type LastLine =
  | { readonly kind: "empty" }
  | { readonly kind: "partial" }
  | { readonly kind: "too-long" }
  | { readonly kind: "line"; readonly text: string };

/**
 * Classify the end of `path`: empty (or missing), ending in an incomplete line (no final
 * `\n`), ending in a line longer than `maxBytes`, or the text of its last complete line.
 *
 * @param path File to inspect.
 * @param maxBytes Longest last line to read.
 * @returns The classification.
 * @throws {TypeError} When the last line is not valid UTF-8.
 */
export async function readLastLine(path: string, maxBytes: number): Promise<LastLine> {
  const info = await fileInfo(path);
  if (info === null || info.size === 0) return { kind: "empty" };
  const size = info.size;
  const last = await readFileRange(path, size - 1, 1);
  if (last[0] !== LF) return { kind: "partial" };
  const end = size - 1;
  const parts: Uint8Array[] = [];
  let total = 0;
  let pos = end;
  while (pos > 0) {
    const start = Math.max(0, pos - BLOCK);
    const block = await readFileRange(path, start, pos - start);
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
  return { kind: "line", text: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
}
