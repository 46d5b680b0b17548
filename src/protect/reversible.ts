/**
 * The reversible actions, `tokenize` and `encrypt`, and their reverse, restoring tokens, as
 * interfaces. The token vault implements them; protectors depend only on these shapes (and
 * on the token's text shape, which is how a reply tells a token from a secret).
 *
 * @module
 */

/** Who a token is issued to: tokens restore only for the same scope. */
export interface ReversibleContext {
  /** Finding type, e.g. `email`. */
  readonly type: string;
  /** Tenant, caller identity or session. */
  readonly scope: string;
}

/** Turns values into tokens or ciphertext the caller can later reverse. */
export interface ReversibleActions {
  /** Replace `value` with a token such as `[TOKEN:email:…]`. */
  tokenize(value: string, ctx: ReversibleContext): Promise<string>;
  /** Replace `value` with an `[ENC:…]` envelope. */
  encrypt(value: string, ctx: ReversibleContext): Promise<string>;
}

/** Matches one token; group 1 is the type, group 2 the id. Global: reset `lastIndex`. */
export const TOKEN_PATTERN = /\[TOKEN:([a-z0-9_]{1,40}):([a-z2-7]{20})\]/g;

/** How each token found by a restore was handled; counts occurrences. */
export interface RestoreCounts {
  /** Replaced by their value. */
  restored: number;
  /** Issued to another scope; left as is. */
  foreignScope: number;
  /** Never issued (or forged, or of another type); left as is. */
  unknown: number;
  /** Past their TTL; left as is. */
  expired: number;
  /** Stored but failing authentication (tampered or moved); left as is. */
  corrupt: number;
}

/** Counts with every kind at zero, to add restores into. */
export function emptyRestoreCounts(): RestoreCounts {
  return { restored: 0, foreignScope: 0, unknown: 0, expired: 0, corrupt: 0 };
}

/** Add every kind of `from` into `into`. */
export function addRestoreCounts(into: RestoreCounts, from: RestoreCounts): void {
  into.restored += from.restored;
  into.foreignScope += from.foreignScope;
  into.unknown += from.unknown;
  into.expired += from.expired;
  into.corrupt += from.corrupt;
}

/** The result of {@linkcode TokenRestorer.restoreTokens}. */
export interface RestoreResult {
  /** The text with this scope's valid tokens replaced. */
  readonly text: string;
  /** What happened to each token occurrence; refusals are for the caller to audit. */
  readonly counts: RestoreCounts;
}

/** Anything that can restore tokens: the vault, or a test double. */
export interface TokenRestorer {
  /** Replace tokens issued to `scope` in `text`. */
  restoreTokens(text: string, scope: string): Promise<RestoreResult>;
}
