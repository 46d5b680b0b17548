/**
 * Upstream bodies for stream tests, as a JS stream and as a byte stream that answers reads
 * the way Deno's `fetch` body does (into the reader's buffer, at most its size per read).
 *
 * @module
 */

/** A body built in JS: each chunk is read as it is. */
export function jsBody(chunks: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    pull(c) {
      if (i < chunks.length) c.enqueue(chunks[i++]);
      else c.close();
    },
  });
}

/**
 * A byte stream: every read fills the reader's buffer (a default reader's auto-allocated
 * one, or a BYOB reader's own) with the next chunk, or as much of it as fits.
 */
export function byteBody(chunks: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  let i = 0;
  let rest: Uint8Array = new Uint8Array(0);
  return new ReadableStream({
    type: "bytes",
    autoAllocateChunkSize: 64 * 1024,
    pull(c) {
      // A read may not be answered with nothing unless the stream closes.
      while (rest.length === 0 && i < chunks.length) rest = chunks[i++];
      const request = c.byobRequest!;
      if (rest.length === 0) {
        c.close();
        request.respond(0);
        return;
      }
      const view = request.view as Uint8Array;
      const n = Math.min(view.byteLength, rest.length);
      view.set(rest.subarray(0, n));
      rest = rest.subarray(n);
      request.respond(n);
    },
  });
}
