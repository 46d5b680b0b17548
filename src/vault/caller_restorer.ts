/**
 * Who may see the value behind a token in a reply: the restore rule for proxied traffic.
 *
 * A token restores for a caller when the caller's own traffic minted it (this request, or
 * this MCP session), or when the caller is authenticated and the token was issued to the
 * caller's own scope. Anything else (a token copied from another caller's transcript, a
 * token of the shared `default` scope that an anonymous caller merely mentions) stays a
 * token, so knowing a token is never enough to learn its value.
 *
 * See docs/vault.md, "Who gets a value back".
 *
 * @module
 */
import { TOKEN_PATTERN } from "./token.ts";
import { addRestoreCounts, emptyRestoreCounts } from "../protect/mod.ts";
import type { RestoreResult, TokenRestorer } from "./vault.ts";

/** What one caller may have restored. */
export interface RestoreGrant {
  /** Tokens the caller's own traffic minted (filled while that traffic is protected). */
  readonly minted: { has(token: string): boolean };
  /**
   * True when the caller is authenticated: an authenticator established who it is, so
   * every valid token of its scope is its own. Otherwise only `minted` tokens restore.
   */
  readonly wholeScope: boolean;
}

/**
 * Wrap `inner` (the vault) so it restores only what `grant` allows. A token outside the
 * grant is left in place and counted as `foreignScope` without being looked up, so the
 * answer says nothing about whether the token exists.
 *
 * @param inner The vault, or any restorer.
 * @param grant What the caller may see.
 * @returns A restorer for this caller.
 *
 * @example
 * ```ts
 * import { restorerFor } from "./caller_restorer.ts";
 * const mine = "[TOKEN:email:aaaaaaaaaaaaaaaaaaaa]";
 * const theirs = "[TOKEN:email:bbbbbbbbbbbbbbbbbbbb]";
 * const vault = { restoreTokens: (t: string) => Promise.resolve({ text: t.replace(/\[TOKEN:[^\]]+\]/g, "v"),
 *   counts: { restored: 1, foreignScope: 0, unknown: 0, expired: 0, corrupt: 0 } }) };
 * const r = await restorerFor(vault, { minted: new Set([mine]), wholeScope: false })
 *   .restoreTokens(`${mine} ${theirs}`, "default");
 * if (r.text !== `v ${theirs}` || r.counts.foreignScope !== 1) throw new Error(r.text);
 * ```
 */
export function restorerFor(inner: TokenRestorer, grant: RestoreGrant): TokenRestorer {
  if (grant.wholeScope) return inner;
  return {
    async restoreTokens(text: string, scope: string): Promise<RestoreResult> {
      const counts = emptyRestoreCounts();
      if (!text.includes("[TOKEN:")) return { text, counts };
      const found = [...text.matchAll(TOKEN_PATTERN)];
      // The usual reply only echoes the caller's own tokens: one vault pass does them all
      // (the vault reads tokens by the same TOKEN_PATTERN, so it sees no others).
      if (found.every((m) => grant.minted.has(m[0]))) {
        return await inner.restoreTokens(text, scope);
      }
      let out = "";
      let last = 0;
      for (const m of found) {
        if (!grant.minted.has(m[0])) {
          counts.foreignScope++;
          continue;
        }
        const r = await inner.restoreTokens(m[0], scope);
        addRestoreCounts(counts, r.counts);
        out += text.slice(last, m.index) + r.text;
        last = m.index + m[0].length;
      }
      return { text: last === 0 ? text : out + text.slice(last), counts };
    },
  };
}

/**
 * A set of minted tokens that keeps at most `limit` of them, forgetting the oldest first.
 * A long MCP session remembers its recent tokens in bounded memory; a forgotten token
 * simply stops restoring (it fails closed).
 */
export class MintedTokens {
  #tokens = new Set<string>();
  #limit: number;

  /** @param limit Most tokens kept (default 10,000). */
  constructor(limit = 10_000) {
    this.#limit = Math.max(1, limit);
  }

  /** Remember `token`. */
  add(token: string): this {
    this.#tokens.delete(token);
    this.#tokens.add(token);
    if (this.#tokens.size > this.#limit) {
      this.#tokens.delete(this.#tokens.values().next().value as string);
    }
    return this;
  }

  /** Whether `token` was minted (and not yet forgotten). */
  has(token: string): boolean {
    return this.#tokens.has(token);
  }

  /** How many tokens are remembered. */
  get size(): number {
    return this.#tokens.size;
  }
}
