/**
 * Server-sent events framing (the HTML "event stream" format), parsed incrementally.
 *
 * Chunks may be cut anywhere: inside a field name, between the `\r` and `\n` of a CRLF,
 * inside a multi-byte character (callers decode bytes with a streaming `TextDecoder`, so
 * chunks here are already whole code points). Each chunk is scanned once and a partial
 * line is carried until its terminator arrives, so cost is linear in the stream length.
 *
 * The size of one event (its field lines, counted in UTF-8 bytes) is bounded; a stream
 * that exceeds the bound throws `stream.invalid`, which a proxy turns into the protocol's
 * error event instead of buffering without end.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";

/** One dispatched event, or a comment line (`: ping`) when `comment` is set. */
export interface SseEvent {
  /** The `event:` field; absent when the block had none (clients read it as "message"). */
  event?: string;
  /** The `data:` lines joined with `\n`; `""` for a comment. */
  data: string;
  /** The `id:` field of this block, when it had one. */
  id?: string;
  /** The `retry:` field of this block, when it held only ASCII digits. */
  retry?: number;
  /**
   * Set for a comment line (text after the `:` without one leading space). Comments are
   * reported as they arrive so a proxy can forward keep-alives; they carry no other field.
   */
  comment?: string;
}

/** An incremental parser; push chunks in order, then flush once. */
export interface SseParser {
  /** Add a chunk; returns the events (and comments) completed by it, in order. */
  push(chunk: string): SseEvent[];
  /** End of stream: returns a last block that lacked its blank line, if it had data. */
  flush(): SseEvent[];
}

/** Options for {@linkcode createSseParser}. */
export interface SseParserOptions {
  /** Largest event, in UTF-8 bytes of its field lines (default 1 MiB). */
  maxEventBytes?: number;
}

const DEFAULT_MAX_EVENT_BYTES = 1024 * 1024;
const CR = 13;
const LF = 10;
const NON_ASCII = /[\u0080-\uffff]/;

/**
 * Create an SSE parser.
 *
 * Unlike a browser, {@linkcode SseParser.flush} dispatches a final block that has data but
 * no blank line after it, so a sloppy upstream's last event is not silently dropped. A block
 * without any `data` field is not dispatched (as in browsers). After a throw the parser's
 * state is undefined: stop using it.
 *
 * @param options Event size bound.
 * @returns The parser.
 * @throws {HaechiError} `stream.invalid` when an event exceeds `maxEventBytes`.
 *
 * @example
 * ```ts
 * import { createSseParser } from "./sse.ts";
 * const p = createSseParser();
 * const a = p.push("event: delta\r\ndata: he");
 * const b = p.push("llo\r\n\r\n: ping\n");
 * if (a.length !== 0) throw new Error("nothing complete yet");
 * if (b[0].event !== "delta" || b[0].data !== "hello") throw new Error(JSON.stringify(b));
 * if (b[1].comment !== "ping") throw new Error(JSON.stringify(b));
 * ```
 */
