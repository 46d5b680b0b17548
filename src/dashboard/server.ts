/**
 * The dashboard as a fetch handler. Gates, in order: the `Host` allowlist (anti DNS
 * rebinding: a page on another site that resolves its name to 127.0.0.1 still sends its
 * own name), the method (GET/HEAD), the session guard and the rate limit for `/api/*`.
 * Every answer carries a strict CSP with Trusted Types, no CORS and `no-store`; errors are
 * generic and never name a path.
 *
 * @module
 */
import { ASSETS } from "./assets/mod.ts";
import { type EventFilter, matches, summarizeWindow } from "./aggregate.ts";
import { type ChainChecker, createChainChecker } from "./chain.ts";
import type { NormalizedDashboardOptions } from "./options.ts";
import type { DashboardEvent } from "./project.ts";
import { createTailReader, type TailReader } from "./tail.ts";

/** Facts about the request from the server. */
export interface RequestInfo {
  /** Peer address, the rate limit's key. */
  readonly remoteAddr?: string;
}

/** The handler plus the one thing only known after binding. */
export interface DashboardHandler {
  /** Answer one request. */
  handle(request: Request, info?: RequestInfo): Promise<Response>;
  /** Accept `Host` headers for this bound address and port (call once listening). */
  listeningOn(host: string, port: number): void;
}

/** Content Security Policy: own scripts and styles only, no inline code, Trusted Types. */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  "trusted-types 'none'",
].join("; ");

const API_ROUTES = new Set(["/api/events", "/api/summary", "/api/chain"]);
const MAX_LIMIT = 200;
const DEFAULT_LIMIT = 50;
const RATE_WINDOW_MS = 60_000;
const SAFE_TYPE = /^[A-Za-z0-9_$.:\/@+-]{1,128}$/;

class BadQuery extends Error {}

/**
 * Build the handler for normalized `options`.
 *
 * @example
 * ```ts
 * import { createDashboardHandler } from "./server.ts";
 * import { normalizeDashboardOptions } from "./options.ts";
 * const d = createDashboardHandler(normalizeDashboardOptions({ auditPath: "none.jsonl" }));
 * d.listeningOn("127.0.0.1", 1018);
 * const r = await d.handle(new Request("http://evil.example/healthz"));
 * if (r.status !== 403) throw new Error("foreign Host is refused");
 * ```
 */
