/**
 * Keep haechi's own tokens and envelopes intact while a message is protected again.
 *
 * A model often copies a `[TOKEN:…]` it was given into a tool call; protecting that call
 * must not treat the token as a fresh secret, or the value behind it is lost. Before the
 * protector runs, each token or envelope in a string is swapped for a placeholder made of
 * private-use characters only (nothing a detector matches, no digits to join a number),
 * and swapped back afterwards. A string that already holds the placeholder marker is left
 * as it is, so input cannot forge a placeholder.
 *
 * @module
 */
import { TOKEN_PATTERN } from "../vault/token.ts";
import { ENVELOPE_PATTERN } from "../vault/envelope.ts";

const OPEN = "\uE000";
const CLOSE = "\uE001";
const DIGIT0 = 0xE010;
const PLACEHOLDER = /\uE000([\uE010-\uE019]+)\uE001/g;
const PROTECTED = new RegExp(`${TOKEN_PATTERN.source}|${ENVELOPE_PATTERN.source}`, "g");
const MAX_DEPTH = 128;

/** A shielded copy and the tokens taken out of it. */
export interface Shielded {
  /** The value with tokens replaced (the same value when there was nothing to shield). */
  readonly value: unknown;
  /** Tokens in placeholder order. */
  readonly tokens: readonly string[];
}

/**
 * Swap tokens and envelopes in every string of `value` for placeholders.
 *
 * @example
 * ```ts
 * import { shieldTokens, unshieldTokens } from "./token_shield.ts";
 * const s = shieldTokens({ q: "to [TOKEN:email:abcdefghijklmnopqrst]" });
 * if (JSON.stringify(s.value).includes("TOKEN")) throw new Error("shielded");
 * const back = unshieldTokens(s.value, s.tokens) as { q: string };
 * if (back.q !== "to [TOKEN:email:abcdefghijklmnopqrst]") throw new Error(back.q);
 * ```
 */
export function shieldTokens(value: unknown): Shielded {
  const tokens: string[] = [];
  const placeholder = (token: string) => {
    const n = String(tokens.push(token) - 1);
    let digits = "";
    for (const d of n) digits += String.fromCharCode(DIGIT0 + Number(d));
    return OPEN + digits + CLOSE;
  };
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === "string") {
      if (!v.includes("[TOKEN:") && !v.includes("[ENC:")) return v;
      if (v.includes(OPEN)) return v;
      return v.replace(PROTECTED, placeholder);
    }
    if (depth >= MAX_DEPTH || typeof v !== "object" || v === null) return v;
    if (Array.isArray(v)) return v.map((item) => walk(item, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(v)) out[k] = walk(item, depth + 1);
    return out;
  };
  const shielded = walk(value, 0);
  return tokens.length === 0 ? { value, tokens } : { value: shielded, tokens };
}

/**
 * Put the tokens taken by {@linkcode shieldTokens} back (in place for objects).
 *
 * @example
 * ```ts
 * import { unshieldTokens } from "./token_shield.ts";
 * if (unshieldTokens("plain", []) !== "plain") throw new Error("nothing to do");
 * ```
 */
export function unshieldTokens(value: unknown, tokens: readonly string[]): unknown {
  if (tokens.length === 0) return value;
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === "string") {
      if (!v.includes(OPEN)) return v;
      return v.replace(PLACEHOLDER, (whole, digits: string) => {
        let n = 0;
        for (const c of digits) n = n * 10 + (c.charCodeAt(0) - DIGIT0);
        return tokens[n] ?? whole;
      });
    }
    if (depth >= MAX_DEPTH || typeof v !== "object" || v === null) return v;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) v[i] = walk(v[i], depth + 1);
      return v;
    }
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) o[k] = walk(o[k], depth + 1);
    return o;
  };
  return walk(value, 0);
}
