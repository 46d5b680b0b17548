/**
 * The one way haechi connects to Redis: the rate limit store and the token vault store
 * both come here, so the URL check, the client options and the start-up failure are the
 * same for each.
 *
 * The client is the `redis` npm package, imported only when a Redis store is configured,
 * so a gateway without one carries no third-party code. Commands fail fast while
 * disconnected (no offline queue); callers turn a failure into a refusal, never into an
 * allowed request.
 *
 * @module
 */
import { type ErrorCode, HaechiError } from "../errors.ts";

/** What every Redis client used here offers. */
export interface RedisConnection {
  on(event: "error", fn: (e: unknown) => void): unknown;
  connect(): Promise<unknown>;
  quit(): Promise<unknown>;
  disconnect(): Promise<unknown>;
}

/** Which config key a connection serves, for its error messages. */
export interface RedisTarget {
  /** The config key holding the URL (`tokenVault.redisUrl`). */
  readonly setting: string;
  /** What the store is, in words (`the token vault`). */
  readonly what: string;
  /** The error code when Redis cannot be reached at start-up. */
  readonly unreachable: ErrorCode;
}

/**
 * Check `url` and connect, with the client typed as the slice the caller uses.
 *
 * @param url `redis://host:port` or `rediss://…`.
 * @param target The config key and store it serves, for error messages.
 * @returns The connected client.
 * @throws {HaechiError} `config.invalid` for a non-redis URL; `target.unreachable` when
 *   Redis cannot be reached.
 *
 * @example
 * ```ts ignore
 * const client = await connectRedis<RedisConnection>("redis://127.0.0.1:6379", {
 *   setting: "tokenVault.redisUrl",
 *   what: "the token vault",
 *   unreachable: "vault.io",
 * });
 * await client.quit();
 * ```
 */
export async function connectRedis<C extends RedisConnection>(
  url: string,
  target: RedisTarget,
): Promise<C> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new HaechiError("config.invalid", `${target.setting} is not a URL`);
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    throw new HaechiError(
      "config.invalid",
      `${target.setting} must start with redis:// or rediss://`,
    );
  }
  // An inline specifier, not an import-map entry: `haechi` also runs with --no-config.
  // deno-lint-ignore no-import-prefix
  const mod = await import("npm:redis@4.7.0") as unknown as {
    createClient(options: Record<string, unknown>): C;
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
      target.unreachable,
      `Cannot reach ${target.what} at ${parsed.host} (${target.setting})`,
    );
  }
  return client;
}
