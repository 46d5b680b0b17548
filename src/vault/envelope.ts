/**
 * The `[ENC:…]` envelope the `encrypt` action leaves in a payload.
 *
 * Inside the brackets is base64url (no padding) of:
 *
 * | bytes | field |
 * | --- | --- |
 * | 1 | format version, 1 |
 * | 2 | data key id, big-endian |
 * | 1 | type length L (1-40) |
 * | L | finding type, ASCII |
 * | 12 | AES-GCM nonce |
 * | n + 16 | ciphertext and tag |
 *
 * The type travels in the envelope so `haechi decrypt` needs only the envelope and the
 * scope; the AES-GCM additional data binds purpose `enc-envelope`, the type and the scope,
 * so an envelope edited to claim another type, or decrypted for another scope, fails.
 * Overhead over the value is 32 bytes plus the type, about 43 characters for `email`.
 *
 * @module
 */
import { fromBase64Url, toBase64Url } from "./_codec.ts";
import { isTokenType } from "./token.ts";

/** Format version written and read. */
export const ENVELOPE_VERSION = 1;

/** Matches one envelope; group 1 is the base64url body. Global: reset `lastIndex`. */
export const ENVELOPE_PATTERN = /\[ENC:([A-Za-z0-9_-]{44,})\]/g;

/** The decoded parts of an envelope. */
export interface EnvelopeParts {
  /** Data key id. */
  readonly keyId: number;
  /** Finding type. */
  readonly type: string;
  /** 12-byte nonce. */
  readonly nonce: Uint8Array;
  /** Ciphertext with tag. */
  readonly ciphertext: Uint8Array;
}

/**
 * Encode envelope parts as `[ENC:…]`.
 *
 * @example
 * ```ts
 * import { encodeEnvelope, decodeEnvelope } from "./envelope.ts";
 * const text = encodeEnvelope({
 *   keyId: 1, type: "email", nonce: new Uint8Array(12), ciphertext: new Uint8Array(20),
 * });
 * if (decodeEnvelope(text)?.type !== "email") throw new Error("round trip");
 * ```
 */
export function encodeEnvelope(p: EnvelopeParts): string {
  const out = new Uint8Array(4 + p.type.length + 12 + p.ciphertext.length);
  out[0] = ENVELOPE_VERSION;
  out[1] = p.keyId >>> 8;
  out[2] = p.keyId & 0xff;
  out[3] = p.type.length;
  for (let i = 0; i < p.type.length; i++) out[4 + i] = p.type.charCodeAt(i);
  out.set(p.nonce, 4 + p.type.length);
  out.set(p.ciphertext, 16 + p.type.length);
  return `[ENC:${toBase64Url(out)}]`;
}

/**
 * Decode `[ENC:…]` (or the bare body), or return null when it is not a well-formed
 * version 1 envelope. Decoding checks shape only; authenticity is checked on decryption.
 *
 * @example
 * ```ts
 * import { decodeEnvelope } from "./envelope.ts";
 * if (decodeEnvelope("[ENC:not-an-envelope]") !== null) throw new Error("refused");
 * ```
 */
export function decodeEnvelope(text: string): EnvelopeParts | null {
  const body = text.startsWith("[ENC:") && text.endsWith("]") ? text.slice(5, -1) : text;
  const bytes = fromBase64Url(body);
  if (bytes === null || bytes.length < 4 || bytes[0] !== ENVELOPE_VERSION) return null;
  const keyId = (bytes[1] << 8) | bytes[2];
  const typeLength = bytes[3];
  if (keyId === 0 || bytes.length < 4 + typeLength + 12 + 16) return null;
  const type = String.fromCharCode(...bytes.subarray(4, 4 + typeLength));
  if (!isTokenType(type)) return null;
  return {
    keyId,
    type,
    nonce: bytes.slice(4 + typeLength, 16 + typeLength),
    ciphertext: bytes.slice(16 + typeLength),
  };
}
