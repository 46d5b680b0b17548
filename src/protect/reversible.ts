/**
 * The reversible actions, `tokenize` and `encrypt`, as an interface. The token vault
 * implements it; protectors depend only on this shape.
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
