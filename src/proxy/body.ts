/**
 * Read a request body under the size limit without buffering past it.
 *
 * A declared `Content-Length` over the limit is refused before a byte is read; a chunked
 * body is counted as it arrives and the read is cancelled at the limit, so an oversized
 * body never reaches the handler whole. A `Content-Encoding` (gzip, deflate) is undone
 * under the same cap on the decoded size.
 *
 * A body with a declared `Content-Length` within the limit and no encoding is read in one
 * piece (`bytes()`), which skips the stream machinery (tens of µs per body). That is as
 * bounded as the chunked read: HTTP framing (hyper, on both the server and the `fetch`
 * side) delivers exactly the declared number of bytes, and the size is checked again after.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";
import { decodeBody } from "../stream/mod.ts";

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
  const declared = declaredLength(req.headers);
  if (declared !== null && declared > maxBytes) throw tooLarge(maxBytes);
  if (req.body === null) return "";
  let stream: ReadableStream<Uint8Array> = req.body;
  const encoding = req.headers.get("content-encoding");
  const identity = encoding === null || encoding.trim().toLowerCase() === "identity";
  if (identity && declared !== null) return await readWhole(req, maxBytes);
  if (!identity) {
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

/** Bounds on how long a request body may take to arrive. */
export interface BodyDeadline {
  /** Longest time for the whole body, in ms; 0 for no limit. */
  readonly timeoutMs: number;
  /** Aborted when the gateway shuts down: the read is cut at once. */
  readonly signal?: AbortSignal;
}

/**
 * {@linkcode readBodyText} under a time limit, so a client trickling its body cannot hold
 * the handler (and whatever it has reserved) for longer than `deadline.timeoutMs`.
 *
 * @param req The request.
 * @param maxBytes Largest accepted (decoded) body.
 * @param deadline Time limit and shutdown signal.
 * @returns The text ("" for no body).
 * @throws {HaechiError} As {@linkcode readBodyText}; `input.timeout` when the time runs
 *   out, `proxy.overloaded` when the signal aborts first.
 *
 * @example
 * ```ts
 * import { readBodyWithin } from "./body.ts";
 * const req = new Request("http://x/", { method: "POST", body: "{}" });
 * if (await readBodyWithin(req, 10, { timeoutMs: 1000 }) !== "{}") throw new Error("read");
 * ```
 */
export async function readBodyWithin(
  req: Request,
  maxBytes: number,
  deadline: BodyDeadline,
): Promise<string> {
  return await readWithin(readBodyText(req, maxBytes), deadline);
}

/**
 * Await a body read under a time limit and a shutdown signal.
 *
 * @param reading The read in progress.
 * @param deadline Time limit and shutdown signal.
 * @returns What the read returns.
 * @throws {HaechiError} What the read throws; `input.timeout` when the time runs out,
 *   `proxy.overloaded` when the signal aborts first.
 *
 * @example
 * ```ts
 * import { readWithin } from "./body.ts";
 * if (await readWithin(Promise.resolve("x"), { timeoutMs: 10 }) !== "x") throw new Error();
 * ```
 */
