/**
 * Read a request body under the size limit without buffering past it.
 *
 * A declared `Content-Length` over the limit is refused before a byte is read; a chunked
 * body is counted as it arrives and the read is cancelled at the limit, so an oversized
 * body never reaches the handler whole. A `Content-Encoding` (gzip, deflate) is undone
 * under the same cap on the decoded size.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";
import { decodeBody } from "../stream/decode_body.ts";

/**
 * Read and UTF-8-decode `req`'s body.
 *
 * @param req The request.
 * @param maxBytes Largest accepted (decoded) body.
 * @returns The text ("" for no body).
 * @throws {HaechiError} `payload.too_large`, `input.invalid_utf8`, `input.read_failed`.
 *
 * @example
 * ```ts
 * import { readBodyText } from "./body.ts";
 * const t = await readBodyText(new Request("http://x/", { method: "POST", body: "{}" }), 10);
 * if (t !== "{}") throw new Error(t);
 * ```
 */
export async function readBodyText(req: Request, maxBytes: number): Promise<string> {
  const declared = req.headers.get("content-length");
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > maxBytes) {
    throw tooLarge(maxBytes);
  }
  if (req.body === null) return "";
  let stream: ReadableStream<Uint8Array> = req.body;
  const encoding = req.headers.get("content-encoding");
  if (encoding !== null && encoding.trim().toLowerCase() !== "identity") {
    try {
      stream = decodeBody(stream, encoding, { maxBytes });
    } catch {
      throw new HaechiError(
        "input.read_failed",
        "Request body has an unsupported content encoding",
      );
    }
  }
  return await readStreamText(stream, maxBytes);
}

/**
 * Read a byte stream as UTF-8 text, refusing more than `maxBytes`.
 *
 * @param stream The bytes.
 * @param maxBytes Largest accepted size.
 * @returns The text.
 * @throws {HaechiError} `payload.too_large`, `input.invalid_utf8`, `input.read_failed`.
 *
 * @example
 * ```ts
 * import { readStreamText } from "./body.ts";
 * const t = await readStreamText(new Blob(["hi"]).stream(), 10);
 * if (t !== "hi") throw new Error(t);
 * ```
 */
export async function readStreamText(
  stream: ReadableStream<Uint8Array>,
  maxBytes: number,
): Promise<string> {
  const reader = stream.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        throw tooLarge(maxBytes);
      }
      parts.push(value);
    }
  } catch (e) {
    if (e instanceof HaechiError) {
      throw e.code === "payload.too_large"
        ? tooLarge(maxBytes)
        : e.code === "stream.invalid"
        ? new HaechiError("input.read_failed", "Request body could not be decoded")
        : e;
    }
    throw new HaechiError("input.read_failed", "Request body could not be read");
  } finally {
    reader.releaseLock();
  }
  const all = new Uint8Array(size);
  let off = 0;
  for (const p of parts) {
    all.set(p, off);
    off += p.byteLength;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(all);
  } catch {
    throw new HaechiError("input.invalid_utf8", "Request body is not valid UTF-8");
  }
}

function tooLarge(maxBytes: number): HaechiError {
  return new HaechiError(
    "payload.too_large",
    `Request body exceeds the limit of ${maxBytes} bytes (limits.maxBytes)`,
    { maxBytes },
  );
}