export function createDashboardHandler(options: NormalizedDashboardOptions): DashboardHandler {
  const hosts = new Set(options.allowedHosts);
  const tail: TailReader = createTailReader(options.auditPath, options.window);
  const chain: ChainChecker = createChainChecker(options.auditPath, options.anchorPath);
  const limiter = createRateLimiter(options.rateLimit);
  const secure = options.tls !== null;

  const headers = (type: string | null, extra?: Record<string, string>): Headers => {
    const h = new Headers({
      "content-security-policy": DASHBOARD_CSP,
      "x-frame-options": "DENY",
      "x-content-type-options": "nosniff",
      "cross-origin-resource-policy": "same-origin",
      "cross-origin-opener-policy": "same-origin",
      "referrer-policy": "no-referrer",
      "permissions-policy": "camera=(), microphone=(), geolocation=()",
      "cache-control": "no-store",
      ...extra,
    });
    if (type !== null) h.set("content-type", type);
    if (secure) h.set("strict-transport-security", "max-age=31536000");
    return h;
  };
  const json = (body: unknown, status = 200, extra?: Record<string, string>, head = false) =>
    new Response(head ? null : JSON.stringify(body), {
      status,
      headers: headers("application/json; charset=utf-8", extra),
    });

  async function route(url: URL, head: boolean): Promise<Response> {
    const path = url.pathname;
    const asset = ASSETS.get(path);
    if (asset !== undefined) {
      return new Response(head ? null : asset.body, { headers: headers(asset.type) });
    }
    if (path === "/healthz") return json({ status: "ok" }, 200, undefined, head);
    if (!path.startsWith("/api/")) return json({ error: "not_found" }, 404, undefined, head);
    // HEAD answers headers only: no tail read and, above all, no chain walk.
    if (head) return json(null, API_ROUTES.has(path) ? 200 : 404, undefined, true);
    if (path === "/api/chain") return json(await chain.status(options.chainWaitMs));
    if (path === "/api/summary") {
      const filter = parseFilter(url.searchParams);
      return json(summarizeWindow(await tail.read(), filter));
    }
    if (path === "/api/events") return json(await events(url.searchParams));
    return json({ error: "not_found" }, 404);
  }

  async function events(q: URLSearchParams) {
    const filter = parseFilter(q);
    const limit = intParam(q, "limit", 1, MAX_LIMIT) ?? DEFAULT_LIMIT;
    const cursor = intParam(q, "cursor", 1, Number.MAX_SAFE_INTEGER);
    const window = await tail.read();
    const out: DashboardEvent[] = [];
    let more = false;
    for (let i = window.events.length - 1; i >= 0; i--) {
      const e = window.events[i];
      if (cursor !== null && e.seq >= cursor) continue;
      if (!matches(e, filter)) continue;
      if (out.length === limit) {
        more = true;
        break;
      }
      out.push(e);
    }
    return {
      events: out,
      nextCursor: more ? out[out.length - 1].seq : null,
      // Older records exist but lie before the tail window this server reads.
      windowExceeded: !more && !window.complete,
      window: {
        firstSeq: window.events[0]?.seq ?? null,
        lastSeq: window.events[window.events.length - 1]?.seq ?? null,
        complete: window.complete,
      },
    };
  }

  return {
    listeningOn(host, port) {
      const names = [host, "127.0.0.1", "localhost", "[::1]"];
      for (const n of names) {
        const name = n.includes(":") && !n.startsWith("[") ? `[${n}]` : n;
        hosts.add(`${name.toLowerCase()}:${port}`);
        if ((secure && port === 443) || (!secure && port === 80)) hosts.add(name.toLowerCase());
      }
    },
    async handle(req, info) {
      // HTTP/2 (negotiated over TLS) carries the authority in the URL, not a Host header.
      const host = req.headers.get("host") ?? authority(req.url);
      if (host === null || host.includes(",") || !hosts.has(host.toLowerCase())) {
        return json({ error: "forbidden" }, 403);
      }
      if (req.method !== "GET" && req.method !== "HEAD") {
        return json({ error: "method_not_allowed" }, 405, { allow: "GET, HEAD" });
      }
      const head = req.method === "HEAD";
      let url: URL;
      try {
        url = new URL(req.url);
      } catch {
        return json({ error: "bad_request" }, 400);
      }
      try {
        if (url.pathname.startsWith("/api/")) {
          if (options.sessionGuard !== null && !(await options.sessionGuard.authenticate(req))) {
            return json({ error: "unauthorized" }, 401, undefined, head);
          }
          if (!limiter.allow(info?.remoteAddr ?? "local", Date.now())) {
            return json({ error: "rate_limited" }, 429, { "retry-after": "60" }, head);
          }
        }
        return await route(url, head);
      } catch (e) {
        if (e instanceof BadQuery) return json({ error: "bad_request" }, 400);
        return json({ error: "internal" }, e instanceof Error && "code" in e ? 503 : 500);
      }
    },
  };
}

function authority(url: string): string | null {
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}

function parseFilter(q: URLSearchParams): EventFilter {
  const time = (name: string): number | null => {
    const v = q.get(name);
    if (v === null || v === "") return null;
    const t = /^\d{1,15}$/.test(v) ? Number(v) : Date.parse(v);
    if (Number.isNaN(t)) throw new BadQuery();
    return t;
  };
  const type = q.get("type");
  if (type !== null && type !== "" && !SAFE_TYPE.test(type)) throw new BadQuery();
  return { from: time("from"), to: time("to"), type: type === null || type === "" ? null : type };
}

function intParam(q: URLSearchParams, name: string, min: number, max: number): number | null {
  const v = q.get(name);
  if (v === null) return null;
  if (!/^\d{1,16}$/.test(v)) throw new BadQuery();
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new BadQuery();
  return n;
}

/** Fixed one-minute windows per source address. */
function createRateLimiter(max: number) {
  const seen = new Map<string, { start: number; count: number }>();
  return {
    allow(source: string, now: number): boolean {
      let w = seen.get(source);
      if (w === undefined || now - w.start >= RATE_WINDOW_MS) {
        if (seen.size > 10_000) {
          for (const [k, v] of seen) if (now - v.start >= RATE_WINDOW_MS) seen.delete(k);
        }
        w = { start: now, count: 0 };
        seen.set(source, w);
      }
      w.count++;
      return w.count <= max;
    },
  };
}