export async function readWithin<T>(reading: Promise<T>, deadline: BodyDeadline): Promise<T> {
  const { timeoutMs, signal } = deadline;
  if (timeoutMs === 0 && signal === undefined) return await reading;
  // Once the race is lost the read's own outcome is moot; keep it from going unhandled.
  reading.catch(() => {});
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort = () => {};
  const cut = new Promise<never>((_, reject) => {
    if (timeoutMs > 0) {
      timer = setTimeout(() => {
        reject(
          new HaechiError(
            "input.timeout",
            `Request body did not arrive within ${timeoutMs} ms (limits.requestTimeoutMs)`,
          ),
        );
      }, timeoutMs);
    }
    onAbort = () =>
      reject(new HaechiError("proxy.overloaded", "The gateway is shutting down; retry shortly"));
    if (signal?.aborted) onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([reading, cut]);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  }
}

/**
 * Read an upstream reply's body as UTF-8 text, undoing its `Content-Encoding`, refusing
 * more than `maxBytes` (decoded).
 *
 * @param res The upstream response.
 * @param maxBytes Largest accepted (decoded) body.
 * @returns The text ("" for no body).
 * @throws {HaechiError} `payload.too_large`, `input.invalid_utf8`, `input.read_failed`,
 *   `stream.invalid` for an unsupported encoding.
 *
 * @example
 * ```ts
 * import { readResponseText } from "./body.ts";
 * const t = await readResponseText(new Response("{}"), 10);
 * if (t !== "{}") throw new Error(t);
 * ```
 */
export async function readResponseText(res: Response, maxBytes: number): Promise<string> {
  if (res.body === null) return "";
  const encoding = res.headers.get("content-encoding");
  if (encoding !== null && encoding.trim().toLowerCase() !== "identity") {
    return await readStreamText(decodeBody(res.body, encoding, { maxBytes }), maxBytes);
  }
  const declared = declaredLength(res.headers);
  if (declared !== null && declared <= maxBytes) return await readWhole(res, maxBytes);
  // No length (chunked) or too long: count as it arrives and stop at the limit.
  return await readStreamText(res.body, maxBytes);
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
  return utf8(await readStreamBytes(stream, maxBytes));
}

/**
 * Read a byte stream whole, refusing more than `maxBytes`.
 *
 * @param stream The bytes.
 * @param maxBytes Largest accepted size.
 * @returns The bytes.
 * @throws {HaechiError} `payload.too_large`, `input.read_failed`.
 *
 * @example
 * ```ts
 * import { readStreamBytes } from "./body.ts";
 * const b = await readStreamBytes(new Blob(["hi"]).stream(), 10);
 * if (b.length !== 2) throw new Error(String(b.length));
 * ```
 */
export async function readStreamBytes(
  stream: ReadableStream<Uint8Array>,
  maxBytes: number,
): Promise<Uint8Array<ArrayBuffer>> {
  // A byte stream (a socket's body) is read into one buffer of ours: its default reader
  // allocates a fresh 64 KiB buffer per read, which for a small reply cost more CPU (in
  // allocation and collection) than the rest of reading it.
  let byob: ReadableStreamBYOBReader | undefined;
  try {
    byob = stream.getReader({ mode: "byob" });
  } catch {
    // Not a byte stream (a decoded or generated body): read chunk by chunk.
  }
  try {
    return byob === undefined
      ? await readChunks(stream.getReader(), maxBytes)
      : await readInto(byob, maxBytes);
  } catch (e) {
    if (e instanceof HaechiError) {
      throw e.code === "payload.too_large"
        ? tooLarge(maxBytes)
        : e.code === "stream.invalid"
        ? new HaechiError("input.read_failed", "Request body could not be decoded")
        : e;
    }
    throw new HaechiError("input.read_failed", "Request body could not be read");
  }
}

async function readChunks(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  maxBytes: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const parts: Uint8Array[] = [];
  let size = 0;
  let ended = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        ended = true;
        break;
      }
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        throw tooLarge(maxBytes);
      }
      parts.push(value);
    }
  } finally {
    // A stream read to its end needs no release, and releasing builds an error object (its
    // `closed` promise is rejected with a TypeError): a few µs per body.
    if (!ended) reader.releaseLock();
  }
  const all = new Uint8Array(size);
  let off = 0;
  for (const p of parts) {
    all.set(p, off);
    off += p.byteLength;
  }
  return all;
}

/**
 * Read a byte stream into a buffer that doubles as it fills, up to `maxBytes + 1` bytes:
 * one byte past the limit is enough to know the body is too large.
 */
async function readInto(
  reader: ReadableStreamBYOBReader,
  maxBytes: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const cap = maxBytes + 1;
  let buf = new Uint8Array(Math.min(FIRST_READ_BYTES, cap));
  let size = 0;
  let ended = false;
  try {
    for (;;) {
      if (size === buf.length) {
        if (size >= cap) {
          await reader.cancel().catch(() => {});
          throw tooLarge(maxBytes);
        }
        const bigger = new Uint8Array(Math.min(buf.length * 2, cap));
        bigger.set(buf);
        buf = bigger;
      }
      // The read takes over the buffer and hands it back in `value`.
      const { value, done } = await reader.read(buf.subarray(size));
      if (value !== undefined) buf = new Uint8Array(value.buffer as ArrayBuffer);
      if (done) {
        ended = true;
        break;
      }
      size += value!.byteLength;
    }
  } finally {
    if (!ended) reader.releaseLock();
  }
  return buf.subarray(0, size);
}

/** The first buffer of a byte-stream read: most bodies fit, a larger one doubles it. */
const FIRST_READ_BYTES = 16 * 1024;

/** Read a body whose framing bounds it (a declared length within the limit) in one piece. */
async function readWhole(source: Body, maxBytes: number): Promise<string> {
  let bytes: Uint8Array;
  try {
    bytes = await source.bytes();
  } catch {
    throw new HaechiError("input.read_failed", "Request body could not be read");
  }
  if (bytes.byteLength > maxBytes) throw tooLarge(maxBytes);
  return utf8(bytes);
}

/** A `Content-Length` that is a plain decimal number, else null. */
function declaredLength(headers: Headers): number | null {
  const declared = headers.get("content-length");
  return declared !== null && /^\d+$/.test(declared) ? Number(declared) : null;
}

// A fatal decoder without `stream` keeps no state between calls, so one serves every body.
const decoder = new TextDecoder("utf-8", { fatal: true });

function utf8(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
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
