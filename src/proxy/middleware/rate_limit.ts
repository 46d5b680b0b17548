/**
 * Per-identity rate limiting (`policy.rate.requestsPerMinute`): a step the gateway runs
 * once the caller is known and before its body is read, so a caller over its budget costs
 * no body read, no scan and no upstream call.
 *
 * Counting is a fixed window per wall-clock minute. The limiter behind it is a
 * {@linkcode RateLimiter}: in this process by default, or a shared store (Redis, see
 * `rate_redis.ts`) so that every replica draws on one budget. A store that cannot answer
 * refuses the request (503): an unknown count is never treated as under the limit.
 *
 * @module
 */
import { HaechiError } from "../../errors.ts";
import type { Caller } from "../caller.ts";
import type { GatewayContext, RequestEnds } from "../context.ts";
import type { Middleware } from "../router.ts";

/** Counts requests per key; `allow` says whether one more fits in the current minute. */
export interface RateLimiter {
  /**
   * Count one request for `key` and say whether it is within `limit` per minute.
   *
   * @param key Per-identity bucket (a keyed fingerprint or `anonymous`, never a credential).
   * @param limit Requests per minute.
   */
  allow(key: string, limit: number): boolean | Promise<boolean>;
  /** Release connections and timers. */
  close?(): Promise<void>;
}

/** Window length: one minute. */
export const WINDOW_MS = 60_000;

/** Sweep aged-out buckets once the map holds this many keys. */
const SWEEP_AT = 4096;

/**
 * The in-process limiter: one counter per key for the current minute. Buckets from earlier
 * minutes are swept once the map grows, so one-shot identities do not accumulate.
 *
 * @param now Clock (ms since the epoch).
 *
 * @example
 * ```ts
 * import { createMemoryRateLimiter } from "./rate_limit.ts";
 * const l = createMemoryRateLimiter(() => 0);
 * if (!l.allow("a", 1) || l.allow("a", 1)) throw new Error("one per minute");
 * ```
 */
export function createMemoryRateLimiter(now: () => number = Date.now): RateLimiter {
  const buckets = new Map<string, { window: number; count: number }>();
  return {
    allow(key, limit) {
      const window = Math.floor(now() / WINDOW_MS);
      let b = buckets.get(key);
      if (b === undefined || b.window !== window) {
        if (b === undefined && buckets.size >= SWEEP_AT) {
          for (const [k, v] of buckets) if (v.window !== window) buckets.delete(k);
        }
        b = { window, count: 0 };
        buckets.set(key, b);
      }
      b.count++;
      return b.count <= limit;
    },
  };
}

/**
 * Whole seconds until the current window ends (at least 1): the `Retry-After` value.
 *
 * @example
 * ```ts
 * import { retryAfterSeconds } from "./rate_limit.ts";
 * if (retryAfterSeconds(59_500) !== 1 || retryAfterSeconds(0) !== 60) throw new Error();
 * ```
 */
export function retryAfterSeconds(now: number): number {
  const end = (Math.floor(now / WINDOW_MS) + 1) * WINDOW_MS;
  return Math.max(1, Math.ceil((end - now) / 1000));
}

/** The bucket a caller counts against. */
export function rateKey(caller: Caller): string {
  // Unauthenticated callers share one bucket: a scope header is a claim anyone can vary.
  return caller.identity ?? "anonymous";
}

/**
 * Count this request against the caller's budget.
 *
 * @param limiter The limiter.
 * @param limit `policy.rate.requestsPerMinute` (0: no limit, nothing counted).
 * @param caller The resolved caller.
 * @param now Clock.
 * @throws {HaechiError} `proxy.rate_limited` (429) over the limit, with
 *   `details.retryAfter` in seconds; `proxy.overloaded` (503) when the store fails.
 */
export async function enforceRate(
  limiter: RateLimiter,
  limit: number,
  caller: Caller,
  now: () => number = Date.now,
): Promise<void> {
  if (limit <= 0) return;
  let allowed: boolean;
  try {
    allowed = await limiter.allow(rateKey(caller), limit);
  } catch {
    throw new HaechiError(
      "proxy.overloaded",
      "The rate limit store (policy.rate.store) is unavailable; retry shortly",
      { retryAfter: 1 },
    );
  }
  if (!allowed) {
    const retryAfter = retryAfterSeconds(now());
    throw new HaechiError(
      "proxy.rate_limited",
      `Rate limit of ${limit} requests per minute reached (policy.rate.requestsPerMinute); ` +
        `retry in ${retryAfter} s`,
      { retryAfter },
    );
  }
}

/**
 * The `Retry-After` header for an error that carries `details.retryAfter`.
 *
 * @example
 * ```ts
 * import { retryAfterHeader } from "./rate_limit.ts";
 * import { HaechiError } from "../../errors.ts";
 * const h = retryAfterHeader(new HaechiError("proxy.rate_limited", "x", { retryAfter: 7 }));
 * if (h?.["retry-after"] !== "7") throw new Error();
 * ```
 */
export function retryAfterHeader(err: unknown): Record<string, string> | undefined {
  if (!(err instanceof HaechiError)) return undefined;
  const s = err.details.retryAfter;
  return typeof s === "number" && Number.isSafeInteger(s) && s > 0
    ? { "retry-after": String(s) }
    : undefined;
}

/**
 * The rate-limit step of an LLM route: runs once the caller and its profile are known (after
 * `identify`) and before its body is read; a refusal answers 429 (or 503 for an unavailable
 * store) with `Retry-After`.
 *
 * @param limiter Where requests are counted.
 * @param ends How a refused request ends.
 * @returns The middleware. The budget is the caller's profile's (its `rate`, else
 *   `policy.rate.requestsPerMinute`; 0: no limit).
 */
export function limitRate(
  limiter: RateLimiter,
  ends: RequestEnds,
): Middleware<GatewayContext> {
  return async (ctx, next) => {
    try {
      await enforceRate(limiter, ctx.profile.requestsPerMinute, ctx.caller);
    } catch (e) {
      return await ends.fail(ctx, e, retryAfterHeader(e));
    }
    return next(ctx);
  };
}
