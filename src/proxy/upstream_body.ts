/**
 * Bound an upstream reply body in time and name the cause when it breaks.
 *
 * `fetch` resolves once the reply's headers are in; what follows can stall (a JSON reply
 * that sends `{"choices":[` and stops) or break (the upstream resets the connection). Each
 * read of the guarded body waits at most `idleMs`, and no read ends after `deadline`, so a
 * reply always finishes or fails and its in-flight slot is freed. A failed read of the raw
 * body becomes `proxy.upstream` here, before any decoder sees it, so a reset is never
 * reported as corrupt compression or invalid UTF-8.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";
import { type ChunkSource, createChunkReader, createReadWatch } from "../stream/mod.ts";
import { readResponseText } from "./body.ts";

/** Options for {@linkcode guardUpstreamBody}. */
export interface UpstreamBodyGuard {
  /** Longest wait for the next chunk, in ms. */
  readonly idleMs: number;
  /** `performance.now()` time by which the whole body must be in. */
  readonly deadline: number;
  /** Config key named in the total-time message, e.g. `proxy.upstreamTimeoutMs`. */
  readonly totalKey: string;
  /** Called once on a timeout, to abort the upstream request. */
  readonly onTimeout: () => void;
}

/**
 * Wrap an upstream body so reads are bounded and failures carry a stable code.
 *
 * @param body The raw upstream body (before any content decoding).
 * @param guard Idle and total bounds.
 * @returns The same bytes; the stream errors with `proxy.timeout` when a bound passes, or
 *   `proxy.upstream` when the upstream connection fails mid-body.
 *
 * @example
 * ```ts
 * import { guardUpstreamBody } from "./upstream_body.ts";
 * const body = guardUpstreamBody(new Response("ok").body!, {
 *   idleMs: 1000, deadline: performance.now() + 1000, totalKey: "t", onTimeout: () => {},
 * });
 * if (await new Response(body).text() !== "ok") throw new Error("passes bytes through");
 * ```
 */
export function guardUpstreamBody(
  body: ReadableStream<Uint8Array>,
  guard: UpstreamBodyGuard,
): ReadableStream<Uint8Array> {
  const source = guarded(body.getReader(), guard);
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const r = await source.read();
      if (r.done) controller.close();
      else controller.enqueue(r.value);
    },
    cancel: (reason) => source.cancel(reason),
  });
}

/**
 * The bounds of {@linkcode guardUpstreamBody} on a body read by a consumer that uses each
 * chunk up before the next read (a stream rewriter decoding it): no stream layer in between,
 * and a byte stream (a `fetch` body) is read into one reused buffer.
 *
 * @param body The raw upstream body, not content-encoded.
 * @param guard Idle and total bounds.
 * @returns The source; each chunk is valid only until the next read. Reads reject as the
 *   guarded body's would.
 *
 * @example
 * ```ts
 * import { guardUpstreamSource } from "./upstream_body.ts";
 * const source = guardUpstreamSource(new Response("ok").body!, {
 *   idleMs: 1000, deadline: performance.now() + 1000, totalKey: "t", onTimeout: () => {},
 * });
 * const r = await source.read();
 * if (r.done || new TextDecoder().decode(r.value) !== "ok") throw new Error("passes bytes");
 * ```
 */
export function guardUpstreamSource(
  body: ReadableStream<Uint8Array>,
  guard: UpstreamBodyGuard,
): ChunkSource {
  return guarded(createChunkReader(body), guard);
}

function guarded(reader: ChunkSource, guard: UpstreamBodyGuard): ChunkSource {
  let total = false;
  // One timer for the whole body, not one per read: a stream arrives in hundreds of reads.
  const watch = createReadWatch(() => {
    reader.cancel().catch(() => {});
    guard.onTimeout();
  });
  return {
    async read() {
      const now = performance.now();
      total = guard.deadline - now <= guard.idleMs;
      watch.begin(Math.min(guard.deadline, now + guard.idleMs));
      let r: ReadableStreamReadResult<Uint8Array>;
      try {
        r = await reader.read();
      } catch (e) {
        watch.stop();
        if (watch.late) throw timeoutError(guard, total);
        if (e instanceof HaechiError) throw e;
        throw new HaechiError(
          "proxy.upstream",
          "The upstream connection broke before its reply was complete",
        );
      }
      watch.end();
      if (watch.late) throw timeoutError(guard, total);
      if (r.done) watch.stop();
      return r;
    },
    cancel(reason) {
      watch.stop();
      return reader.cancel(reason);
    },
  };
}

function timeoutError(guard: UpstreamBodyGuard, total: boolean): HaechiError {
  return new HaechiError(
    "proxy.timeout",
    total
      ? `The upstream reply did not complete within ${guard.totalKey}`
      : `The upstream stopped sending for ${guard.idleMs} ms (proxy.upstreamTimeoutMs)`,
  );
}

/** The upstream request's clock, from send to the end of a reply read whole. */
export interface ReplyClock {
  /** `performance.now()` when the request was sent. */
  readonly sent: number;
  /** Stop the send-to-end timer (a streamed body is bounded by its own guard instead). */
  stop(): void;
  /** Whether the timer fired (and aborted the upstream request). */
  timedOut(): boolean;
}

/**
 * Read a JSON reply whole under the send-to-end timer. Failures name the upstream, never
 * the caller's request: a stall is `proxy.timeout`, a broken connection, oversized or
 * non-UTF-8 body `proxy.upstream`.
 *
 * @param res The upstream reply.
 * @param clock The request's clock (its timer aborts the read when it fires).
 * @param maxBytes Largest accepted (decoded) body.
 * @returns The body text.
 * @throws {HaechiError} `proxy.timeout` or `proxy.upstream`.
 *
 * @example
 * ```ts
 * import { readReply } from "./upstream_body.ts";
 * const clock = { sent: 0, stop() {}, timedOut: () => false };
 * if (await readReply(new Response("{}"), clock, 10) !== "{}") throw new Error("read");
 * ```
 */
export async function readReply(
  res: Response,
  clock: ReplyClock,
  maxBytes: number,
): Promise<string> {
  try {
    return await readResponseText(res, maxBytes);
  } catch (e) {
    if (clock.timedOut()) {
      throw new HaechiError(
        "proxy.timeout",
        "The upstream reply did not complete within proxy.upstreamTimeoutMs",
      );
    }
    const code = e instanceof HaechiError ? e.code : "internal";
    throw new HaechiError(
      "proxy.upstream",
      code === "input.invalid_utf8"
        ? "The upstream reply is not valid UTF-8"
        : code === "payload.too_large"
        ? "The upstream reply exceeds limits.maxBytes"
        : code === "stream.invalid" || code === "input.read_failed"
        ? "The upstream reply could not be read: its connection broke or its encoding is corrupt"
        : "The upstream reply could not be read",
    );
  }
}
