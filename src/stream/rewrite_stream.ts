/**
 * Rewrite an upstream stream body frame by frame into a protected stream for the caller.
 *
 * Pull-driven: a chunk is read from the upstream only when the caller's side asks for
 * more, so nothing is buffered beyond the parser's current frame and the guards' windows.
 * When the rewriter reports the protocol's terminator, the upstream is cancelled and the
 * body closes: nothing follows the terminator. Any failure (malformed frame, oversized
 * event, bad UTF-8, timeout, a guard refusing) ends the stream with the protocol's error
 * frame instead of passing anything unprotected.
 *
 * @module
 */
import { HaechiError, toHaechiError } from "../errors.ts";
import type { Frame, StreamRewriter } from "./channel_stream.ts";
import type { ChunkSource } from "./chunk_reader.ts";
import { createFrameCodec, type Framing } from "./framing.ts";

/** Options for {@linkcode rewriteStream}. */
export interface RewriteStreamOptions {
  /**
   * The decoded upstream body. Each chunk is decoded before the next read, so a source
   * that reuses its buffer (`createChunkReader`) is fine. The source bounds the
   * time of its own reads (the gateway's upstream guard does).
   */
  readonly source: ChunkSource;
  /** Wire framing of the body. */
  readonly framing: Framing;
  /** The protocol's error frame, written last when the stream fails. */
  readonly errorFrame: (code: string, message: string) => Frame;
  /** The protocol's rewriter for this reply. */
  readonly rewriter: StreamRewriter;
  /** Largest event or line. */
  readonly maxEventBytes: number;
  /** Called when the caller goes away or the stream fails, to abort the upstream request. */
  readonly abortUpstream: () => void;
  /**
   * Called once when the stream ends: `undefined` on success, else why it ended. The body
   * closes only after a returned promise settles, so the end's audit record is written
   * before the caller has the whole reply.
   */
  readonly onEnd: (error: HaechiError | "cancelled" | undefined) => void | Promise<void>;
}

/**
 * Build the caller's body.
 *
 * @param options Upstream body, framing, rewriter and callbacks.
 * @returns The protected byte stream.
 *
 * @example
 * ```ts ignore
 * const body = rewriteStream({ source: createChunkReader(upstream.body!), framing: "sse",
 *   errorFrame: OPENAI.streamErrorFrame, rewriter, maxEventBytes: 1 << 20, abortUpstream, onEnd });
 * ```
 */
export function rewriteStream(options: RewriteStreamOptions): ReadableStream<Uint8Array> {
  const { rewriter } = options;
  const encoder = new TextEncoder();
  // Decoders driven by hand rather than a TextDecoderStream: one stream layer less per chunk.
  // The strict streaming decoder is the reference (it rejects bad UTF-8, strips a BOM at the
  // start only, and carries a sequence split across chunks); a chunk read while it carries
  // nothing, decoded without replacements by the stateless one, is the same text at a
  // fraction of the cost.
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const quick = new TextDecoder("utf-8", { ignoreBOM: true });
  // Whether `decoder` may hold part of a sequence (and, before the first chunk, a BOM to strip).
  let carrying = true;

  function decode(bytes: Uint8Array): string {
    if (!carrying) {
      const text = quick.decode(bytes);
      if (!text.includes("\uFFFD")) return text;
    }
    const text = decoder.decode(bytes, { stream: true });
    // An ASCII byte never sits inside a sequence, so a chunk ending in one leaves none open.
    if (bytes.length > 0) carrying = bytes[bytes.length - 1] >= 0x80;
    return text;
  }
  const reader = options.source;
  const codec = createFrameCodec(options.framing, options.maxEventBytes);
  const serialize = codec.serialize;
  let ended = false;

  const finish = (controller: ReadableStreamDefaultController<Uint8Array>, tail: string) => {
    tail += codec.close();
    if (tail !== "") controller.enqueue(encoder.encode(tail));
    controller.close();
  };

  const end = async (why: HaechiError | "cancelled" | undefined): Promise<void> => {
    if (ended) return;
    ended = true;
    await options.onEnd(why);
  };

  /** The next decoded text, or `null` at the end of the body. */
  async function read(): Promise<string | null> {
    const r = await reader.read();
    return r.done ? null : decode(r.value);
  }

  /**
   * Rewrite `frames` from `from` on until one must be waited for. The frames of a chunk are
   * taken in this plain loop, and only a returned promise leaves it: V8 compiles a loop with
   * an `await` in it (in the async `pull`) to far slower code even where the await is never
   * reached, and a stream of one-token deltas takes that loop once per frame.
   */
  function rewriteUntilWait(
    frames: readonly Frame[],
    from: number,
  ): { out: string; next: number; wait?: Promise<Frame[]> } {
    let out = "";
    for (let i = from; i < frames.length; i++) {
      if (rewriter.finished) break;
      const r = rewriter.frame(frames[i]);
      if (r instanceof Promise) return { out, next: i + 1, wait: r };
      for (const o of r) out += serialize(o);
    }
    return { out, next: frames.length };
  }

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        for (;;) {
          const value = await read();
          const done = value === null;
          // The decoder's final call throws on a sequence cut short at the end.
          if (done) decoder.decode();
          const frames = done ? codec.flush() : codec.push(value);
          let out = "";
          for (let i = 0; i < frames.length;) {
            const step = rewriteUntilWait(frames, i);
            out += step.out;
            i = step.next;
            if (step.wait !== undefined) { for (const o of await step.wait) out += serialize(o); }
          }
          if (done && !rewriter.finished) {
            for (const o of await rewriter.end()) out += serialize(o);
          }
          if (done || rewriter.finished) {
            if (!done) {
              // Nothing may follow the terminator: stop reading the upstream.
              reader.cancel().catch(() => {});
              options.abortUpstream();
            }
            await end(undefined);
            finish(controller, out);
            return;
          }
          if (out !== "") {
            controller.enqueue(encoder.encode(out));
            return;
          }
        }
      } catch (e) {
        const err = e instanceof TypeError
          ? new HaechiError("stream.invalid", "Upstream stream is not valid UTF-8")
          : toHaechiError(e);
        reader.cancel().catch(() => {});
        options.abortUpstream();
        const message = err.code === "internal"
          ? "Internal error while protecting the stream"
          : err.message;
        await end(err);
        try {
          finish(controller, serialize(options.errorFrame(err.code, message)));
        } catch {
          controller.error(err);
        }
      }
    },
    cancel() {
      reader.cancel().catch(() => {});
      options.abortUpstream();
      return end("cancelled");
    },
  });
}
