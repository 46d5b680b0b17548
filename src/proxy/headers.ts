/**
 * Header policy for the gateway: what crosses from the caller to the upstream and back.
 *
 * Hop-by-hop headers (RFC 9110 §7.6.1: `Connection` and every header it names, plus
 * `Keep-Alive`, `Proxy-Connection`, `TE`, `Trailer`, `Transfer-Encoding`, `Upgrade`) are
 * meaningful only on one connection and never forwarded; neither are proxy credentials
 * (`Proxy-Authorization`, RFC 9110 §11.7.2), the caller's credentials (they authenticate
 * the caller to the gateway, not the gateway to the upstream), client-address headers
 * (personal data) or haechi's own headers. Responses go back through an allowlist.
 *
 * The gateway works on `[name, value]` lists rather than `Headers` objects: iterating a
 * `Headers` costs about 10 µs in Deno even for a handful of entries, and a `Headers` passed
 * to `new Request` or `new Response` is iterated again, whereas a list is read once.
 *
 * @module
 */
import type { HaechiConfig } from "../config/types.ts";
import { HaechiError } from "../errors.ts";

/** Hop-by-hop headers (RFC 9110 §7.6.1), lower case. */
export const HOP_BY_HOP: ReadonlySet<string> = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

/** Headers that carry a caller's credential in the supported APIs. */
export const CREDENTIAL_HEADERS: readonly string[] = [
  "authorization",
  "x-api-key",
  "x-goog-api-key",
  "api-key",
  "cookie",
];

/** Request headers dropped because the gateway rewrites the body or they identify the client. */
const DROPPED_REQUEST = new Set([
  "host",
  "content-length",
  "content-encoding",
  "accept-encoding",
  "expect",
  "forwarded",
  "x-real-ip",
  "origin",
  "referer",
]);

/** Response headers passed back to the caller (exact names). */
const RESPONSE_ALLOW = new Set([
  "retry-after",
  "x-request-id",
  "request-id",
  "openai-processing-ms",
  "openai-version",
  "cache-control",
]);
/** Response header prefixes passed back (rate-limit information). */
const RESPONSE_ALLOW_PREFIX = ["x-ratelimit-", "anthropic-ratelimit-", "ratelimit-"];

/** What {@linkcode forwardRequestHeaders} needs to know. */
export interface RequestHeaderPolicy {
  /** Forward the caller's credential headers (only when no gateway auth is in use). */
  readonly forwardCallerCredentials: boolean;
  /** Extra headers to drop (e.g. the configured scope header), lower case. */
  readonly drop: readonly string[];
  /** Upstream credential to set, from config and environment. */
  readonly upstreamAuth?: { readonly name: string; readonly value: string };
}

/**
 * The headers to send upstream for a caller's request.
 *
 * @param incoming The caller's headers.
 * @param policy What to drop and what credential to set.
 * @returns New headers; `incoming` is not changed.
 *
 * @example
 * ```ts
 * import { forwardRequestHeaders } from "./headers.ts";
 * const h = forwardRequestHeaders(
 *   new Headers({ connection: "x-trace", "x-trace": "1", authorization: "Bearer gw", "x-keep": "k" }),
 *   { forwardCallerCredentials: false, drop: [] },
 * );
 * if (h.has("x-trace") || h.has("authorization") || h.get("x-keep") !== "k") throw new Error();
 * ```
 */
export function forwardRequestHeaders(incoming: Headers, policy: RequestHeaderPolicy): Headers {
  return new Headers(forwardRequestHeaderList(incoming, policy));
}

/**
 * {@linkcode forwardRequestHeaders} as a `[name, value]` list (lower-case names), to pass
 * straight to `new Request`.
 *
 * @param incoming The caller's headers.
 * @param policy What to drop and what credential to set.
 * @returns A new list; `incoming` is not changed.
 *
 * @example
 * ```ts
 * import { forwardRequestHeaderList } from "./headers.ts";
 * const list = forwardRequestHeaderList(new Headers({ te: "trailers", "x-keep": "k" }), {
 *   forwardCallerCredentials: false, drop: [] });
 * if (list.some(([n]) => n === "te") || !list.some(([n]) => n === "x-keep")) throw new Error();
 * ```
 */
export function forwardRequestHeaderList(
  incoming: Headers,
  policy: RequestHeaderPolicy,
): [string, string][] {
  const named = connectionTokens(incoming);
  const drop = policy.drop;
  const auth = policy.upstreamAuth?.name;
  const out: [string, string][] = [];
  for (const [name, value] of incoming) {
    if (HOP_BY_HOP.has(name) || named.has(name) || DROPPED_REQUEST.has(name)) continue;
    if (drop.includes(name) || name.startsWith("x-haechi-") || name.startsWith("x-forwarded-")) {
      continue;
    }
    if (!policy.forwardCallerCredentials && CREDENTIAL_HEADERS.includes(name)) continue;
    // Set below, replacing whatever the caller sent.
    if (name === auth) continue;
    out.push([name, value]);
  }
  // Identity: Deno's fetch decodes gzip and br itself yet keeps `Content-Encoding`, and an
  // injected fetch may not decode at all, so a compressed body would be unclear to read.
  // Asking for identity makes fetch hand over the bytes as sent; an upstream that
  // compresses anyway is decoded once, by the gateway, under the size cap.
  out.push(["accept-encoding", "identity"]);
  if (policy.upstreamAuth !== undefined) {
    out.push([policy.upstreamAuth.name, policy.upstreamAuth.value]);
  }
  return out;
}

