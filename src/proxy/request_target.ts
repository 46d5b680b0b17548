/**
 * Everything of a request outside its body that may reach the upstream: the path, the
 * query and the forwarded headers.
 *
 * The path is forwarded segment by segment (a route needs its path), each segment decoded
 * and scanned; one that holds a value is replaced by its protected form. Query parameters
 * pass a forward list ({@linkcode FORWARD_QUERY} plus `proxy.forwardQuery`); the rest are
 * dropped and the query is re-serialized from what was scanned. Header selection lives in
 * `headers.ts`; the forwarded values are scanned here, together with the path and query,
 * in one protector call so they share the body's policy, scope and audit record.
 *
 * @module
 */
import type { HaechiConfig } from "../config/mod.ts";
import { HaechiError } from "../errors.ts";
import type { AppliedFinding, Protector } from "../protect/mod.ts";

/**
 * Query parameters forwarded (values scanned) without configuration: Gemini's `alt`
 * (`alt=sse` selects its stream framing), Azure OpenAI's `api-version` and Anthropic's
 * `beta`. The caller's `key` (Gemini's API key) is a credential: forwarded, unscanned, only
 * with `proxy.forwardCallerCredentials`.
 */
export const FORWARD_QUERY: readonly string[] = ["alt", "api-version", "beta"];

/** The query parameter that carries a caller's credential (Gemini). */
const CREDENTIAL_QUERY = "key";

/** Which query parameters may leave. */
export interface QueryPolicy {
  /** Parameters forwarded with scanned values. */
  readonly forward: ReadonlySet<string>;
  /** Forward the caller's `key` parameter (only without gateway auth). */
  readonly forwardCallerCredentials: boolean;
}

/**
 * The query policy for `config.proxy`, checked once when the gateway is built.
 *
 * @param config Validated config.
 * @param authenticated Whether gateway authentication is in use.
 * @returns The policy.
 * @throws {HaechiError} `config.invalid` when `proxy.forwardQuery` names the credential.
 *
 * @example
 * ```ts
 * import { buildQueryPolicy } from "./request_target.ts";
 * import { DEFAULT_CONFIG } from "../config/defaults.ts";
 * if (!buildQueryPolicy(DEFAULT_CONFIG, false).forward.has("alt")) throw new Error();
 * ```
 */
export function buildQueryPolicy(config: HaechiConfig, authenticated: boolean): QueryPolicy {
  const forward = new Set(FORWARD_QUERY);
  for (const name of config.proxy.forwardQuery) {
    if (name === "" || name === CREDENTIAL_QUERY) {
      throw new HaechiError(
        "config.invalid",
        `proxy.forwardQuery cannot list "${name}" (the caller's key: proxy.forwardCallerCredentials)`,
      );
    }
    forward.add(name);
  }
  return {
    forward,
    forwardCallerCredentials: config.proxy.forwardCallerCredentials && !authenticated,
  };
}

/** The parts of a request outside its body that may leave, before protection. */
export interface RequestParts {
  /** Path segments as the caller sent them (percent-encoded), without the leading `/`. */
  readonly rawSegments: readonly string[];
  /** The same segments decoded: what is scanned. */
  readonly segments: string[];
  /** Forward-listed query parameters in order, decoded: scanned. */
  readonly query: [string, string][];
  /** The caller's credential parameter, when it may be forwarded: not scanned. */
  readonly credential?: string;
  /** Forward-listed caller headers: scanned. */
  readonly headers: [string, string][];
}

/**
 * Split the caller's URL into path segments and the forward-listed query.
 *
 * @param url The caller's request URL.
 * @param headers The forward-listed caller headers (kept, to be scanned with the rest).
 * @param policy Which query parameters may leave.
 * @returns The parts.
 * @throws {HaechiError} `input.invalid_utf8` for a path segment that is not valid
 *   percent-encoded UTF-8 (it could not be scanned as the upstream would read it).
 *
 * @example
 * ```ts
 * import { requestParts } from "./request_target.ts";
 * const p = requestParts(new URL("http://gw/v1/x%40y?alt=sse&user=z"), [], {
 *   forward: new Set(["alt"]), forwardCallerCredentials: false });
 * if (p.segments[1] !== "x@y" || p.query.length !== 1) throw new Error();
 * ```
 */
export function requestParts(
  url: URL,
  headers: [string, string][],
  policy: QueryPolicy,
): RequestParts {
  const rawSegments = url.pathname.slice(1).split("/");
  const segments = rawSegments.map(decodeSegment);
  const query: [string, string][] = [];
  let credential: string | undefined;
  if (url.search !== "") {
    for (const [name, value] of url.searchParams) {
      if (name === CREDENTIAL_QUERY) {
        if (policy.forwardCallerCredentials) credential = value;
      } else if (policy.forward.has(name)) {
        query.push([name, value]);
      }
    }
  }
  return { rawSegments, segments, query, credential, headers };
}

function decodeSegment(raw: string): string {
  if (!raw.includes("%")) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new HaechiError(
      "input.invalid_utf8",
      "The request path is not valid percent-encoded UTF-8",
    );
  }
}

/** What protecting the parts found; the parts are rewritten in place in enforce mode. */
export interface PartsOutcome {
  /** Findings, with paths rooted at `$header`, `$query` or `$path`. */
  readonly findings: readonly AppliedFinding[];
  /** True when a finding's action is `block` (enforce mode). */
  readonly blocked: boolean;
}

/**
 * Scan (and in enforce mode rewrite) the path segments, query values and header values.
 *
 * @param protector The request-direction protector.
 * @param parts The parts; their `segments`, `query` and `headers` values change in place.
 * @param scope The caller's token scope.
 * @param issued Receives the tokens minted here, so the reply may restore them.
 * @returns Findings and whether the policy blocks the request.
 */
