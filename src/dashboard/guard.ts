/**
 * A bearer-token session guard for a dashboard reachable off loopback: `/api/*` requests
 * must carry `Authorization: Bearer <token>`. The page picks the token up from its URL
 * fragment (which browsers never send to the server) and keeps it for the tab.
 *
 * @module
 */
import { sha256 } from "../crypto/mod.ts";
import { HaechiError } from "../errors.ts";
import type { SessionGuard } from "./options.ts";

/** Shortest token accepted: guessing must be hopeless. */
export const MIN_TOKEN_LENGTH = 32;

const encoder = new TextEncoder();

/**
 * A guard accepting exactly `token`. Comparison is over SHA-256 digests in constant time,
 * so response timing says nothing about how much of a guess was right.
 *
 * @throws {HaechiError} `usage.invalid` when the token is shorter than 32 characters.
 *
 * @example
 * ```ts
 * import { createTokenGuard } from "./guard.ts";
 * const g = createTokenGuard("x".repeat(32));
 * const ok = new Request("http://h/", { headers: { authorization: `Bearer ${"x".repeat(32)}` } });
 * if (!g.authenticate(ok) || g.authenticate(new Request("http://h/"))) throw new Error();
 * ```
 */
export function createTokenGuard(
  token: string,
): SessionGuard & { authenticate(r: Request): boolean } {
  const t = token.trim();
  if (t.length < MIN_TOKEN_LENGTH || /\s/.test(t)) {
    throw new HaechiError(
      "usage.invalid",
      `The dashboard token must be at least ${MIN_TOKEN_LENGTH} characters without spaces`,
    );
  }
  const expected = sha256(encoder.encode(t));
  return {
    authenticate(request) {
      const h = request.headers.get("authorization") ?? "";
      const m = /^Bearer ([^\s,]+)$/.exec(h);
      if (m === null) return false;
      const got = sha256(encoder.encode(m[1]));
      let diff = 0;
      for (let i = 0; i < expected.length; i++) diff |= expected[i] ^ got[i];
      return diff === 0;
    },
  };
}
