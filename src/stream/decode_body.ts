/**
 * Undo an upstream's `Content-Encoding` so the body can be scanned, with a bound on the
 * decoded size.
 *
 * `fetch` normally decodes bodies itself, but a proxy that asked for identity can still be
 * sent gzip, and a scanner must never wave compressed bytes through unread. Decoding is
 * pull-driven: the decompressor only runs when the reader asks for more, so a
 * decompression bomb is stopped at the cap instead of inflating into memory first.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";

/** Options for {@linkcode decodeBody}. */
export interface DecodeBodyOptions {
  /** Largest decoded body in bytes (default 64 MiB); applies to identity bodies too. */
  maxBytes?: number;
}

const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

/**
 * Decode `body` according to `contentEncoding` (`gzip`/`x-gzip`, `deflate` with or without
 * its zlib header, `br`, `identity`; a comma-separated list is undone last to first).
 *
 * Errors surface when the returned stream is read: `payload.too_large` once the decoded size
 * passes the cap (the source is cancelled), `stream.invalid` for corrupt compressed data.
 *
 * @param body Raw body bytes.
 * @param contentEncoding The `Content-Encoding` header, or `null`.
 * @param options Decoded size cap.
 * @returns The decoded bytes.
 * @throws {HaechiError} `stream.invalid` at once for an encoding it cannot decode.
 *
 * @example
 * ```ts
 * import { decodeBody } from "./decode_body.ts";
 * const gz = new Blob([new TextEncoder().encode("hello")]).stream()
 *   .pipeThrough(new CompressionStream("gzip"));
 * const text = await new Response(decodeBody(gz, "gzip")).text();
 * if (text !== "hello") throw new Error(text);
 * ```
 */
export function decodeBody(
  body: ReadableStream<Uint8Array>,
  contentEncoding: string | null,
  options: DecodeBodyOptions = {},
): ReadableStream<Uint8Array> {
  const max = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const codings = codingsOf(contentEncoding);
  for (const c of codings) {
    if (!KNOWN.has(c)) {
      throw new HaechiError(
        "stream.invalid",
        `Unsupported content encoding "${c.slice(0, 32)}"`,
        { encoding: c.slice(0, 32) },
      );
    }
  }
  // Nothing to decode and no bound to keep: a pass-through layer would only cost per chunk.
  if (codings.length === 0 && max >= Number.MAX_SAFE_INTEGER) return body;
  let stream = body;
  for (let i = codings.length - 1; i >= 0; i--) stream = layer(stream, codings[i]);
  return capped(stream, max, codings.length > 0);
}

const KNOWN = new Set(["gzip", "x-gzip", "deflate", "br"]);

/**
 * Whether a body with this `Content-Encoding` is sent as it is (no header, or only
 * `identity`): {@linkcode decodeBody} would have nothing to undo.
 *
 * @param contentEncoding The header, or `null`.
 * @returns True when there is nothing to decode.
 *
 * @example
 * ```ts
 * import { isIdentity } from "./decode_body.ts";
 * if (!isIdentity(null) || !isIdentity(" Identity ") || isIdentity("gzip")) throw new Error();
 * ```
 */
export function isIdentity(contentEncoding: string | null): boolean {
  return codingsOf(contentEncoding).length === 0;
}

function codingsOf(contentEncoding: string | null): string[] {
  return (contentEncoding ?? "").split(",").map((c) => c.trim().toLowerCase())
    .filter((c) => c !== "" && c !== "identity");
}

function layer(stream: ReadableStream<Uint8Array>, coding: string): ReadableStream<Uint8Array> {
  switch (coding) {
    case "gzip":
    case "x-gzip":
      return decompress(stream, "gzip");
    case "br":
      return decompress(stream, "brotli" as CompressionFormat);
    default:
      return inflate(stream);
  }
}

/**
 * HTTP `deflate` means zlib-wrapped, but some servers send a raw deflate stream; the first
 * two bytes tell them apart (a zlib header is `0x?8` with a checksum divisible by 31).
 */
function inflate(stream: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const source = stream.getReader();
  let out: ReadableStreamDefaultReader<Uint8Array> | null = null;
  async function open(): Promise<ReadableStreamDefaultReader<Uint8Array>> {
    let head: Uint8Array = new Uint8Array(0);
    while (head.length < 2) {
      const r = await source.read();
      if (r.done) break;
      head = concat(head, r.value);
    }
    const zlib = head.length >= 2 && (head[0] & 0x0f) === 8 &&
      ((head[0] << 8) | head[1]) % 31 === 0;
    let first = true;
    const replay = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (first) {
          first = false;
          if (head.length > 0) return controller.enqueue(head);
        }
        const r = await source.read();
        if (r.done) controller.close();
        else controller.enqueue(r.value);
      },
      cancel(reason) {
        return source.cancel(reason);
      },
    });
    return decompress(replay, zlib ? "deflate" : "deflate-raw").getReader();
  }
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      out ??= await open();
      const r = await out.read();
      if (r.done) controller.close();
      else controller.enqueue(r.value);
    },
    cancel(reason) {
      return out !== null ? out.cancel(reason) : source.cancel(reason);
    },
  });
}

function capped(
  stream: ReadableStream<Uint8Array>,
  max: number,
  compressed: boolean,
): ReadableStream<Uint8Array> {
  const reader = stream.getReader();
  let total = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let r: ReadableStreamReadResult<Uint8Array>;
      try {
        r = await reader.read();
      } catch (e) {
        if (e instanceof HaechiError) throw e;
        // A decompressor's message may quote bytes; keep only that decoding failed.
        throw compressed
          ? new HaechiError("stream.invalid", "Compressed body is corrupt or truncated")
          : e;
      }
      if (r.done) {
        controller.close();
        return;
      }
      total += r.value.byteLength;
      if (total > max) {
        await reader.cancel().catch(() => {});
        throw new HaechiError(
          "payload.too_large",
          `Decoded body exceeds the limit of ${max} bytes`,
          { maxBytes: max },
        );
      }
      controller.enqueue(r.value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

function decompress(
  stream: ReadableStream<Uint8Array>,
  format: CompressionFormat,
): ReadableStream<Uint8Array> {
  // The DOM typings declare the writable side as BufferSource; Uint8Array chunks are fine.
  const t = new DecompressionStream(format) as unknown as TransformStream<Uint8Array, Uint8Array>;
  return stream.pipeThrough(t);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