/**
 * Set `name` (lower case) in a header list, replacing any earlier values, as
 * `Headers.set` does.
 *
 * @param list The list, changed in place.
 * @param name Lower-case header name.
 * @param value Its value.
 *
 * @example
 * ```ts
 * import { setHeader } from "./headers.ts";
 * const list: [string, string][] = [["content-type", "text/plain"], ["x-a", "1"]];
 * setHeader(list, "content-type", "application/json");
 * if (list.length !== 2 || list[1][1] !== "application/json") throw new Error();
 * ```
 */
export function setHeader(list: [string, string][], name: string, value: string): void {
  for (let i = list.length - 1; i >= 0; i--) {
    if (list[i][0] === name) list.splice(i, 1);
  }
  list.push([name, value]);
}

/**
 * The upstream response headers a caller may see, before the gateway adds its own.
 *
 * @param upstream The upstream's response headers.
 * @returns An allowlisted copy (no `set-cookie`, `server`, length or encoding).
 *
 * @example
 * ```ts
 * import { sanitizeResponseHeaders } from "./headers.ts";
 * const h = sanitizeResponseHeaders(new Headers({ "set-cookie": "a=b", "x-ratelimit-limit-requests": "9" }));
 * if (h.has("set-cookie") || h.get("x-ratelimit-limit-requests") !== "9") throw new Error();
 * ```
 */
export function sanitizeResponseHeaders(upstream: Headers): Headers {
  return new Headers(sanitizeResponseHeaderList(upstream));
}

/**
 * {@linkcode sanitizeResponseHeaders} as a `[name, value]` list (lower-case names).
 *
 * @param upstream The upstream's response headers.
 * @returns The allowlisted entries.
 *
 * @example
 * ```ts
 * import { sanitizeResponseHeaderList } from "./headers.ts";
 * const list = sanitizeResponseHeaderList(new Headers({ server: "x", "retry-after": "2" }));
 * if (list.length !== 1 || list[0][0] !== "retry-after") throw new Error();
 * ```
 */
export function sanitizeResponseHeaderList(upstream: Headers): [string, string][] {
  const out: [string, string][] = [];
  for (const [name, value] of upstream) {
    if (RESPONSE_ALLOW.has(name) || RESPONSE_ALLOW_PREFIX.some((p) => name.startsWith(p))) {
      out.push([name, value]);
    }
  }
  return out;
}

/** Header names listed in `Connection` (RFC 9110 §7.6.1), lower case. */
function connectionTokens(headers: Headers): Set<string> {
  const value = headers.get("connection");
  const out = new Set<string>();
  if (value === null) return out;
  for (const t of value.split(",")) {
    const name = t.trim().toLowerCase();
    if (name !== "") out.add(name);
  }
  return out;
}

/**
 * The request header policy for `config.proxy`, checked once when the gateway is built.
 *
 * @param config Validated config.
 * @param options The environment (for `proxy.upstreamAuthEnv`) and whether gateway
 *   authentication is in use (then caller credentials are never forwarded).
 * @returns The policy for {@linkcode forwardRequestHeaders}.
 * @throws {HaechiError} `config.invalid` for a half-configured or missing upstream credential.
 *
 * @example
 * ```ts
 * import { buildHeaderPolicy } from "./headers.ts";
 * import { DEFAULT_CONFIG } from "../config/defaults.ts";
 * const policy = buildHeaderPolicy(DEFAULT_CONFIG, { authenticated: true });
 * if (policy.forwardCallerCredentials) throw new Error();
 * ```
 */
export function buildHeaderPolicy(
  config: HaechiConfig,
  options: { readonly env?: Readonly<Record<string, string>>; readonly authenticated: boolean },
): RequestHeaderPolicy {
  const p = config.proxy;
  let upstreamAuth: RequestHeaderPolicy["upstreamAuth"];
  if (p.upstreamAuthHeader !== "" || p.upstreamAuthEnv !== "") {
    if (p.upstreamAuthHeader === "" || p.upstreamAuthEnv === "") {
      throw new HaechiError(
        "config.invalid",
        "proxy.upstreamAuthHeader and proxy.upstreamAuthEnv must be set together",
      );
    }
    const value = options.env?.[p.upstreamAuthEnv];
    if (value === undefined || value === "") {
      throw new HaechiError(
        "config.invalid",
        `Environment variable ${p.upstreamAuthEnv} (proxy.upstreamAuthEnv) is not set`,
      );
    }
    upstreamAuth = { name: p.upstreamAuthHeader.toLowerCase(), value };
  }
  return {
    forwardCallerCredentials: p.forwardCallerCredentials && !options.authenticated,
    drop: p.scopeHeader === "" ? [] : [p.scopeHeader.toLowerCase()],
    upstreamAuth,
  };
}
