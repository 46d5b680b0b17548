/**
 * Byte-to-text encodings shared by the audit log, the vault and the plugin signer.
 *
 * @module
 */

/**
 * Lowercase hex.
 *
 * @example
 * ```ts
 * import { toHex } from "./encoding.ts";
 * if (toHex(new Uint8Array([0, 171])) !== "00ab") throw new Error("hex");
 * ```
 */
export function toHex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += b.toString(16).padStart(2, "0");
  return out;
}

/**
 * Standard base64 with padding.
 *
 * @example
 * ```ts
 * import { toBase64 } from "./encoding.ts";
 * if (toBase64(new Uint8Array([1, 2, 3])) !== "AQID") throw new Error("base64");
 * ```
 */
export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}