export async function protectRequestParts(
  protector: Protector,
  parts: RequestParts,
  scope: string,
  issued?: { add(token: string): unknown },
): Promise<PartsOutcome> {
  // A segment is scanned piece by piece around `:` (Gemini's `{model}:{method}`: an address
  // right before `:word` reads as a login, `git@host:repo`, not as an email), then whole
  // (a value that itself holds `:`, an IPv6 address).
  const value = {
    path: parts.segments.map((s) => s.split(":")),
    query: parts.query.map(([, v]) => v),
    header: parts.headers.map(([, v]) => v),
  };
  const r = await protector.protectJson(value, { scope, issued });
  const enforce = protector.policy.enforcing && !r.blocked;
  const findings = r.findings.map((f) => ({ ...f, path: relabel(f.path, parts) }));
  let blocked = r.blocked;
  for (let i = 0; i < parts.segments.length; i++) {
    if (enforce) parts.segments[i] = value.path[i].join(":");
    if (value.path[i].length === 1) continue;
    const whole = await protector.protectText(parts.segments[i], { scope, issued });
    for (const f of whole.findings) findings.push({ ...f, path: `$path[${i}]` });
    blocked ||= whole.blocked;
    if (enforce && whole.output !== null) parts.segments[i] = whole.output;
  }
  if (findings.length === 0) return { findings, blocked: false };
  if (blocked || !protector.policy.enforcing) return { findings, blocked };
  value.query.forEach((v, i) => parts.query[i][1] = v);
  value.header.forEach((v, i) => parts.headers[i][1] = v);
  return { findings, blocked: false };
}

/** Values longer than this are not remembered as clean. */
const CLEAN_MAX_LENGTH = 512;
/** Clean values remembered before the memory starts over. */
const CLEAN_MAX_ENTRIES = 2048;

/**
 * {@linkcode protectRequestParts} that remembers values it found clean. Path segments and
 * header values repeat on every request (`completions`, `application/json`, one client's
 * `user-agent`), and the scan of a value under one policy always gives the same answer, so
 * a request whose every value was clean before skips the protector. Only values with no
 * finding are kept, at most {@linkcode CLEAN_MAX_ENTRIES} of up to
 * {@linkcode CLEAN_MAX_LENGTH} characters.
 *
 * @param protector The request-direction protector.
 * @returns The protecting function, with the protector's arguments minus the first.
 */
export function createPartsProtector(
  protector: Protector,
): (
  parts: RequestParts,
  scope: string,
  issued?: { add(token: string): unknown },
) => Promise<PartsOutcome> {
  const clean = new Set<string>();
  return async (parts, scope, issued) => {
    const values = [
      ...parts.segments,
      ...parts.query.map(([, v]) => v),
      ...parts.headers.map(([, v]) => v),
    ];
    if (values.every((v) => clean.has(v))) return { findings: [], blocked: false };
    const r = await protectRequestParts(protector, parts, scope, issued);
    if (r.findings.length === 0) {
      if (clean.size > CLEAN_MAX_ENTRIES) clean.clear();
      for (const v of values) if (v.length <= CLEAN_MAX_LENGTH) clean.add(v);
    }
    return r;
  };
}

/** `$.query[1]` → `$query["user"]`, `$.header[0]` → `$header["x-a"]`, `$.path[2][0]` → `$path[2]`. */
function relabel(path: string, parts: RequestParts): string {
  const m = /^\$\.(path|query|header)\[(\d+)\]/.exec(path);
  if (m === null) return "$request";
  const i = Number(m[2]);
  if (m[1] === "path") return `$path[${i}]`;
  const name = (m[1] === "query" ? parts.query : parts.headers)[i][0];
  return `$${m[1]}[${JSON.stringify(name)}]`;
}

/**
 * The upstream URL: the upstream base, the caller's path (segments that were rewritten are
 * re-encoded) and the query re-serialized from the forwarded parameters.
 *
 * @param upstream The upstream base URL.
 * @param basePath Its path without a trailing `/`.
 * @param parts The (protected) parts.
 * @returns The target URL.
 *
 * @example
 * ```ts
 * import { requestParts, upstreamTarget } from "./request_target.ts";
 * const parts = requestParts(new URL("http://gw/v1/m:go?alt=sse&x=1"), [], {
 *   forward: new Set(["alt"]), forwardCallerCredentials: false });
 * const t = upstreamTarget(new URL("http://up.test/base"), "/base", parts);
 * if (t.href !== "http://up.test/base/v1/m:go?alt=sse") throw new Error(t.href);
 * ```
 */
export function upstreamTarget(upstream: URL, basePath: string, parts: RequestParts): URL {
  const target = new URL(upstream.href);
  let path = "";
  for (let i = 0; i < parts.rawSegments.length; i++) {
    const raw = parts.rawSegments[i];
    const now = parts.segments[i];
    path += "/" + (now === decodeSegment(raw) ? raw : encodeSegment(now));
  }
  target.pathname = basePath + path;
  if (parts.query.length === 0 && parts.credential === undefined) {
    target.search = "";
    return target;
  }
  const q = new URLSearchParams(parts.query);
  if (parts.credential !== undefined) q.append(CREDENTIAL_QUERY, parts.credential);
  target.search = q.toString();
  return target;
}

/** Percent-encode a rewritten segment, keeping `:` (Gemini's `model:method`) readable. */
function encodeSegment(s: string): string {
  return encodeURIComponent(s).replaceAll("%3A", ":");
}
