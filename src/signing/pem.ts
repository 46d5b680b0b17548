/**
 * PEM and base64 helpers for Ed25519 keys, synchronous so config validation can check a
 * trust anchor's shape without WebCrypto.
 *
 * An Ed25519 SubjectPublicKeyInfo is always 44 bytes: a fixed 12-byte DER prefix naming
 * the algorithm (OID 1.3.101.112) followed by the 32-byte public key (RFC 8410). Checking
 * that prefix rejects RSA or EC keys pasted by mistake before anything is imported.
 *
 * @module
 */
import { toBase64 } from "../crypto/mod.ts";
export { toBase64, toHex } from "../crypto/mod.ts";

const SPKI_PREFIX = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00];
/** Length of an Ed25519 SPKI in DER. */
export const ED25519_SPKI_LENGTH = 44;

/**
 * Decode standard base64 (whitespace ignored), or null when the text is not base64.
 *
 * @example
 * ```ts
 * import { fromBase64 } from "./pem.ts";
 * if (fromBase64("AQID")?.length !== 3) throw new Error("decoded");
 * if (fromBase64("***") !== null) throw new Error("rejected");
 * ```
 */
export function fromBase64(text: string): Uint8Array | null {
  const clean = text.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 !== 0) return null;
  try {
    const binary = atob(clean);
    const out = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

/**
 * Wrap DER bytes in a PEM block with 64-character lines.
 *
 * @param label Block label, e.g. `PUBLIC KEY`.
 * @param der The DER bytes.
 * @returns PEM text ending in a newline.
 *
 * @example
 * ```ts
 * import { toPem } from "./pem.ts";
 * if (!toPem("PUBLIC KEY", new Uint8Array(3)).startsWith("-----BEGIN PUBLIC KEY-----\n")) {
 *   throw new Error("pem");
 * }
 * ```
 */
export function toPem(label: string, der: Uint8Array): string {
  const body = toBase64(der).match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${body.join("\n")}\n-----END ${label}-----\n`;
}

/**
 * Read the DER bytes of the first PEM block with `label`, or null when there is none.
 *
 * @example
 * ```ts
 * import { fromPem, toPem } from "./pem.ts";
 * const der = fromPem(toPem("PUBLIC KEY", new Uint8Array([7])), "PUBLIC KEY");
 * if (der?.[0] !== 7) throw new Error("round trip");
 * ```
 */
export function fromPem(text: string, label: string): Uint8Array | null {
  const begin = `-----BEGIN ${label}-----`;
  const end = `-----END ${label}-----`;
  const start = text.indexOf(begin);
  if (start < 0) return null;
  const stop = text.indexOf(end, start + begin.length);
  if (stop < 0) return null;
  return fromBase64(text.slice(start + begin.length, stop));
}

/**
 * Parse an Ed25519 public key given as SPKI PEM or bare base64 of the SPKI DER.
 *
 * @param text PEM text or base64.
 * @returns The 44-byte SPKI, or null when the text is not an Ed25519 public key.
 *
 * @example
 * ```ts
 * import { parseEd25519Spki } from "./pem.ts";
 * if (parseEd25519Spki("not a key") !== null) throw new Error("rejected");
 * ```
 */
export function parseEd25519Spki(text: string): Uint8Array | null {
  const der = text.includes("-----BEGIN") ? fromPem(text, "PUBLIC KEY") : fromBase64(text);
  if (der === null || der.length !== ED25519_SPKI_LENGTH) return null;
  for (let i = 0; i < SPKI_PREFIX.length; i++) if (der[i] !== SPKI_PREFIX[i]) return null;
  return der;
}
