/**
 * A {@linkcode RateLimiter} on Redis (`policy.rate.store: "redis"`): every replica counts
 * into the same per-minute key, so a fleet enforces one budget per identity.
 *
 * The client is the `redis` npm package, imported only when this store is configured, so
 * a gateway without it carries no third-party code. Keys hold a keyed fingerprint of the
 * identity and the minute number, never a credential, and expire two minutes after use.
 * Commands fail fast while disconnected (no offline queue); the gateway turns a failure
 * into a 503, never into an allowed request.
 *
 * @module
 */
import { HaechiError } from "../../errors.ts";
import { type RateLimiter, WINDOW_MS } from "./rate_limit.ts";

/** The pinned client package. */
export const REDIS_CLIENT = "npm:redis@4.7.0";

/** The slice of the client used here. */
interface RedisClient {
  on(event: "error", fn: (e: unknown) => void): unknown;
  connect(): Promise<unknown>;
  quit(): Promise<unknown>;
  disconnect(): Promise<unknown>;
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
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new HaechiError(
      "config.invalid",
      'policy.rate.store is "redis" but policy.rate.redisUrl is not a URL',
    );
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    throw new HaechiError(
      "config.invalid",
      "policy.rate.redisUrl must start with redis:// or rediss://",
    );
  }
  // Imported here, only once a Redis store is configured: a gateway without one never
  // loads it. The specifier must stay a literal (and equal REDIS_CLIENT) for publishing.
  // An inline specifier, not an import-map entry: `haechi` also runs with --no-config.
  // deno-lint-ignore no-import-prefix
  const mod = await import("npm:redis@4.7.0") as unknown as {
    createClient(options: Record<string, unknown>): RedisClient;
  };
  const client = mod.createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 2000,
      reconnectStrategy: (retries: number) => Math.min(100 * (retries + 1), 2000),
    },
  });
  // Without a listener a dropped connection would be an uncaught error; commands made
  // while it is down reject on their own.
  client.on("error", () => {});
  try {
    await client.connect();
  } catch {
    await client.disconnect().catch(() => {});
    throw new HaechiError(
      "proxy.listen",
      `Cannot reach the rate limit store at ${parsed.host} (policy.rate.redisUrl)`,
    );
  }
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
