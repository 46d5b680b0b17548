/**
 * `auth.provider: "bearer"`: check `Authorization: Bearer <token>` against the token store.
 *
 * The store is re-read whenever its size or modification time changes, so `haechi auth
 * revoke` takes effect on a running gateway at its next request, without a restart. Only
 * headers are looked at; the gateway calls this before it reads a body.
 *
 * @module
 */
import { fileStamp } from "../runtime/mod.ts";
import { type AuthHasher, isTokenShaped, readTokenStore, type StoredToken } from "./store.ts";

/** Who a valid token stands for. */
export interface BearerIdentity {
  /** The token's scope. */
  readonly scope: string;
  /** Keyed fingerprint (32 hex) of the token id, for audit records. */
  readonly identity: string;
  /** The token's labels. */
  readonly labels: Readonly<Record<string, string>>;
}

/** A bearer authenticator. */
export interface BearerAuth {
  /** The identity behind the request's token, or null (missing, unknown or revoked). */
  authenticate(headers: Headers): Promise<BearerIdentity | null>;
}

const BEARER_RE = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * Build a bearer authenticator over the store at `path`.
 *
 * @example
 * ```ts ignore
 * const auth = createBearerAuth(".haechi/auth.json", createAuthHasher(material.hmacKey));
 * const who = await auth.authenticate(request.headers);
 * ```
 */
export function createBearerAuth(path: string, hasher: AuthHasher): BearerAuth {
  let stamp: { size: number; mtimeMs: number } | null | undefined;
  let byHash = new Map<string, StoredToken>();
  let broken = false;

  async function current(): Promise<Map<string, StoredToken> | null> {
    let now: { size: number; mtimeMs: number } | null;
    try {
      now = await fileStamp(path);
    } catch {
      return null;
    }
    if (
      stamp !== undefined && !broken &&
      (now === null ? stamp === null : stamp !== null && now.size === stamp.size &&
        now.mtimeMs === stamp.mtimeMs)
    ) {
      return byHash;
    }
    try {
      const file = await readTokenStore(path);
      byHash = new Map(file.tokens.map((t) => [t.hash, t]));
      stamp = now;
      broken = false;
      return byHash;
    } catch {
      // A store that cannot be read lets nobody in, and is read again next time.
      broken = true;
      return null;
    }
  }

  return {
    async authenticate(headers) {
      const m = BEARER_RE.exec(headers.get("authorization") ?? "");
      if (m === null || !isTokenShaped(m[1])) return null;
      const tokens = await current();
      const entry = tokens?.get(hasher.tokenHash(m[1]));
      if (entry === undefined || entry.revokedAt !== null) return null;
      return { scope: entry.scope, identity: hasher.identity(entry.id), labels: entry.labels };
    },
  };
}
