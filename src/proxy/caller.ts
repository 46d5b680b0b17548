/**
 * Who is calling the gateway: the token scope of a request, and whether an authenticator
 * vouched for it. The second half decides what a reply may restore (docs/vault.md): any
 * caller gets back the tokens its own request minted, and only an authenticated caller
 * also gets the rest of its scope's tokens.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";

const FINGERPRINT = /^(?:[0-9a-f]{32}|[0-9a-f]{64})$/;

/** Who a caller is, as the gateway's authenticator says. */
export interface CallerIdentity {
  /** Stable subject; becomes the caller's token scope. */
  readonly subject: string;
  /**
   * Whether the authenticator established who the caller is (default true). Only then may a
   * reply restore tokens the caller's scope holds from earlier requests; otherwise just the
   * tokens its own request minted. An authenticator that lets a caller in without naming it
   * sets this to false.
   */
  readonly authenticated?: boolean;
  /**
   * Keyed fingerprint (32 or 64 lowercase hex) naming the caller in audit records and
   * rate-limit buckets; never a credential or the subject itself.
   */
  readonly identity?: string;
  /** Labels the credential carries (`team`, `env`, ...); they pick a policy profile. */
  readonly labels?: Readonly<Record<string, string>>;
}

/** A request's scope and whether it is vouched for. */
export interface Caller {
  /** Token scope. */
  readonly scope: string;
  /** True only when an authenticator named the caller. */
  readonly authenticated: boolean;
  /** Keyed fingerprint of the authenticated identity, or null. */
  readonly identity: string | null;
  /** The credential's labels; empty unless authenticated. */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * Resolve the caller of `req`. A scope named by the `scopeHeader` header is the caller's own
 * claim: it chooses where new tokens are issued but never unlocks tokens issued earlier.
 *
 * @param req The incoming request.
 * @param authenticate The gateway's authenticator, if one is configured.
 * @param scopeHeader `proxy.scopeHeader` ("" when unset).
 * @returns The caller.
 * @throws {HaechiError} `proxy.unauthorized` when the authenticator refuses the request.
 *
 * @example
 * ```ts
 * import { resolveCaller } from "./caller.ts";
 * const req = new Request("http://gw/", { headers: { "x-scope": "alice" } });
 * const c = await resolveCaller(req, undefined, "x-scope");
 * if (c.scope !== "alice" || c.authenticated) throw new Error("a header is only a claim");
 * ```
 */
export async function resolveCaller(
  req: Request,
  authenticate: ((request: Request) => Promise<CallerIdentity | null>) | undefined,
  scopeHeader: string,
): Promise<Caller> {
  if (authenticate !== undefined) {
    const who = await authenticate(req);
    if (who === null) {
      throw new HaechiError("proxy.unauthorized", "Missing or invalid gateway credentials");
    }
    return callerOf(who);
  }
  if (scopeHeader !== "") {
    return {
      scope: req.headers.get(scopeHeader)?.trim() || "default",
      authenticated: false,
      identity: null,
    };
  }
  return { scope: "default", authenticated: false, identity: null };
}

/**
 * The caller an authenticator's answer stands for (`null`: no authenticator).
 *
 * @example
 * ```ts
 * import { callerOf } from "./caller.ts";
 * if (callerOf({ subject: "a", identity: "x" }).identity !== null) throw new Error("not hex");
 * ```
 */
export function callerOf(who: CallerIdentity | null): Caller {
  if (who === null) return { scope: "default", authenticated: false, identity: null };
  const authenticated = who.authenticated !== false;
  const identity = authenticated && who.identity !== undefined && FINGERPRINT.test(who.identity)
    ? who.identity
    : null;
  return authenticated && who.labels !== undefined
    ? { scope: who.subject, authenticated, identity, labels: who.labels }
    : { scope: who.subject, authenticated, identity };
}