export function createSseParser(options: SseParserOptions = {}): SseParser {
  const max = options.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES;
  let started = false;
  // The previous chunk ended in `\r`: a `\n` opening the next one belongs to that line.
  let skipLf = false;
  let partial = "";
  let partialBytes = 0;
  // The block being collected.
  let data: string[] = [];
  let hasData = false;
  let event: string | undefined;
  let id: string | undefined;
  let retry: number | undefined;
  let blockBytes = 0;

  function tooLarge(): never {
    throw new HaechiError(
      "stream.invalid",
      `Server-sent event exceeds the limit of ${max} bytes`,
      { maxEventBytes: max },
    );
  }

  function reset(): void {
    data = [];
    hasData = false;
    event = undefined;
    id = undefined;
    retry = undefined;
    blockBytes = 0;
  }

  function dispatch(out: SseEvent[]): void {
    if (hasData) {
      const e: SseEvent = { data: data.join("\n") };
      if (event !== undefined && event !== "") e.event = event;
      if (id !== undefined) e.id = id;
      if (retry !== undefined) e.retry = retry;
      out.push(e);
    }
    reset();
  }

  function line(text: string, bytes: number, out: SseEvent[]): void {
    if (text === "") return dispatch(out);
    blockBytes += bytes + 1;
    if (blockBytes > max) tooLarge();
    const colon = text.indexOf(":");
    if (colon === 0) {
      const c = text.charCodeAt(1) === 32 ? text.slice(2) : text.slice(1);
      out.push({ data: "", comment: c });
      return;
    }
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? "" : text.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    switch (field) {
      case "data":
        data.push(value);
        hasData = true;
        break;
      case "event":
        event = value;
        break;
      case "id":
        if (!value.includes("\0")) id = value;
        break;
      case "retry":
        if (/^[0-9]{1,15}$/.test(value)) retry = Number(value);
        break;
    }
  }

  return {
    push(chunk: string): SseEvent[] {
      const out: SseEvent[] = [];
      let i = 0;
      if (!started && chunk.length > 0) {
        started = true;
        if (chunk.charCodeAt(0) === 0xfeff) i = 1;
      }
      if (skipLf && i < chunk.length) {
        if (chunk.charCodeAt(i) === LF) i++;
        skipLf = false;
      }
      let from = i;
      // Found natively rather than a character at a time: `\n` alone ends the lines of a
      // chunk without `\r`, and an ASCII chunk's pieces take as many bytes as characters.
      const lfOnly = !chunk.includes("\r");
      const ascii = !NON_ASCII.test(chunk);
      for (; i < chunk.length; i++) {
        if (lfOnly) {
          i = chunk.indexOf("\n", i);
          if (i < 0) {
            i = chunk.length;
            break;
          }
        }
        const c = chunk.charCodeAt(i);
        if (c !== CR && c !== LF) continue;
        const piece = chunk.slice(from, i);
        const text = partial === "" ? piece : partial + piece;
        const bytes = partialBytes + (ascii ? piece.length : utf8Length(piece));
        partial = "";
        partialBytes = 0;
        if (blockBytes + bytes > max) tooLarge();
        line(text, bytes, out);
        if (c === CR) {
          if (i + 1 === chunk.length) skipLf = true;
          else if (chunk.charCodeAt(i + 1) === LF) i++;
        }
        from = i + 1;
      }
      if (from < chunk.length) {
        const rest = chunk.slice(from);
        partialBytes += ascii ? rest.length : utf8Length(rest);
        // Bound the unterminated line too, so a stream without newlines cannot grow memory.
        if (blockBytes + partialBytes > max) tooLarge();
        partial += rest;
      }
      return out;
    },
    flush(): SseEvent[] {
      const out: SseEvent[] = [];
      if (partial !== "") line(partial, partialBytes, out);
      partial = "";
      partialBytes = 0;
      skipLf = false;
      dispatch(out);
      return out;
    },
  };
}

/**
 * Serialize one event (or comment) in the wire format, ending with the blank line that
 * dispatches it. Multi-line data becomes one `data:` line per line.
 *
 * @param e The event.
 * @returns The wire text.
 * @throws {HaechiError} `stream.invalid` when `event` or `id` holds a line break (it would
 * inject fields) or `retry` is not a non-negative integer.
 *
 * @example
 * ```ts
 * import { serializeSseEvent } from "./sse.ts";
 * const s = serializeSseEvent({ event: "x", data: "a\nb" });
 * if (s !== "event: x\ndata: a\ndata: b\n\n") throw new Error(JSON.stringify(s));
 * if (serializeSseEvent({ data: "", comment: "ping" }) !== ": ping\n\n") throw new Error("c");
 * ```
 */
export function serializeSseEvent(e: SseEvent): string {
  if (e.comment !== undefined) {
    return e.comment.split(/\r\n|\r|\n/).map((c) => `: ${c}\n`).join("") + "\n";
  }
  let out = "";
  if (e.event !== undefined) out += `event: ${singleLine(e.event, "event")}\n`;
  if (e.id !== undefined) out += `id: ${singleLine(e.id, "id")}\n`;
  if (e.retry !== undefined) {
    if (!Number.isSafeInteger(e.retry) || e.retry < 0) {
      throw new HaechiError("stream.invalid", "Server-sent event retry must be an integer >= 0");
    }
    out += `retry: ${e.retry}\n`;
  }
  // A JSON payload (every frame the gateway writes) has no line break: one data line.
  if (!e.data.includes("\n") && !e.data.includes("\r")) return `${out}data: ${e.data}\n\n`;
  for (const l of e.data.split(/\r\n|\r|\n/)) out += `data: ${l}\n`;
  return out + "\n";
}

function singleLine(value: string, field: string): string {
  if (/[\r\n]/.test(value)) {
    throw new HaechiError(
      "stream.invalid",
      `Server-sent event field "${field}" must not contain a line break`,
      { field },
    );
  }
  return value;
}

/**
 * UTF-8 length of a string without encoding it (a lone surrogate counts 3, like U+FFFD).
 *
 * @param s Text.
 * @returns Bytes its UTF-8 encoding takes.
 *
 * @example
 * ```ts
 * import { utf8Length } from "./sse.ts";
 * if (utf8Length("a\u00e9\u{1F600}") !== 1 + 2 + 4) throw new Error("length");
 * ```
 */
export function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 2; // 4 bytes for 2 units
        i++;
        continue;
      }
      n += 2;
    } else n += 2;
  }
  return n;
}
