/**
 * Byte-to-text encodings shared by the audit log, the vault and the plugin signer.
 *
 * They use `Uint8Array.prototype.toHex`/`toBase64` (Deno, Node 25+) and fall back to a
 * loop where the runtime lacks them: the npm build also runs on Node 22 and 24.
 *
 * @module
 */

interface NativeCodec {
  toHex?: (this: Uint8Array) => string;
  toBase64?: (this: Uint8Array) => string;
}

const native = Uint8Array.prototype as NativeCodec;
const nativeHex = typeof native.toHex === "function" ? native.toHex : undefined;
const nativeBase64 = typeof native.toBase64 === "function" ? native.toBase64 : undefined;

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
  if (nativeHex !== undefined) return nativeHex.call(bytes);
  return hexFallback(bytes);
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
  if (nativeBase64 !== undefined) return nativeBase64.call(bytes);
  return base64Fallback(bytes);
}

/**
 * The loop `toHex` uses where `Uint8Array.prototype.toHex` is missing (Node 22/24).
 *
 * @example
 * ```ts
 * import { hexFallback } from "./encoding.ts";
 * if (hexFallback(new Uint8Array([0, 171])) !== "00ab") throw new Error("hex");
 * ```
 */
export function hexFallback(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += b.toString(16).padStart(2, "0");
  return out;
}

/**
 * The loop `toBase64` uses where `Uint8Array.prototype.toBase64` is missing (Node 22/24).
 *
 * @example
 * ```ts
 * import { base64Fallback } from "./encoding.ts";
 * if (base64Fallback(new Uint8Array([1, 2, 3])) !== "AQID") throw new Error("base64");
 * ```
 */
export function base64Fallback(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}
