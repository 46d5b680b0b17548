/**
 * A sample `authProvider` plugin: accepts `Authorization: Bearer <token>` when the token's
 * SHA-256 is in the list below, and denies everything else.
 *
 * The list lives in the plugin source on purpose: the signature binds the exact entry
 * bytes, so nobody can add a token without re-signing. To change it, replace the digests
 * (`printf %s "$TOKEN" | sha256sum`), then run `haechi plugin-sign` again.
 *
 * The plugin runs with no permissions; it uses only WebCrypto, which needs none.
 *
 * Sign it with capabilities `["readsCredentials"]`: it reads the authorization header and
 * nothing else.
 *
 * @module
 */

/** SHA-256 (hex) of each accepted token, with the subject it maps to. */
const ACCEPTED: Record<string, string> = {
  // "demo-token-please-rotate" — the demo token from docs/plugin-signing-and-trust.md.
  "58699cce082f52413bcc7b4aefe66c9f9748f652bd053ffabd5cdf9c292edca0": "demo-client",
};

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Compare two equal-length hex strings without an early exit. */
function sameHex(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/**
 * Decide one request from its headers.
 *
 * @param request What the gate hands over: `headers` (only the credential headers).
 * @returns `{allowed, subject?, reason?}`.
 */
export async function authenticate(
  request: { headers: Record<string, string> },
): Promise<{ allowed: boolean; subject?: string; reason?: string }> {
  const header = request.headers["authorization"] ?? "";
  const match = /^Bearer ([A-Za-z0-9._~+/=-]{8,512})$/.exec(header);
  if (match === null) return { allowed: false, reason: "missing-bearer" };
  const digest = await sha256Hex(match[1]);
  for (const [known, subject] of Object.entries(ACCEPTED)) {
    if (sameHex(digest, known)) return { allowed: true, subject };
  }
  return { allowed: false, reason: "invalid-token" };
}
