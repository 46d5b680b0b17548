/**
 * Reading a body whose chunks are used up at once (decoded to text before the next read),
 * without a fresh buffer per read.
 *
 * A `fetch` body in Deno is a byte stream, and a default reader on it allocates a 64 KiB
 * buffer for every read, however few bytes the read returns. A streamed reply arrives in
 * hundreds of small reads, so that was megabytes of garbage per reply and a large share of
 * the gateway's time per chunk. Read in "byob" mode into one buffer handed back and forth,
 * the same bytes arrive with no allocation per read.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";

/** Chunks read one at a time; a `ReadableStreamDefaultReader` is one. */
export interface ChunkSource {
  /**
   * The next chunk. With a source from {@linkcode createChunkReader} it is valid only until
   * the next `read`: use it up (decode, copy) first.
   */
  read(): Promise<ReadableStreamReadResult<Uint8Array>>;
  /** Stop reading; the body is cancelled. */
  cancel(reason?: unknown): Promise<void>;
}

/** Largest chunk one read returns from a byte stream: the size of Deno's own read buffer. */
const READ_BUFFER = 64 * 1024;

/**
 * A source over `body` that reuses one buffer for every read of a byte stream. Any other
 * stream is read with its default reader (its chunks are its own, and stay valid).
 *
 * @param body The body; it is locked to the returned source.
 * @returns The source. Each chunk is valid only until the next `read`.
 *
 * @example
 * ```ts
 * import { createChunkReader } from "./chunk_reader.ts";
 * const source = createChunkReader(new Response("hello").body!);
 * let text = "";
 * for (let r = await source.read(); !r.done; r = await source.read()) {
 *   text += new TextDecoder().decode(r.value); // used up before the next read
 * }
 * if (text !== "hello") throw new Error(text);
 * ```
 */
export function createChunkReader(body: ReadableStream<Uint8Array>): ChunkSource {
  let reader: ReadableStreamBYOBReader;
  try {
    reader = body.getReader({ mode: "byob" });
  } catch {
    // Not a byte stream (a stream built in JS): nothing is allocated per read to save.
    return body.getReader();
  }
  let buffer: ArrayBuffer | undefined = new ArrayBuffer(READ_BUFFER);
  return {
    async read() {
      if (buffer === undefined) {
        throw new HaechiError("internal", "A chunk reader was read after a read failed");
      }
      // The buffer is transferred to the read and comes back as the chunk's buffer.
      const view = new Uint8Array(buffer);
      buffer = undefined;
      const r = await reader.read(view);
      if (r.value !== undefined) buffer = r.value.buffer as ArrayBuffer;
      return r.done ? { done: true, value: undefined } : { done: false, value: r.value };
    },
    cancel: (reason) => reader.cancel(reason),
  };
}
