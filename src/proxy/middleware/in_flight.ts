/**
 * `proxy.maxInFlight`: a request takes a slot for as long as it is forwarded and its reply
 * streams, and is refused (503, `Retry-After: 1`) when none is free. The slot is given back
 * exactly once: by the reply's end (`RequestEnds.release`) or, when forwarding throws before
 * that, here.
 *
 * @module
 */
import { HaechiError } from "../../errors.ts";
import type { GatewayContext, RequestEnds } from "../context.ts";
import type { GatewayMetrics } from "../metrics.ts";
import type { Middleware } from "../router.ts";

/**
 * The in-flight step; everything after it runs holding a slot.
 *
 * @param metrics The gateway's metrics (which keep the in-flight count).
 * @param maxInFlight `proxy.maxInFlight`.
 * @param ends How a refused or failed request ends.
 * @returns The middleware.
 */
export function limitInFlight(
  metrics: GatewayMetrics,
  maxInFlight: number,
  ends: RequestEnds,
): Middleware<GatewayContext> {
  return async (ctx, next) => {
    if (metrics.inFlight >= maxInFlight) {
      metrics.rejected();
      return await ends.fail(
        ctx,
        new HaechiError("proxy.overloaded", "The gateway is at proxy.maxInFlight; retry shortly"),
        { "retry-after": "1" },
      );
    }
    metrics.inFlight++;
    ctx.slot = "held";
    try {
      return await next(ctx);
    } catch (e) {
      // Counted already when the reply's end released the slot before the failure.
      const first = ctx.slot === "held";
      if (first) {
        ctx.slot = "released";
        metrics.inFlight--;
      }
      return await ends.fail(ctx, e, undefined, first);
    }
  };
}
