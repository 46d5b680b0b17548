/**
 * Header policy for the gateway: what crosses from the caller to the upstream and back.
 *
 * Request headers pass a forward list: content negotiation and the providers' version,
 * beta and organization headers ({@linkcode FORWARD_REQUEST_HEADERS}), plus the names an
 * operator adds in `proxy.forwardHeaders`. Everything else is dropped, so a header a client
 * invents (`x-user-email`, `x-debug`) never reaches the upstream. The values of forwarded
 * headers are scanned like the body before they leave (the gateway does that). The caller's
 * credential headers are forwarded, unscanned, only with `proxy.forwardCallerCredentials`
 * and never with gateway auth; the upstream credential comes from config.
 *
 * Some names can never be forwarded, whatever the config says: hop-by-hop headers (RFC 9110
 * §7.6.1: `Connection` and every header it names, plus `Keep-Alive`, `Proxy-Connection`,
 * `TE`, `Trailer`, `Transfer-Encoding`, `Upgrade`), proxy credentials (`Proxy-Authorization`,
 * RFC 9110 §11.7.2), cookies, client-address headers (personal data), headers the gateway
 * sets itself and haechi's own. Responses go back through an allowlist.
 *
 * The gateway works on `[name, value]` lists rather than `Headers` objects: iterating a
 * `Headers` costs about 10 µs in Deno even for a handful of entries, and a `Headers` passed
 * to `new Request` or `new Response` is iterated again, whereas a list is read once.
 *
 * @module
 */
import type { HaechiConfig } from "../config/mod.ts";
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
];

/** Request headers forwarded (their values scanned) without any configuration. */
export const FORWARD_REQUEST_HEADERS: readonly string[] = [
  "accept",
  "accept-language",
  "user-agent",
  "content-type",
  "anthropic-version",
  "anthropic-beta",
  "openai-organization",
  "openai-project",
  "openai-beta",
];

/**
 * Request headers never forwarded, even when listed in `proxy.forwardHeaders`: cookies,
 * the ones the gateway sets or that describe the caller's connection, and client addresses.
 */
const NEVER_FORWARD: ReadonlySet<string> = new Set([
  "cookie",
  "host",
  "content-length",
  "content-encoding",
  "accept-encoding",
  "expect",
  "origin",
  "referer",
  "forwarded",
  "via",
  "x-real-ip",
  "x-client-ip",
  "true-client-ip",
  "cf-connecting-ip",
  "fastly-client-ip",
  "x-cluster-client-ip",
]);
const NEVER_FORWARD_PREFIX = ["x-forwarded-", "x-haechi-"];

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
  /**
   * Caller headers forwarded with scanned values (default
   * {@linkcode FORWARD_REQUEST_HEADERS}); the config's `proxy.forwardHeaders` adds to it.
   */
  readonly forward?: ReadonlySet<string>;
}

/** The caller's headers that may leave, split by whether their values are scanned. */
export interface SelectedRequestHeaders {
  /** Forward-listed caller headers; the gateway scans (and may rewrite) their values. */
  readonly scanned: [string, string][];
  /** Credentials (the caller's when allowed, then the upstream's) and `accept-encoding`. */
  readonly fixed: [string, string][];
}

const DEFAULT_FORWARD: ReadonlySet<string> = new Set(FORWARD_REQUEST_HEADERS);

/** Whether `name` (lower case) can never be forwarded upstream. */
export function neverForwarded(name: string): boolean {
  return HOP_BY_HOP.has(name) || NEVER_FORWARD.has(name) ||
    NEVER_FORWARD_PREFIX.some((p) => name.startsWith(p));
}

/**
 * The headers to send upstream for a caller's request.
 *
 * @param incoming The caller's headers.
 * @param policy What to forward, what to drop and what credential to set.
 * @returns New headers; `incoming` is not changed.
 *
 * @example
 * ```ts
 * import { forwardRequestHeaders } from "./headers.ts";
 * const h = forwardRequestHeaders(
 *   new Headers({ authorization: "Bearer gw", "x-debug": "1", accept: "application/json" }),
 *   { forwardCallerCredentials: false, drop: [] },
 * );
 * if (h.has("x-debug") || h.has("authorization") || h.get("accept") !== "application/json") {
 *   throw new Error();
 * }
 * ```
 */
