/**
 * Read an LLM route's request body as text, under `limits.maxBytes` and
 * `limits.requestTimeoutMs`, before an in-flight slot is taken: a client that trickles its
 * body holds no slot. `GET` and `HEAD` have none.
 *
 * @module
 */
import { type BodyDeadline, readBodyWithin } from "../body.ts";
import type { GatewayContext, RequestEnds } from "../context.ts";
import type { Middleware } from "../router.ts";
import { retryAfterHeader } from "./rate_limit.ts";

/**
 * The body step.
 *
 * @param maxBytes `limits.maxBytes`.
 * @param deadline `limits.requestTimeoutMs` and the gateway's shutdown signal.
 * @param ends How a refused request ends.
 * @returns The middleware.
 */
export function readBody(
  maxBytes: number,
  deadline: BodyDeadline,
  ends: RequestEnds,
): Middleware<GatewayContext> {
  return async (ctx, next) => {
    const method = ctx.req.method;
    if (method !== "GET" && method !== "HEAD") {
      try {
        ctx.text = await readBodyWithin(ctx.req, maxBytes, deadline);
      } catch (e) {
        return await ends.fail(ctx, e, retryAfterHeader(e));
      }
    }
    return next(ctx);
  };
}
