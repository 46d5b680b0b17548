/**
 * Byte and text encodings the vault shares: base32 token ids, base64 and base64url, and
 * the length-prefixed framing used for HMAC input and AES-GCM additional data.
 *
 * @module
 */
export { toBase64, toHex } from "../crypto/mod.ts";

const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";
const B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const B64URL_INDEX = new Map<string, number>([...B64URL].map((c, i) => [c, i]));
const encoder = new TextEncoder();

/**
 * Lowercase RFC 4648 base32 without padding, matching the `[a-z2-7]` id alphabet.
 *
 * @example
 * ```ts
 * import { base32 } from "./_codec.ts";
 * if (base32(new Uint8Array([0xff])) !== "74") throw new Error("base32");
 * ```
 */
export function base32(bytes: Uint8Array): string {
  let out = "";
  let bits = 0;
  let acc = 0;
  for (const b of bytes) {
    acc = ((acc << 8) | b) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(acc << (5 - bits)) & 31];
  return out;
}

/**
 * A fresh random token id: 20 base32 characters, 100 bits from the system CSPRNG.
 *
 * @example
 * ```ts
 * import { randomTokenId } from "./_codec.ts";
 * if (!/^[a-z2-7]{20}$/.test(randomTokenId())) throw new Error("shape");
 * ```
 */
export function randomTokenId(): string {
  const bytes = randomBytes(20);
  let out = "";
  // 256 is a multiple of 32, so the low 5 bits of a uniform byte are uniform.
  for (let i = 0; i < 20; i++) out += BASE32[bytes[i] & 31];
  return out;
}

const POOL_BYTES = 4096;
let pool: Uint8Array = new Uint8Array(0);
let poolAt = 0;

/**
 * `n` (at most 65536) fresh bytes from the system CSPRNG, for nonces and token ids (both
 * public). A `getRandomValues` call per token cost as much as its base32 encoding, so
 * bytes are drawn 4 KB at a time and each is handed out once: never reused.
 *
 * @example
 * ```ts
 * import { randomBytes } from "./_codec.ts";
 * if (randomBytes(12).length !== 12) throw new Error("length");
 * ```
 */
export function randomBytes(n: number): Uint8Array {
  if (poolAt + n > pool.length) {
    pool = crypto.getRandomValues(new Uint8Array(Math.max(POOL_BYTES, n)));
    poolAt = 0;
  }
  // A view, not a copy: each pool is filled once and replaced, never refilled, so views
  // handed out never overlap or change.
  const out = pool.subarray(poolAt, poolAt + n);
  poolAt += n;
  return out;
}

/**
 * Decode standard base64, or null when the text is not base64.
 *
 * @example
 * ```ts
 * import { fromBase64 } from "./_codec.ts";
 * if (fromBase64("AQID")?.length !== 3) throw new Error("decode");
 * ```
 */
export function fromBase64(text: string): Uint8Array | null {
  try {
    const bin = atob(text);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

/**
 * Base64url without padding (RFC 4648 §5), the envelope encoding: no `+`, `/` or `=`, so
 * an envelope survives URLs, JSON and most tokenizers unchanged.
 *
 * @example
 * ```ts
 * import { toBase64Url } from "./_codec.ts";
 * if (toBase64Url(new Uint8Array([0xfb, 0xff])) !== "-_8") throw new Error("base64url");
 * ```
 */
export function toBase64Url(bytes: Uint8Array): string {
  let out = "";
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += B64URL[n >>> 18] + B64URL[(n >>> 12) & 63] + B64URL[(n >>> 6) & 63] + B64URL[n & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    out += B64URL[n >>> 18] + B64URL[(n >>> 12) & 63];
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += B64URL[n >>> 18] + B64URL[(n >>> 12) & 63] + B64URL[(n >>> 6) & 63];
  }
  return out;
}

/**
 * Decode unpadded base64url, or null when any character is outside the alphabet or the
 * length is impossible.
 *
 * @example
 * ```ts
 * import { fromBase64Url } from "./_codec.ts";
 * if (fromBase64Url("-_8")?.[1] !== 0xff) throw new Error("decode");
 * if (fromBase64Url("a") !== null) throw new Error("a single character is no byte");
 * ```
 */
export function fromBase64Url(text: string): Uint8Array | null {
  if (text.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (const c of text) {
    const v = B64URL_INDEX.get(c);
    if (v === undefined) return null;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      out[o++] = (acc >>> (bits - 8)) & 0xff;
      bits -= 8;
    }
  }
  return out;
}

/**
 * Frame `parts` unambiguously for HMAC input or additional data: each part is written
 * as its length, a colon and the part. Plain separators would let a scope containing the
 * separator impersonate another (scope, type) pair.
 *
 * @example
 * ```ts
 * import { frame } from "./_codec.ts";
 * const a = new TextDecoder().decode(frame(["a:b", "c"]));
 * if (a !== "3:a:b1:c") throw new Error(a);
 * ```
 */
export function frame(parts: readonly string[]): Uint8Array {
  let s = "";
  for (const p of parts) s += `${p.length}:${p}`;
  return encoder.encode(s);
}