export function forwardRequestHeaders(incoming: Headers, policy: RequestHeaderPolicy): Headers {
  return new Headers(forwardRequestHeaderList(incoming, policy));
}

/**
 * {@linkcode forwardRequestHeaders} as a `[name, value]` list (lower-case names), to pass
 * straight to `new Request`. Values are as the caller sent them; the gateway itself uses
 * {@linkcode selectRequestHeaders} and scans the forwarded values first.
 *
 * @param incoming The caller's headers.
 * @param policy What to forward, what to drop and what credential to set.
 * @returns A new list; `incoming` is not changed.
 *
 * @example
 * ```ts
 * import { forwardRequestHeaderList } from "./headers.ts";
 * const list = forwardRequestHeaderList(new Headers({ te: "trailers", "user-agent": "k" }), {
 *   forwardCallerCredentials: false, drop: [] });
 * if (list.some(([n]) => n === "te") || !list.some(([n]) => n === "user-agent")) throw new Error();
 * ```
 */
export function forwardRequestHeaderList(
  incoming: Headers,
  policy: RequestHeaderPolicy,
): [string, string][] {
  const { scanned, fixed } = selectRequestHeaders(incoming, policy);
  return [...scanned, ...fixed];
}

/**
 * Pick the caller's headers that may leave: forward-listed ones (to be scanned) and the
 * credentials and fixed headers (not scanned).
 *
 * @param incoming The caller's headers.
 * @param policy What to forward, what to drop and what credential to set.
 * @returns The two lists; `incoming` is not changed.
 *
 * @example
 * ```ts
 * import { selectRequestHeaders } from "./headers.ts";
 * const h = selectRequestHeaders(
 *   new Headers({ "x-api-key": "k", "x-user-email": "a@b.example", accept: "*\/*" }),
 *   { forwardCallerCredentials: true, drop: [] },
 * );
 * if (h.scanned.length !== 1 || h.fixed[0][0] !== "x-api-key") throw new Error();
 * ```
 */
export function selectRequestHeaders(
  incoming: Headers,
  policy: RequestHeaderPolicy,
): SelectedRequestHeaders {
  const named = connectionTokens(incoming);
  const forward = policy.forward ?? DEFAULT_FORWARD;
  const drop = policy.drop;
  const auth = policy.upstreamAuth?.name;
  const scanned: [string, string][] = [];
  const fixed: [string, string][] = [];
  for (const [name, value] of incoming) {
    // Set below, replacing whatever the caller sent.
    if (name === auth || named.has(name) || drop.includes(name)) continue;
    if (CREDENTIAL_HEADERS.includes(name)) {
      if (policy.forwardCallerCredentials) fixed.push([name, value]);
    } else if (forward.has(name) && !neverForwarded(name)) {
      scanned.push([name, value]);
    }
  }
  // Identity: Deno's fetch decodes gzip and br itself yet keeps `Content-Encoding`, and an
  // injected fetch may not decode at all, so a compressed body would be unclear to read.
  // Asking for identity makes fetch hand over the bytes as sent; an upstream that
  // compresses anyway is decoded once, by the gateway, under the size cap.
  fixed.push(["accept-encoding", "identity"]);
  if (policy.upstreamAuth !== undefined) {
    fixed.push([policy.upstreamAuth.name, policy.upstreamAuth.value]);
  }
  return { scanned, fixed };
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
  const forward = new Set(FORWARD_REQUEST_HEADERS);
  for (const raw of p.forwardHeaders) {
    const name = raw.trim().toLowerCase();
    if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name)) {
      throw new HaechiError("config.invalid", "proxy.forwardHeaders holds an invalid header name");
    }
    if (neverForwarded(name) || CREDENTIAL_HEADERS.includes(name)) {
      throw new HaechiError(
        "config.invalid",
        `proxy.forwardHeaders cannot forward "${name}": credentials, cookies, hop-by-hop and ` +
          "client-address headers are never forwarded (caller credentials: " +
          "proxy.forwardCallerCredentials)",
      );
    }
    forward.add(name);
  }
  return {
    forwardCallerCredentials: p.forwardCallerCredentials && !options.authenticated,
    drop: p.scopeHeader === "" ? [] : [p.scopeHeader.toLowerCase()],
    upstreamAuth,
    forward,
  };
}
