/**
 * Watching a passed-through body for its end.
 *
 * @module
 */

/**
 * Pass a body through, calling `end` when it is fully read (or fails) and `cancel` if the
 * caller leaves: how the gateway learns an unknown route's reply is over.
 *
 * @param body The body to pass on.
 * @param hooks Called once the body ends or is cancelled.
 * @returns The same bytes.
 *
 * @example
 * ```ts
 * import { trackEnd } from "./track_end.ts";
 * let ended = false;
 * const body = trackEnd(new Blob(["hi"]).stream(), { end: () => ended = true, cancel: () => {} });
 * await new Response(body).text();
 * if (!ended) throw new Error("end not called");
 * ```
 */
export function trackEnd(
  body: ReadableStream<Uint8Array>,
  hooks: { end: () => void; cancel: () => void },
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await reader.read();
        if (done) {
          controller.close();
          hooks.end();
        } else controller.enqueue(value);
      } catch (e) {
        controller.error(e);
        hooks.end();
      }
    },
    cancel() {
      reader.cancel().catch(() => {});
      hooks.cancel();
    },
  });
}
