/**
 * Watching a passed-through body for its end.
 *
 * @module
 */

/**
 * Pass a body through, calling `end` when it is fully read (or fails) and `cancel` if the
 * caller leaves: how the gateway learns an unknown route's reply is over. The body closes
 * only once `end` has settled, so what `end` records is written before the caller has
 * the whole reply.
 *
 * @param body The body to pass on.
 * @param hooks Called once the body ends or is cancelled.
 * @returns The same bytes.
 *
 * @example
 * ```ts
 * import { trackEnd } from "./track_end.ts";
 * let ended = false;
 * const body = trackEnd(new Blob(["hi"]).stream(), {
 *   end: () => {
 *     ended = true;
 *   },
 *   cancel: () => {},
 * });
 * await new Response(body).text();
 * if (!ended) throw new Error("end not called");
 * ```
 */
export function trackEnd(
  body: ReadableStream<Uint8Array>,
  hooks: { end: () => void | Promise<void>; cancel: () => void },
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await reader.read();
        if (done) {
          // The end is recorded before the caller sees the body close.
          await hooks.end();
          controller.close();
        } else controller.enqueue(value);
      } catch (e) {
        await hooks.end();
        controller.error(e);
      }
    },
    cancel() {
      reader.cancel().catch(() => {});
      hooks.cancel();
    },
  });
}
