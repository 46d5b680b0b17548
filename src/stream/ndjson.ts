/**
 * Newline-delimited JSON framing (Ollama's streams), split incrementally.
 *
 * Only framing happens here: lines are returned as text and the caller parses them, so a
 * malformed line is reported where the protocol's error shape is known. A partial line is
 * carried between chunks and bounded, so a stream without newlines cannot grow memory.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";
import { utf8Length } from "./sse.ts";

/** An incremental splitter; push chunks in order, then flush once. */
export interface NdjsonParser {
  /** Add a chunk; returns the complete non-empty lines it finished, without `\r\n`/`\n`. */
  push(chunk: string): string[];
  /** End of stream: returns the last line when it had no newline and is not blank. */
  flush(): string[];
}

/** Options for {@linkcode createNdjsonParser}. */
export interface NdjsonParserOptions {
  /** Longest line, in UTF-8 bytes without its terminator (default 1 MiB). */
  maxLineBytes?: number;
}

/**
 * Create an NDJSON line splitter. Blank (whitespace-only) lines are skipped; a `\r` before
 * `\n` is dropped. After a throw the splitter's state is undefined: stop using it.
 *
 * @param options Line size bound.
 * @returns The splitter.
 * @throws {HaechiError} `stream.invalid` when a line exceeds `maxLineBytes`.
 *
 * @example
 * ```ts
 * import { createNdjsonParser } from "./ndjson.ts";
 * const p = createNdjsonParser();
 * const a = p.push('{"a":1}\r\n\n{"b"');
 * const b = p.push(':2}');
 * if (a.join("|") !== '{"a":1}' || b.length !== 0) throw new Error(a.join("|"));
 * if (p.flush().join("|") !== '{"b":2}') throw new Error("flush");
 * ```
 */
export function createNdjsonParser(options: NdjsonParserOptions = {}): NdjsonParser {
  const max = options.maxLineBytes ?? 1024 * 1024;
  let partial = "";
  let partialBytes = 0;

  function tooLong(): never {
    throw new HaechiError(
      "stream.invalid",
      `NDJSON line exceeds the limit of ${max} bytes`,
      { maxLineBytes: max },
    );
  }

  function emit(text: string, out: string[]): void {
    const t = text.charCodeAt(text.length - 1) === 13 ? text.slice(0, -1) : text;
    if (t.trim() !== "") out.push(t);
  }

  return {
    push(chunk: string): string[] {
      const out: string[] = [];
      let from = 0;
      for (let nl = chunk.indexOf("\n"); nl >= 0; nl = chunk.indexOf("\n", from)) {
        const piece = chunk.slice(from, nl);
        const text = partial + piece;
        // The `\r` of a CRLF is not part of the line's size.
        const cr = text.endsWith("\r") ? 1 : 0;
        if (partialBytes + utf8Length(piece) - cr > max) tooLong();
        emit(text, out);
        partial = "";
        partialBytes = 0;
        from = nl + 1;
      }
      if (from < chunk.length) {
        const rest = chunk.slice(from);
        partialBytes += utf8Length(rest);
        // One byte of slack for a `\r` whose `\n` is still to come.
        if (partialBytes > max + 1) tooLong();
        partial += rest;
      }
      return out;
    },
    flush(): string[] {
      const out: string[] = [];
      if (partial !== "") {
        if (partialBytes - (partial.endsWith("\r") ? 1 : 0) > max) tooLong();
        emit(partial, out);
      }
      partial = "";
      partialBytes = 0;
      return out;
    },
  };
}
