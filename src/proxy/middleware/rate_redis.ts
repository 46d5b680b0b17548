/**
 * A {@linkcode RateLimiter} on Redis (`policy.rate.store: "redis"`): every replica counts
 * into the same per-minute key, so a fleet enforces one budget per identity.
 *
 * The connection comes from `runtime/redis.ts`, which loads the client only when a
 * Redis store is configured. Keys hold a keyed fingerprint of the
 * identity and the minute number, never a credential, and expire two minutes after use.
 * Commands fail fast while disconnected (no offline queue); the gateway turns a failure
 * into a 503, never into an allowed request.
 *
 * @module
 */
import { connectRedis, type RedisConnection } from "../../runtime/mod.ts";
import { type RateLimiter, WINDOW_MS } from "./rate_limit.ts";

/** The slice of the client used here. */
interface RedisClient extends RedisConnection {
  multi(): RedisMulti;
}
interface RedisMulti {
  incr(key: string): RedisMulti;
  expire(key: string, seconds: number): RedisMulti;
  exec(): Promise<unknown[]>;
}

/**
 * Connect to Redis at `url` and build the limiter.
 *
 * @param url `redis://host:port` (`policy.rate.redisUrl`).
 * @param now Clock (ms since the epoch).
 * @throws {HaechiError} `config.invalid` for a missing or non-redis URL;
 *   `proxy.listen` when Redis cannot be reached at start-up.
 *
 * @example
 * ```ts ignore
 * const limiter = await openRedisRateLimiter("redis://127.0.0.1:6379");
 * await limiter.allow("anonymous", 60);
 * await limiter.close?.();
 * ```
 */
export async function openRedisRateLimiter(
  url: string,
  now: () => number = Date.now,
): Promise<RateLimiter> {
  const client = await connectRedis<RedisClient>(url, {
    setting: "policy.rate.redisUrl",
    what: "the rate limit store",
    unreachable: "proxy.listen",
  });
  return {
    async allow(key, limit) {
      const window = Math.floor(now() / WINDOW_MS);
      const k = `haechi:rate:${key}:${window}`;
      const [count] = await client.multi().incr(k).expire(k, 2 * WINDOW_MS / 1000).exec();
      if (typeof count !== "number") throw new Error("unexpected reply");
      return count <= limit;
    },
    async close() {
      await client.quit().catch(() => client.disconnect().catch(() => {}));
    },
  };
}
