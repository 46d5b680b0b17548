/**
 * Stream framing in one place: which framing a reply uses (from its content type and what
 * the protocol declares), how frames are split out of the text as it arrives, how they are
 * written back, and how the body closes. A protocol file only names its framing; everything
 * about bytes on the wire is here.
 *
 * - `sse`: server-sent events (`text/event-stream`); comments (keep-alives) and data-less
 *   blocks carry nothing and are dropped.
 * - `ndjson`: one JSON value per line (`application/x-ndjson`, `jsonl`).
 * - `json-array`: one JSON array whose elements arrive over time (Gemini without `alt=sse`);
 *   written back as `[` elements joined by `,\r\n` and a closing `]`.
 *
 * @module
 */
import type { Frame } from "./channel_stream.ts";
import { createJsonArraySplitter } from "./json_array.ts";
import { createNdjsonParser } from "./ndjson.ts";
import { createSseParser, serializeSseEvent } from "./sse.ts";

/** How a streamed reply is framed on the wire. */
export type Framing = "sse" | "ndjson" | "json-array";

/**
 * The framing of a reply, or `undefined` when it is not a stream haechi can rewrite.
 *
 * @param contentType The reply's lowercased `Content-Type` ("" when absent).
 * @param declared What the protocol streams in for this route, when the caller asked for a
 *   stream (a JSON array reads as a stream only then); `undefined` otherwise.
 * @returns The framing.
 *
 * @example
 * ```ts
 * import { framingOf } from "./framing.ts";
 * if (framingOf("text/event-stream; charset=utf-8", undefined) !== "sse") throw new Error();
 * if (framingOf("application/json", "json-array") !== "json-array") throw new Error();
 * if (framingOf("application/json", undefined) !== undefined) throw new Error();
 * ```
 */
export function framingOf(contentType: string, declared: Framing | undefined): Framing | undefined {
  if (contentType.includes("text/event-stream")) return "sse";
  if (contentType.includes("ndjson") || contentType.includes("jsonl")) return "ndjson";
  if (contentType.includes("json") && declared === "json-array") return "json-array";
  return undefined;
}

/**
 * The `Content-Type` a rewritten stream of `framing` is sent with.
 *
 * @example
 * ```ts
 * import { framingContentType } from "./framing.ts";
 * if (framingContentType("ndjson") !== "application/x-ndjson") throw new Error();
 * ```
 */
export function framingContentType(framing: Framing): string {
  return framing === "sse"
    ? "text/event-stream; charset=utf-8"
    : framing === "ndjson"
    ? "application/x-ndjson"
    : "application/json";
}

/** Splits frames out of a stream's text and writes frames back, for one body. */
export interface FrameCodec {
  /** Add decoded text; returns the frames it completed. */
  push(chunk: string): Frame[];
  /** End of input: the frames left, or a throw when the body ended mid-frame. */
  flush(): Frame[];
  /** One frame as wire text. */
  serialize(frame: Frame): string;
  /** What closes the body after the last frame (`]` of a JSON array, else nothing). */
  close(): string;
}

/**
 * A codec for one body of `framing`.
 *
 * @param framing The wire framing.
 * @param maxBytes Largest event, line or element.
 * @returns The codec.
 *
 * @example
 * ```ts
 * import { createFrameCodec } from "./framing.ts";
 * const c = createFrameCodec("json-array", 1024);
 * const out = [...c.push('[{"a":1},'), ...c.push('{"b":2}]'), ...c.flush()]
 *   .map((f) => c.serialize(f)).join("") + c.close();
 * if (out !== '[{"a":1},\r\n{"b":2}]') throw new Error(out);
 * ```
 */
export function createFrameCodec(framing: Framing, maxBytes: number): FrameCodec {
  if (framing === "ndjson") {
    const p = createNdjsonParser({ maxLineBytes: maxBytes });
    const wrap = (lines: string[]) => lines.map((data) => ({ data }));
    return {
      push: (c) => wrap(p.push(c)),
      flush: () => wrap(p.flush()),
      serialize: (f) => f.data + "\n",
      close: () => "",
    };
  }
  if (framing === "json-array") {
    const p = createJsonArraySplitter({ maxElementBytes: maxBytes });
    const wrap = (items: string[]) => items.map((data) => ({ data }));
    let count = 0;
    return {
      push: (c) => wrap(p.push(c)),
      flush: () => wrap(p.flush()),
      serialize: (f) => (count++ === 0 ? "[" : ",\r\n") + f.data,
      close: () => count === 0 ? "[]" : "]",
    };
  }
  const p = createSseParser({ maxEventBytes: maxBytes });
  // Comments (keep-alives) and data-less blocks carry nothing to forward.
  const keep = (events: ReturnType<typeof p.push>): Frame[] => {
    const out: Frame[] = [];
    for (const e of events) {
      if (e.comment !== undefined || e.data === "") continue;
      out.push(e.event === undefined ? { data: e.data } : { event: e.event, data: e.data });
    }
    return out;
  };
  return {
    push: (c) => keep(p.push(c)),
    flush: () => keep(p.flush()),
    serialize: (f) =>
      // A payload on one line (every JSON frame) is one data line: written here directly.
      f.event === undefined && !f.data.includes("\n") && !f.data.includes("\r")
        ? "data: " + f.data + "\n\n"
        : serializeSseEvent(f.event === undefined ? { data: f.data } : f),
    close: () => "",
  };
}
