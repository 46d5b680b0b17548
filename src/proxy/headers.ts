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
 * @module
 */

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
  const named = connectionTokens(incoming);
  const drop = new Set(policy.drop);
  const out = new Headers();
  for (const [name, value] of incoming) {
    if (HOP_BY_HOP.has(name) || named.has(name) || DROPPED_REQUEST.has(name)) continue;
    if (drop.has(name) || name.startsWith("x-haechi-") || name.startsWith("x-forwarded-")) continue;
    if (!policy.forwardCallerCredentials && CREDENTIAL_HEADERS.includes(name)) continue;
    out.append(name, value);
  }
  out.set("accept-encoding", "gzip, deflate");
  if (policy.upstreamAuth !== undefined) {
    out.set(policy.upstreamAuth.name, policy.upstreamAuth.value);
  }
  return out;
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
  const out = new Headers();
  for (const [name, value] of upstream) {
    if (RESPONSE_ALLOW.has(name) || RESPONSE_ALLOW_PREFIX.some((p) => name.startsWith(p))) {
      out.append(name, value);
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
