/**
 * The token shape, `[TOKEN:<type>:<id>]`, and the checks around it.
 *
 * The type is 1-40 characters of `[a-z0-9_]` (finding types); the id is 20 characters of
 * lowercase base32 drawn at random (100 bits). Ids are random rather than derived from the
 * value so a token says nothing about its value even to someone holding the HMAC key, and
 * guessing one that exists is a 2^-100 shot per try. Restoring always goes through the
 * vault, so a well-formed token that was never issued is left as it is.
 *
 * @module
 */

import { TOKEN_PATTERN } from "../protect/mod.ts";

// The pattern belongs to the reversible-actions contract (protect/ reads tokens in replies).
export { TOKEN_PATTERN };

/** Longest possible token text: `[TOKEN:` + 40 + `:` + 20 + `]`. */
export const MAX_TOKEN_LENGTH = 7 + 40 + 1 + 20 + 1;

const TYPE = /^[a-z0-9_]{1,40}$/;
const WHOLE = /^\[TOKEN:([a-z0-9_]{1,40}):([a-z2-7]{20})\]$/;
// Any proper prefix of a token: what a stream must hold back at a chunk's end.
const PREFIX = /^\[(?:T(?:O(?:K(?:E(?:N(?::(?:[a-z0-9_]{1,40}(?::[a-z2-7]{0,20})?)?)?)?)?)?)?)?$/;

/** A token split into its parts. */
export interface ParsedToken {
  /** Finding type. */
  readonly type: string;
  /** Random id, the vault's primary key. */
  readonly id: string;
}

/**
 * Whether `type` can appear in a token.
 *
 * @example
 * ```ts
 * import { isTokenType } from "./token.ts";
 * if (!isTokenType("ip_address") || isTokenType("Email")) throw new Error("type shape");
 * ```
 */
export function isTokenType(type: string): boolean {
  return TYPE.test(type);
}

/**
 * Format a token.
 *
 * @example
 * ```ts
 * import { formatToken } from "./token.ts";
 * if (formatToken("email", "a".repeat(20)) !== `[TOKEN:email:${"a".repeat(20)}]`) {
 *   throw new Error("format");
 * }
 * ```
 */
export function formatToken(type: string, id: string): string {
  return `[TOKEN:${type}:${id}]`;
}

/**
 * Parse a whole token, or return null when `text` is not exactly one token.
 *
 * @example
 * ```ts
 * import { parseToken } from "./token.ts";
 * if (parseToken(`[TOKEN:email:${"b".repeat(20)}]`)?.type !== "email") throw new Error("parse");
 * if (parseToken("[TOKEN:email:short]") !== null) throw new Error("shape is strict");
 * ```
 */
export function parseToken(text: string): ParsedToken | null {
  const m = WHOLE.exec(text);
  return m === null ? null : { type: m[1], id: m[2] };
}

/**
 * Whether `text` could still grow into a token: it starts with `[` and every character
 * so far fits the token shape, but the closing `]` has not arrived.
 *
 * @example
 * ```ts
 * import { isTokenPrefix } from "./token.ts";
 * if (!isTokenPrefix("[TOKEN:em")) throw new Error("a prefix");
 * if (isTokenPrefix("[TOKEX")) throw new Error("not a prefix");
 * ```
 */
export function isTokenPrefix(text: string): boolean {
  return text.length < MAX_TOKEN_LENGTH && PREFIX.test(text);
}
