/**
 * The upstream half of `/__haechi/ready`: is the upstream reachable right now?
 *
 * The probe asks the upstream's base URL for its headers (`HEAD`, no body, no caller header,
 * no credential, redirects not followed) and counts any HTTP answer, even 404, as reachable:
 * only a refused connection, a failed lookup or a timeout is not. Answers are cached for
 * `ttlMs` and concurrent readiness requests share one probe, so a busy load balancer costs
 * the upstream at most one request per interval.
 *
 * @module
 */

/** Probe settings. */
export interface UpstreamProbeOptions {
  /** How long an answer is reused, in ms (default 5000). */
  readonly ttlMs?: number;
  /** How long a probe may take, in ms (default 2000). */
  readonly timeoutMs?: number;
  /** Clock (ms). */
  readonly now?: () => number;
}

/**
 * Build a cached reachability probe for `upstream`.
 *
 * @param upstream The checked upstream base URL.
 * @param fetchImpl How the gateway reaches the upstream.
 * @returns `() => Promise<boolean>`: true when the upstream answered.
 *
 * @example
 * ```ts
 * import { createUpstreamProbe } from "./readiness.ts";
 * let calls = 0;
 * const probe = createUpstreamProbe(new URL("http://up.test/v1"), () => {
 *   calls++;
 *   return Promise.resolve(new Response(null, { status: 404 }));
 * });
 * if (!(await probe()) || !(await probe()) || calls !== 1) throw new Error("cached");
 * ```
 */
export function createUpstreamProbe(
  upstream: URL,
  fetchImpl: (request: Request) => Promise<Response>,
  options: UpstreamProbeOptions = {},
): () => Promise<boolean> {
  const ttl = options.ttlMs ?? 5000;
  const timeout = options.timeoutMs ?? 2000;
  const now = options.now ?? Date.now;
  let cached: { at: number; ok: boolean } | null = null;
  let pending: Promise<boolean> | null = null;

  async function probe(): Promise<boolean> {
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), timeout);
    try {
      const res = await fetchImpl(
        new Request(upstream, { method: "HEAD", signal: ctrl.signal, redirect: "manual" }),
      );
      await res.body?.cancel();
      return true;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  return () => {
    if (cached !== null && now() - cached.at < ttl) return Promise.resolve(cached.ok);
    pending ??= probe().then((ok) => {
      cached = { at: now(), ok };
      pending = null;
      return ok;
    });
    return pending;
  };
}
